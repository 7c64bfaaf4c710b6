// The typed API client: paths, parameters and bodies come from the services' OpenAPI documents
// (src/api/schema, generated from the committed snapshot in openapi/), so a renamed field fails `tsc`.
import type { paths as AuthPaths, components as AuthComponents } from "./schema/auth";
import type { paths as CatalogPaths, components as CatalogComponents } from "./schema/catalog";
import type { paths as DatasetPaths, components as DatasetComponents } from "./schema/dataset";
import type { paths as TrainingPaths, components as TrainingComponents } from "./schema/training";
import type { paths as InferencePaths, components as InferenceComponents } from "./schema/inference";
import type { paths as DatalakePaths, components as DatalakeComponents } from "./schema/datalake";

export type Paths = AuthPaths & CatalogPaths & DatasetPaths & TrainingPaths & InferencePaths & DatalakePaths;
export type AuthSchemas = AuthComponents["schemas"];
export type CatalogSchemas = CatalogComponents["schemas"];
export type DatasetSchemas = DatasetComponents["schemas"];
export type TrainingSchemas = TrainingComponents["schemas"];
export type InferenceSchemas = InferenceComponents["schemas"];
export type DatalakeSchemas = DatalakeComponents["schemas"];

type Method = "get" | "post" | "put" | "delete";
type Operation<P extends keyof Paths, M extends Method> = NonNullable<Paths[P][M]>;
/** Paths that answer method M. */
export type PathOf<M extends Method> = { [P in keyof Paths]: Paths[P][M] extends undefined | never ? never : P }[keyof Paths];

type Success<R> = R extends { 200: infer S } ? S : R extends { 201: infer S } ? S : R extends { 202: infer S } ? S : never;
type JsonOf<S> = S extends { content: { "application/json": infer B } } ? B : unknown;
/** The body of an operation's success answer. */
export type Answer<P extends keyof Paths, M extends Method> =
  Operation<P, M> extends { responses: infer R } ? JsonOf<Success<R>> : never;
type QueryOf<P extends keyof Paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? (Q extends undefined ? never : Q) : never;
type JsonBodyOf<P extends keyof Paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export interface Call<P extends keyof Paths, M extends Method> {
  query?: QueryOf<P, M>;
  /** Values for the path's {placeholders}. */
  params?: Record<string, string | number>;
  json?: JsonBodyOf<P, M>;
  form?: URLSearchParams;
  signal?: AbortSignal;
}

/** An API failure as a person should see it: the server's message and the request id to quote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId: string | null,
    readonly details: { field?: string; message?: string }[] = [],
  ) {
    super(message);
  }
}

type TokenSource = () => Promise<string | null>;
let currentToken: TokenSource = async () => null;
/** Set by the session: the access token to send, refreshed when it is about to expire. */
export function useTokenSource(source: TokenSource): void {
  currentToken = source;
}

export function url(path: string, params?: Record<string, string | number>, query?: object): string {
  let resolved = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? "")));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${resolved}?${qs}` : resolved;
}

/** Turns a failed answer into an ApiError with the body's message and request id (header or body). */
export async function errorOf(response: Response): Promise<ApiError> {
  const headerId = response.headers.get("X-Request-Id");
  let body: { message?: string; request_id?: string; details?: { field?: string; message?: string }[] } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: an answer from something other than the platform, e.g. a proxy in between
  }
  return new ApiError(response.status, body.message ?? `${response.status} ${response.statusText}`,
    headerId ?? body.request_id ?? null, body.details ?? []);
}

export async function authorization(): Promise<Record<string, string>> {
  const token = await currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function call<P extends keyof Paths, M extends Method>(method: M, path: P, options: Call<P, M> = {}):
  Promise<Answer<P, M>> {
  const headers: Record<string, string> = { Accept: "application/json", ...(await authorization()) };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  const response = await fetch(url(path as string, options.params, options.query as object | undefined),
    { method: method.toUpperCase(), headers, body, signal: options.signal });
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as Answer<P, M>;
}

export const api = {
  get: <P extends PathOf<"get">>(path: P, options?: Call<P, "get">) => call("get", path, options),
  post: <P extends PathOf<"post">>(path: P, options?: Call<P, "post">) => call("post", path, options),
  put: <P extends PathOf<"put">>(path: P, options?: Call<P, "put">) => call("put", path, options),
  delete: <P extends PathOf<"delete">>(path: P, options?: Call<P, "delete">) => call("delete", path, options),
};
