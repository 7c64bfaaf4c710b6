// The tenant's job events from GET /api/v1/events/stream (server-sent events). EventSource cannot send the
// Authorization header, so the stream is read with fetch() and parsed here. It reconnects with backoff;
// while it is down (or the gateway has no stream) pages show what the API last answered.
import { authorization, errorOf } from "./api/client";

export interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  data: Record<string, unknown>;
}

export type StreamState = "connecting" | "live" | "unavailable";

interface Subscription {
  types: string[];
  onEvent: (event: CloudEvent) => void;
  onState?: (state: StreamState) => void;
}

const MAX_BACKOFF_MS = 30_000;

/** Follows the stream for events whose type starts with one of `types`; returns the function that stops it. */
export function subscribe({ types, onEvent, onState }: Subscription): () => void {
  const abort = new AbortController();
  let backoff = 1000;
  const run = async () => {
    while (!abort.signal.aborted) {
      onState?.("connecting");
      try {
        const response = await fetch(`/api/v1/events/stream?types=${encodeURIComponent(types.join(","))}`, {
          headers: { Accept: "text/event-stream", ...(await authorization()) },
          signal: abort.signal,
        });
        if (!response.ok || !response.body) throw await errorOf(response);
        onState?.("live");
        backoff = 1000;
        await read(response.body, onEvent);
      } catch {
        if (abort.signal.aborted) return;
      }
      onState?.("unavailable");
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  };
  void run();
  return () => abort.abort();
}

/** Parses `text/event-stream`: blank-line separated blocks of `field: value` lines; `:` lines are comments. */
async function read(body: ReadableStream<Uint8Array>, onEvent: (event: CloudEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      const data = block.split(/\r?\n/).filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, "")).join("\n");
      if (data) {
        try {
          onEvent(JSON.parse(data) as CloudEvent);
        } catch {
          // a malformed event is skipped; the next one still counts
        }
      }
    }
  }
}

/** The status a training event type announces: io.dmlp.training.completed.v1 -> completed. */
export function trainingStatusOf(type: string): string | null {
  const match = /^io\.dmlp\.training\.(submitted|running|completed|failed|cancelled)\.v1$/.exec(type);
  return match ? match[1] : null;
}
