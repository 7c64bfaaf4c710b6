// Test fixtures through the public API, as e2e/conftest.py makes them: tenants, their users, logins.
import { randomUUID } from "node:crypto";

export const GATEWAY = process.env.DMLP_GATEWAY_URL ?? "http://127.0.0.1:8000";
const ADMIN_PASSWORD = process.env.DMLP_ADMIN_PASSWORD ?? "admin123";

export const short = () => randomUUID().replaceAll("-", "").slice(0, 8);

async function call(method, path, { token, json, form, query } = {}) {
  const url = new URL(path, GATEWAY);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json ? { "Content-Type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : form ? new URLSearchParams(form) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function logIn(username, password) {
  return (await call("POST", "/api/v1/login/access-token", { form: { username, password } })).access_token;
}

/** A new user of the tenant with one of its seeded roles (admin, data_scientist, viewer). */
export async function newUser(adminToken, tenantId, role, prefix) {
  const username = `${prefix}-${short()}`;
  const password = `Pw-${randomUUID()}`;
  const user = await call("POST", "/api/v1/users/create-user", { token: adminToken, json: {
    tenant_id: tenantId, first_name: prefix, last_name: "console", email: `${username}@example.com`, username, password } });
  const roles = await call("GET", "/api/v1/rbac/roles", { token: adminToken, query: { tenant_id: tenantId } });
  await call("POST", `/api/v1/users/${user.id}/roles`, { token: adminToken,
    json: { role_id: roles.find((r) => r.name === role).id } });
  return { username, password, tenantId };
}

/** A fresh tenant and its administrator. */
export async function newTenant(prefix) {
  const platformAdmin = await logIn("admin", ADMIN_PASSWORD);
  const tenant = await call("POST", "/api/v1/tenants", { token: platformAdmin, json: { name: `${prefix}-${short()}` } });
  const admin = await newUser(platformAdmin, tenant.id, "admin", `${prefix}-admin`);
  return { id: tenant.id, admin, adminToken: await logIn(admin.username, admin.password) };
}

/**
 * Whether the gateway serves the event stream: an authenticated request answers 200 with text/event-stream
 * when it does, 404 before that route exists.
 */
export async function eventStreamExists(token) {
  const abort = new AbortController();
  try {
    const response = await fetch(new URL("/api/v1/events/stream", GATEWAY),
      { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
    return response.status === 200;
  } finally {
    abort.abort();
  }
}

/** A churn table like e2e's churn_csv (tenure and plan decide; noise does not), plus rows that break the template. */
export function churnCsv(rows, seed, badRows = []) {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const plans = ["basic", "pro", "max"];
  const lines = ["customer,tenure,plan,noise,churn"];
  for (let i = 0; i < rows; i++) {
    const tenure = 1 + Math.floor(random() * 60);
    const plan = plans[Math.floor(random() * 3)];
    const churn = (tenure < 20 && plan === "basic") || tenure < 8 || random() < 0.05;
    lines.push(`c${i},${tenure},${plan},${random().toFixed(4)},${churn}`);
  }
  lines.push(...badRows);
  return lines.join("\n") + "\n";
}
