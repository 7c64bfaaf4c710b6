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

/** Two daily series (store, day, sales) with a weekly season and a trend, as e2e's series_csv. */
export function seriesCsv(days = 60) {
  const lines = ["store,day,sales"];
  const start = Date.UTC(2025, 0, 1);
  for (const [number, store] of ["north", "south"].entries()) {
    for (let t = 0; t < days; t++) {
      const sales = 100 + 20 * number + 0.5 * t + 8 * Math.sin((2 * Math.PI * t) / 7 + number);
      lines.push(`${store},${new Date(start + t * 86_400_000).toISOString().slice(0, 10)},${sales.toFixed(3)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * Starts a small forecast training (SeasonalNaive over seriesCsv, as e2e's forecaster) through the API and
 * answers its run id; the walk-through's own training runs meanwhile.
 */
export async function startForecastTraining(token) {
  const body = new FormData();
  body.append("files", new Blob([seriesCsv()], { type: "text/csv" }), "sales.csv");
  const url = new URL("/api/v1/dataset/upload", GATEWAY);
  url.searchParams.set("dataset_name", `sales-${short()}`);
  url.searchParams.set("usage", "t");
  const response = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body });
  if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
  const { dataset_id } = await response.json();
  const run = await call("POST", "/api/v1/train/", { token, json: {
    dataset_id, predictor_name: `sales-${short()}`, domain: "Sales", problem_type: "Forecast", is_incremental: false,
    algorithm: "SeasonalNaive", shap_enabled: false, columns: [
      { column_name: "store", data_type: "String", attribute_name: "Id" },
      { column_name: "day", data_type: "Date", attribute_name: "Timestamp" },
      { column_name: "sales", data_type: "Float", attribute_name: "Target" }] } });
  return run.id;
}

/** The run once it has ended (its list item, refreshed from Ray). */
export async function finishedRun(token, trainId, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await call("GET", "/api/v1/train/refresh", { token, query: { limit: 1000 } });
    const run = listed.data.find((item) => item.id === trainId);
    if (["completed", "failed", "cancelled"].includes(run.train_status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${trainId} still ${run.train_status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
