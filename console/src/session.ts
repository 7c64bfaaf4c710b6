// The signed-in session. Tokens live in this module's memory only (never localStorage or cookies): a reload
// signs the user out, and a script injected elsewhere cannot read them from storage.
import { api, useTokenSource, type AuthSchemas } from "./api/client";

export type User = AuthSchemas["CallerResponse"];

interface Tokens {
  access: string;
  refresh: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

/** Refresh this long before the access token expires, so no call goes out with an expired one. */
const REFRESH_MARGIN_MS = 60_000;

let tokens: Tokens | null = null;
let user: User | null = null;
let refreshTimer: number | undefined;
let refreshing: Promise<void> | null = null;
const listeners = new Set<() => void>();

export const currentUser = (): User | null => user;
export const onSessionChange = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const changed = () => listeners.forEach((listener) => listener());

export function can(permission: string): boolean {
  return user?.permissions?.includes(permission) ?? false;
}

function keep(answer: AuthSchemas["TokenResponse"]): void {
  tokens = {
    access: answer.access_token!,
    refresh: answer.refresh_token!,
    expiresAt: Date.now() + (answer.expires_in ?? 900) * 1000,
  };
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => void refresh(), Math.max(0, tokens.expiresAt - Date.now() - REFRESH_MARGIN_MS));
}

async function refresh(): Promise<void> {
  if (!tokens) return;
  // One refresh at a time: a refresh token is spent by its first use, and a second use would end the session.
  refreshing ??= (async () => {
    try {
      keep(await api.post("/api/v1/refresh", { query: { refresh_token: tokens!.refresh } }));
    } catch {
      forget();
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

useTokenSource(async () => {
  if (tokens && Date.now() > tokens.expiresAt - REFRESH_MARGIN_MS / 2) await refresh();
  return tokens?.access ?? null;
});

export async function signIn(username: string, password: string): Promise<void> {
  const form = new URLSearchParams({ username, password, grant_type: "password" });
  keep(await api.post("/api/v1/login/access-token", { form }));
  try {
    user = await api.post("/api/v1/login/test-token");
  } catch (error) {
    forget();
    throw error;
  }
  changed();
}

export async function signOut(): Promise<void> {
  const refreshToken = tokens?.refresh;
  try {
    if (refreshToken) await api.post("/api/v1/logout", { query: { refresh_token: refreshToken } });
  } finally {
    forget();
  }
}

function forget(): void {
  window.clearTimeout(refreshTimer);
  tokens = null;
  user = null;
  changed();
}
