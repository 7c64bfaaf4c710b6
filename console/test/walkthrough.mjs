// The console in a real browser (Debian's Chromium, driven by playwright-core) against a running platform:
// the walk-through of issue 12 and the refusals around it. Screenshots of each page go to
// $DMLP_CONSOLE_ARTIFACTS (./dmlp test: e2e/artifacts/console/).
//
//   DMLP_GATEWAY_URL=http://127.0.0.1:28000 node test/walkthrough.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { GATEWAY, churnCsv, eventStreamExists, finishedRun, newTenant, newUser, short, startForecastTraining }
  from "./platform.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = process.env.DMLP_CONSOLE_ARTIFACTS ?? join(HERE, "..", "..", "e2e", "artifacts", "console");
const CHROMIUM = process.env.DMLP_CHROMIUM ?? "/usr/bin/chromium";
const TRAINING_TIMEOUT_MS = 240_000;

let browser;
let tenant;
let streamExists;
/** CSP violations the browser reported, from every page. */
const violations = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  tenant = await newTenant("console");
  streamExists = await eventStreamExists(tenant.adminToken);
  // Trained through the API while the walk-through trains its own: the forecast page's test opens it.
  tenant.forecastId = await startForecastTraining(tenant.adminToken);
  console.log(`# event stream ${streamExists ? "served" : "not served (404): pages fall back to the API"}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
});

async function newPage() {
  const context = await browser.newContext({ baseURL: GATEWAY, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
  });
  page.setDefaultTimeout(30_000);
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Opens `path` and signs in there (tokens live in the page's memory: a reload or goto signs out). */
async function signIn(page, user, path = "/") {
  await page.goto(path);
  await page.locator("[name=username]").fill(user.username);
  await page.locator("[name=password]").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: user.username }).waitFor();
}

test("the committed OpenAPI snapshot still matches the live services", async () => {
  const { stdout } = await promisify(execFile)("node", [join(HERE, "..", "scripts", "openapi.mjs"), "check"]);
  assert.match(stdout, /matches/);
});

test("the walk-through: template, upload with its report, training followed live, the model, predictions", async () => {
  const page = await newPage();
  const user = tenant.admin;
  const names = { template: `churn-${short()}`, train: `churn-train-${short()}`, batch: `churn-batch-${short()}`,
    predictor: `churn-${short()}` };

  // Sign in
  await page.goto("/");
  await page.locator("[name=username]").fill(user.username);
  await shot(page, "01-sign-in");
  await page.locator("[name=password]").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: user.username }).waitFor();
  if (streamExists) await page.getByTestId("stream-state").filter({ hasText: "live" }).waitFor();

  // A template, with the column editor
  await page.getByRole("link", { name: "Templates" }).click();
  await page.getByRole("button", { name: "New template" }).click();
  await page.locator("[name=template_name]").fill(names.template);
  const columns = [["customer", "String"], ["tenure", "Integer"], ["plan", "String"], ["noise", "Float"], ["churn", "Boolean"]];
  for (let i = 1; i < columns.length; i++) await page.getByRole("button", { name: "Add column" }).click();
  const rows = page.getByTestId("template-column");
  for (const [i, [name, type]] of columns.entries()) {
    await rows.nth(i).getByLabel("column name").fill(name);
    await rows.nth(i).getByLabel("data type").selectOption(type);
  }
  await shot(page, "02-template-editor");
  await page.getByRole("button", { name: "Save template" }).click();
  await page.getByTestId("templates").getByRole("cell", { name: names.template, exact: true }).waitFor();
  await shot(page, "03-templates");

  // An upload with bad rows, and its validation report
  await page.getByRole("link", { name: "Datasets" }).click();
  const upload = page.getByTestId("upload");
  await upload.locator("[name=dataset_name]").fill(names.train);
  await upload.locator("[name=usage]").selectOption("t");
  await upload.locator("[name=template_id]").selectOption({ label: names.template });
  const bad = ["x1,abc,basic,0.5,true", "x2,12,pro,0.1,maybe", "x3,seven,max,0.2,false"];
  await upload.locator("[name=files]").setInputFiles({ name: "churn.csv", mimeType: "text/csv",
    buffer: Buffer.from(churnCsv(300, 3, bad)) });
  // The progress bar lives for the upload only: note whether it ever appeared.
  await page.evaluate(() => new MutationObserver((_, observer) => {
    if (document.querySelector("[data-testid=upload-progress]")) {
      document.body.dataset.sawUploadProgress = "yes";
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true }));
  await upload.getByRole("button", { name: "Upload" }).click();
  const report = page.getByTestId("validation-report");
  await report.waitFor();
  assert.equal(await page.evaluate(() => document.body.dataset.sawUploadProgress), "yes", "a progress bar during the upload");
  await shot(page, "04-upload-report");
  assert.match(await report.innerText(), /3 rows rejected/);
  const errorRows = await page.getByTestId("errors").locator("tbody tr").allInnerTexts();
  assert.equal(errorRows.length, 3);
  assert.match(errorRows[0], /^302\s+tenure\s+abc\s+\S/); // header = line 1, so the 301st data row is line 302
  assert.match(errorRows[1], /churn\s+maybe/);
  const reasons = await page.getByTestId("errors-by-reason").locator("tbody tr").allInnerTexts();
  assert.equal(reasons.map((r) => Number(r.split("\t").at(-1))).reduce((a, b) => a + b), 3);

  // The same name again: the API's 409 is shown with its message and request id
  await upload.getByRole("button", { name: "Upload" }).click();
  const error = upload.getByTestId("error");
  await error.waitFor();
  assert.match(await error.innerText(), /409: .*\n?.*Request id: \S+/s);
  await shot(page, "05-upload-error");

  // A prediction dataset (schema inferred)
  await upload.locator("[name=dataset_name]").fill(names.batch);
  await upload.locator("[name=usage]").selectOption("p");
  await upload.locator("[name=template_id]").selectOption("");
  await upload.locator("[name=files]").setInputFiles({ name: "batch.csv", mimeType: "text/csv",
    buffer: Buffer.from(churnCsv(40, 11)) });
  await upload.getByRole("button", { name: "Upload" }).click();
  await page.getByTestId("report-clean").waitFor();
  await page.getByTestId("datasets").getByRole("link", { name: names.batch }).waitFor();
  await shot(page, "06-datasets");

  // Train: the form from get_details
  await page.getByRole("link", { name: "Models" }).click();
  await page.getByTestId("train-button").click();
  await page.locator("[name=dataset_id]").selectOption({ label: names.train });
  await page.locator("[name=predictor_name]").fill(names.predictor);
  await page.locator("[name=domain]").fill("Churn");
  await page.locator("[name=problem_type]").selectOption("Classification");
  await page.getByRole("button", { name: "Choose columns" }).click();
  await page.getByLabel("role of customer").selectOption("Id");
  await page.getByLabel("role of churn").selectOption("Target");
  await page.locator("[name=algorithm]").selectOption("LogisticRegression");
  await page.locator("[name=shap_enabled]").check();
  await shot(page, "07-train-form");
  await page.getByRole("button", { name: "Train", exact: true }).click();
  await page.waitForURL(/\/models\/\d+$/);
  const modelUrl = new URL(page.url()).pathname;

  // Its status, live, until completed
  const status = page.getByTestId("train-status");
  await status.waitFor();
  await shot(page, "08-model-training");
  await status.filter({ hasText: /^completed$/ }).waitFor({ timeout: TRAINING_TIMEOUT_MS });
  if (streamExists) {
    assert.equal(await status.getAttribute("data-source"), "stream", "the stream, not a poll, moved the page to completed");
  }

  // The model's page: metrics, confusion matrix, SHAP
  await page.getByTestId("metrics").waitFor();
  assert.match(await page.getByTestId("metrics").innerText(), /accuracy/);
  await page.getByTestId("confusion-matrix").locator("canvas").first().waitFor();
  await page.getByTestId("shap").locator("canvas").first().waitFor({ timeout: 120_000 });
  await shot(page, "09-model");

  // Predict in the form made from form-based-prediction
  const form = page.getByTestId("predict-form");
  await form.locator("[name=tenure]").fill("3");
  await form.locator("[name=plan]").fill("basic");
  await form.locator("[name=noise]").fill("0.5");
  await form.getByRole("button", { name: "Predict" }).click();
  await page.getByTestId("prediction").waitFor();
  assert.equal(await page.getByTestId("prediction").innerText(), "true");
  const probabilities = await page.getByTestId("probabilities").locator("tbody tr").allInnerTexts();
  assert.deepEqual(probabilities.map((row) => row.split("\t")[0]).sort(), ["false", "true"]);
  await shot(page, "10-predict");

  // A batch prediction, and its result downloaded
  const batch = page.getByTestId("batch");
  await batch.locator("[name=batch_dataset]").selectOption({ label: names.batch });
  await batch.getByRole("button", { name: "Run batch prediction" }).click();
  const download = batch.getByRole("button", { name: "Download result" });
  await download.waitFor({ timeout: 180_000 });
  assert.equal(await batch.getByTestId("batch-status").innerText(), "completed");
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const lines = (await readFile(await file.path(), "utf8")).trim().split("\n");
  assert.equal(lines.length, 41);
  assert.match(lines[0], /customer/);
  assert.match(lines[0], /prediction/);
  await shot(page, "11-batch");

  // The prediction log and the dataset's page
  await page.getByRole("link", { name: "Prediction log" }).click();
  await page.getByTestId("prediction-log").locator("tbody tr").first().waitFor();
  await shot(page, "12-prediction-log");
  await page.getByRole("link", { name: "Datasets" }).click();
  await page.getByTestId("datasets").getByRole("link", { name: names.train }).click();
  await page.getByTestId("preview").locator("tbody tr").first().waitFor();
  await shot(page, "13-dataset");

  // Its statistics, computed on Ray: a histogram per numeric column
  await page.getByRole("button", { name: "Generate statistics" }).click();
  await page.getByTestId("histogram-tenure").locator("canvas").first().waitFor({ timeout: 120_000 });
  await shot(page, "13-dataset-statistics");

  // Admin and datalake pages render for the tenant's administrator
  await page.getByRole("link", { name: "Administration" }).click();
  await page.getByTestId("users").getByRole("cell", { name: user.username, exact: true }).waitFor();
  await shot(page, "14-admin");
  await page.getByRole("link", { name: "Datalake" }).click();
  // schemas -> tables -> columns reaches the uploaded dataset's silver table (named after the dataset)
  await page.getByTestId("schemas").getByRole("button", { name: "silver", exact: true }).click();
  await page.getByTestId("tables").getByRole("button", { name: names.train.replaceAll("-", "_"), exact: true }).click();
  await page.getByTestId("columns").getByRole("cell", { name: "tenure", exact: true }).waitFor();
  assert.deepEqual((await page.getByTestId("columns").locator("tbody tr td:first-child").allInnerTexts()).sort(),
    ["_file_id", "churn", "customer", "noise", "plan", "tenure"]); // _file_id: the file each row came from
  await shot(page, "15-datalake");

  tenant.modelUrl = modelUrl;
  await page.context().close();
});

test("a user without can_train_models sees no train button", async () => {
  const viewer = await newUser(tenant.adminToken, tenant.id, "viewer", "console-viewer");
  const page = await newPage();
  await signIn(page, viewer);
  await page.getByTestId("models").waitFor();
  assert.equal(await page.getByTestId("train-button").count(), 0);
  await shot(page, "16-viewer-models");
  await page.context().close();
});

test("an administrator makes a role, grants it a permission and gives it to a user, who then has that action", async () => {
  const member = await newUser(tenant.adminToken, tenant.id, "viewer", "console-member");
  const roleName = `user-managers-${short()}`;
  const permissionName = `custom:reports-${short()}`;
  const page = await newPage();
  await signIn(page, tenant.admin, "/admin");

  const newRole = page.getByTestId("new-role_name");
  await newRole.locator("[name=role_name]").fill(roleName);
  await newRole.getByRole("button", { name: "Create role" }).click();
  const role = page.getByTestId(`role-${roleName}`);
  await role.waitFor();
  // The same name again: the API's 409 with its message and request id
  await newRole.locator("[name=role_name]").fill(roleName);
  await newRole.getByRole("button", { name: "Create role" }).click();
  assert.match(await newRole.getByTestId("error").innerText(), /409: .*already exists.*\n?.*Request id: \S+/s);

  const newPermission = page.getByTestId("new-permission_name");
  await newPermission.locator("[name=permission_name]").fill(permissionName);
  await newPermission.getByRole("button", { name: "Create permission" }).click();
  for (const permission of ["can_manage_users", permissionName]) {
    await role.getByLabel(`permission to grant to ${roleName}`).selectOption({ label: permission });
    await role.getByRole("button", { name: "Grant" }).click();
    await role.locator(".chip", { hasText: permission }).waitFor();
  }
  await role.getByRole("button", { name: `revoke ${permissionName}` }).click();
  await role.locator(".chip", { hasText: permissionName }).waitFor({ state: "detached" });

  // Choosing the member lists the roles they hold (the API's GET /users/{id}/roles), before any change here
  const membership = page.getByTestId("role-membership");
  await membership.locator("[name=member_user]").selectOption({ label: member.username });
  const held = membership.getByTestId("held-roles");
  await held.waitFor();
  assert.equal(await held.innerText(), `${member.username} holds: viewer`);
  await membership.locator("[name=member_role]").selectOption({ label: roleName });
  await membership.getByRole("button", { name: "Assign role" }).click();
  await held.filter({ hasText: roleName }).waitFor();
  // Oldest role first, as the API lists them: the seeded viewer, then the role made above
  assert.equal(await held.innerText(), `${member.username} holds: viewer, ${roleName}`);
  await shot(page, "18-admin-roles");
  // Opened afresh (a reload signs out, so sign in again) the page remembers nothing: the roles shown are the API's
  await signIn(page, tenant.admin, "/admin");
  await membership.locator("[name=member_user]").selectOption({ label: member.username });
  await held.filter({ hasText: roleName }).waitFor();
  assert.equal(await held.innerText(), `${member.username} holds: viewer, ${roleName}`);

  // Deactivated, the member would be signed out and refused; activated again before signing in
  const memberRow = page.getByTestId(`user-${member.username}`);
  await memberRow.getByRole("button", { name: "Deactivate" }).click();
  await memberRow.getByRole("cell", { name: "no", exact: true }).waitFor();
  await memberRow.getByRole("button", { name: "Activate" }).click();
  await memberRow.getByRole("cell", { name: "yes", exact: true }).waitFor();
  await page.context().close();

  // The member now manages users (the section and its form), and sees no role editor: they lack can_manage_roles.
  const memberPage = await newPage();
  await signIn(memberPage, member);
  await memberPage.getByRole("link", { name: "Administration" }).click();
  await memberPage.getByTestId("users").getByRole("cell", { name: member.username, exact: true }).waitFor();
  assert.equal(await memberPage.getByTestId("new-user").count(), 1);
  assert.equal(await memberPage.getByTestId("role-editor").count(), 0);
  assert.equal(await memberPage.getByTestId("role-membership").count(), 0);
  await shot(memberPage, "19-user-manager-admin");
  await memberPage.context().close();
});

test("a forecast model's page draws the series' history, then its forecast with the 80/95% bands", async () => {
  const run = await finishedRun(tenant.adminToken, tenant.forecastId, TRAINING_TIMEOUT_MS);
  assert.equal(run.train_status, "completed", run.error);
  const page = await newPage();
  await signIn(page, tenant.admin, `/models/${run.id}`);
  const forecast = page.getByTestId("forecast");
  await forecast.getByTestId("history-source").filter({ hasText: "120 rows" }).waitFor();
  await forecast.getByTestId("forecast-chart").locator("canvas").first().waitFor();
  await forecast.locator("[name=steps]").fill("7");
  await forecast.getByRole("button", { name: "Forecast" }).click();
  // 60 days from 2025-01-01: the forecast starts the day after the last one
  await forecast.getByTestId("forecast-range").filter({ hasText: "north: 7 points forecast, 2025-03-02 to 2025-03-08" })
    .waitFor();
  await shot(page, "20-forecast");
  await page.context().close();
});

test("another tenant's model URL shows not found", async () => {
  const other = await newTenant("console-other");
  const page = await newPage();
  // The SPA fallback serves the page; after sign-in the app asks the API, which knows no such model.
  await signIn(page, other.admin, tenant.modelUrl ?? "/models/1");
  await page.getByTestId("not-found").waitFor();
  assert.match(await page.getByTestId("not-found").innerText(), /Not found/);
  await shot(page, "17-other-tenant-not-found");
  await page.context().close();
});

test("the event stream refuses an anonymous caller", async (t) => {
  if (!streamExists) return t.skip("the gateway has no event stream yet");
  const page = await newPage();
  await page.goto("/");
  const answer = await page.evaluate(async () => {
    const response = await fetch("/api/v1/events/stream", { headers: { Accept: "text/event-stream" } });
    return { status: response.status, type: response.headers.get("Content-Type"), body: await response.text() };
  });
  assert.equal(answer.status, 401);
  assert.match(answer.type, /application\/json/);
  assert.equal(JSON.parse(answer.body).status_code, 401);
  await page.context().close();
});

test("no page broke the Content-Security-Policy", () => {
  assert.deepEqual(violations, []);
});
