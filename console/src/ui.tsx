// Small shared pieces: links, loading of API data, and the error box every failure ends up in.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { api, ApiError, authorization, errorOf, url } from "./api/client";
import { navigate } from "./router";

export function Link({ href, children, ...rest }: { href: string; children: ComponentChildren; class?: string;
  "data-testid"?: string }) {
  return (
    <a href={href} {...rest} onClick={(event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      navigate(href);
    }}>{children}</a>
  );
}

/** An error as the user sees it: the server's message, its request id, and the fields it names. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div class="error" role="alert" data-testid="error">
      <strong>{apiError ? `${apiError.status}: ${apiError.message}` : String((error as Error).message ?? error)}</strong>
      {apiError?.details.map((d) => <div>{d.field ? `${d.field}: ` : ""}{d.message}</div>)}
      {apiError?.requestId && <div class="request-id">Request id: <code>{apiError.requestId}</code></div>}
    </div>
  );
}

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads with `load` whenever `deps` change; failures land in `error`, never in the console alone. */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then((data) => current && setState({ data, loading: false }),
      (error) => current && setState({ error, loading: false }));
    return () => { current = false; };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/** Runs an action from a button or form: busy while it runs, its failure shown. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action(...args);
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}

export function Loading({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  return loaded.loading && loaded.data === undefined ? <p class="muted">Loading…</p> : null;
}

export function NotFound({ what }: { what: string }) {
  return <div class="not-found" data-testid="not-found"><h2>Not found</h2><p>{what} does not exist in your tenant.</p></div>;
}

/** A stored file's content through /files/download, with the bearer token (so no plain link). */
export async function downloadFile(fileId: number): Promise<Blob> {
  const file = await api.get("/api/v1/files/get_file_by_id", { query: { file_id: fileId } });
  const response = await fetch(url("/api/v1/files/download", undefined, { file_path: file.csv_file_path }),
    { headers: await authorization() });
  if (!response.ok) throw await errorOf(response);
  return response.blob();
}

/** Saves a blob as a file through a temporary object URL (downloads need the bearer token, so no plain link). */
export function saveBlob(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export const formatTime = (iso?: string) => (iso ? new Date(iso).toLocaleString() : "");

export const ApiErrorIs404 = (error: unknown) => error instanceof ApiError && error.status === 404;
