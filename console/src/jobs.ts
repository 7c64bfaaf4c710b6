// One event stream per signed-in session, opened at sign-in: the latest status of each training run as the
// tenant's events announce it, so a page opened after a submit already sees every event since.
import { useEffect, useState } from "preact/hooks";
import { subscribe, trainingStatusOf, type CloudEvent, type StreamState } from "./events";
import { onSessionChange, currentUser } from "./session";

export interface RunStatus {
  status: string;
  /** Where the status came from: the event stream, or an API answer while the stream is unavailable. */
  source: "stream" | "api";
  error?: string;
}

const runs = new Map<number, RunStatus>();
let state: StreamState = "unavailable";
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());
let stop: (() => void) | null = null;

function onEvent(event: CloudEvent): void {
  const status = trainingStatusOf(event.type);
  const id = Number(event.subject);
  if (status === null || !Number.isFinite(id)) return;
  runs.set(id, { status, source: "stream", error: typeof event.data?.error === "string" ? event.data.error : undefined });
  changed();
}

onSessionChange(() => {
  stop?.();
  stop = null;
  runs.clear();
  if (currentUser()) {
    stop = subscribe({ types: ["io.dmlp.training."], onEvent, onState: (s) => { state = s; changed(); } });
  } else {
    state = "unavailable";
    changed();
  }
});

export const streamState = () => state;
export const streamedStatus = (id: number): RunStatus | undefined => runs.get(id);

/** Re-renders the caller on every event and stream state change. */
export function useJobs(): { state: StreamState; statusOf: (id: number) => RunStatus | undefined } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const update = () => setVersion((v) => v + 1);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return { state, statusOf: streamedStatus };
}

export const FINISHED = ["completed", "failed", "cancelled"];
