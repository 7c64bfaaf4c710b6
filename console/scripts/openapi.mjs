// The console's typed API client comes from the services' own OpenAPI documents.
//
//   node scripts/openapi.mjs snapshot   fetch each service's /q/openapi, keep the paths the console calls (and the
//                                       components they reference), write openapi/<service>.json
//   node scripts/openapi.mjs types      openapi/<service>.json -> src/api/schema/<service>.ts (openapi-typescript);
//                                       part of `npm run build`, so a renamed field fails the type check
//   node scripts/openapi.mjs check      compare the committed snapshot with the live documents, trimmed the same
//                                       way: everything the snapshot says (paths, parameters, fields, types, enums,
//                                       required lists) must still hold; additions and documentation text may
//                                       differ. Exit 1 naming what changed (run by the browser tests)
//
// Service ports: DMLP_<NAME>_PORT as ./dmlp exports them, else the local defaults (8101-8106).
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The paths the console calls, per service: the snapshot holds these and nothing else. */
export const USED_PATHS = {
  auth: {
    port: 8101,
    paths: ["/api/v1/login/access-token", "/api/v1/login/test-token", "/api/v1/refresh", "/api/v1/logout",
      "/api/v1/users/read-users", "/api/v1/users/create-user", "/api/v1/users/{user_id}/activate",
      "/api/v1/users/{user_id}/deactivate", "/api/v1/users/{user_id}/roles", "/api/v1/users/{user_id}/roles/{role_id}",
      "/api/v1/rbac/roles", "/api/v1/rbac/permissions", "/api/v1/rbac/roles/{role_id}/permissions",
      "/api/v1/rbac/roles/{role_id}/permissions/{permission_id}", "/api/v1/tenants"],
  },
  catalog: {
    port: 8102,
    paths: ["/api/v1/template", "/api/v1/template/list", "/api/v1/template/{template_id}",
      "/api/v1/template/update/{template_id}"],
  },
  dataset: {
    port: 8103,
    paths: ["/api/v1/dataset/upload", "/api/v1/dataset/list", "/api/v1/dataset/get_dataset_by_id",
      "/api/v1/dataset/view", "/api/v1/files/list", "/api/v1/files/get_file_by_id", "/api/v1/files/download",
      "/api/v1/dataset/generate_statistics", "/api/v1/dataset/statistics"],
  },
  training: {
    port: 8104,
    paths: ["/api/v1/train", "/api/v1/train/get_details", "/api/v1/train/list", "/api/v1/train/refresh",
      "/api/v1/train/model-summary", "/api/v1/train/view-feature-importance", "/api/v1/train/delete/{id}",
      "/api/v1/train/download-schema/{train_id}", "/api/v1/ray/terminate_ray_job"],
  },
  inference: {
    port: 8105,
    paths: ["/api/v1/inference", "/api/v1/inference/form-based-prediction", "/api/v1/inference/batch-prediction",
      "/api/v1/inference/result", "/api/v1/inference/predictions", "/api/v1/inference/forecast"],
  },
  datalake: { port: 8106, paths: ["/api/v1/datalake/schemas", "/api/v1/datalake/schemas/tables", "/api/v1/datalake/tables/columns",
    "/api/v1/datalake/table_metadata", "/api/v1/datalake/numeric_stats", "/api/v1/datalake/distinct-count"] },
};

function liveUrl(service) {
  const port = process.env[`DMLP_${service.toUpperCase()}_PORT`] ?? String(USED_PATHS[service].port);
  return `http://127.0.0.1:${port}/q/openapi?format=json`;
}

/** The document with only the used paths and the components they reach, through $refs, transitively. */
export function trim(document, paths) {
  const missing = paths.filter((p) => !(p in document.paths));
  const kept = { openapi: document.openapi, paths: {}, components: {} };
  for (const p of paths.filter((p) => p in document.paths)) kept.paths[p] = document.paths[p];
  const pending = [kept.paths];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) { pending.push(...node); continue; }
    if (node === null || typeof node !== "object") continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/")) {
        const [, , kind, name] = value.split("/");
        kept.components[kind] ??= {};
        if (!(name in kept.components[kind])) {
          kept.components[kind][name] = document.components[kind][name];
          pending.push(kept.components[kind][name]);
        }
      } else {
        pending.push(value);
      }
    }
  }
  return { document: sorted(kept), missing };
}

/** Keys in order, so the snapshot's diff shows what changed and nothing else. */
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
}

async function live(service) {
  const response = await fetch(liveUrl(service));
  if (!response.ok) throw new Error(`${liveUrl(service)} answered ${response.status}`);
  return trim(await response.json(), USED_PATHS[service].paths);
}

const snapshotFile = (service) => join(ROOT, "openapi", `${service}.json`);

async function snapshot() {
  await mkdir(join(ROOT, "openapi"), { recursive: true });
  for (const service of Object.keys(USED_PATHS)) {
    const { document, missing } = await live(service);
    if (missing.length) throw new Error(`${service} serves none of ${missing.join(", ")}`);
    await writeFile(snapshotFile(service), JSON.stringify(document, null, 1) + "\n");
    console.log(`openapi/${service}.json: ${Object.keys(document.paths).length} paths`);
  }
}

async function types() {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  await mkdir(join(ROOT, "src", "api", "schema"), { recursive: true });
  for (const service of Object.keys(USED_PATHS)) {
    const ast = await openapiTS(JSON.parse(await readFile(snapshotFile(service), "utf8")));
    const header = `// Generated by scripts/openapi.mjs from openapi/${service}.json: do not edit.\n`;
    await writeFile(join(ROOT, "src", "api", "schema", `${service}.ts`), header + astToString(ast));
  }
}

/** Text for people, which may change without changing the contract. */
const DOCUMENTATION = new Set(["description", "summary", "example", "examples", "title"]);

/**
 * Where the live document no longer says what the snapshot says, as JSON pointers (at most a few). Objects may
 * gain keys; arrays (enums, required fields, parameter lists) must be equal.
 */
function differences(snapshot, live, at = "", found = []) {
  if (found.length >= 10 || isDeepStrictEqual(snapshot, live)) return found;
  if (snapshot && live && typeof snapshot === "object" && typeof live === "object" && !Array.isArray(snapshot)
      && !Array.isArray(live)) {
    for (const key of Object.keys(snapshot).filter((k) => !DOCUMENTATION.has(k))) {
      differences(snapshot[key], live[key], `${at}/${key}`, found);
    }
  } else {
    found.push(`${at}: snapshot ${JSON.stringify(snapshot)?.slice(0, 120)}, live ${JSON.stringify(live)?.slice(0, 120)}`);
  }
  return found;
}

async function check() {
  let failed = false;
  for (const service of Object.keys(USED_PATHS)) {
    const committed = JSON.parse(await readFile(snapshotFile(service), "utf8"));
    const { document, missing } = await live(service);
    const found = differences(committed, document);
    if (missing.length) found.unshift(`paths no longer served: ${missing.join(", ")}`);
    if (found.length) {
      failed = true;
      console.error(`openapi/${service}.json differs from ${liveUrl(service)}:\n  ${found.join("\n  ")}`);
    }
  }
  if (failed) {
    console.error("Update the console for the change, then run `npm run openapi:snapshot && npm run build`.");
    process.exit(1);
  }
  console.log("The console's OpenAPI snapshot matches the live services.");
}

const commands = { snapshot, types, check };
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = commands[process.argv[2]];
  if (!command) {
    console.error("usage: node scripts/openapi.mjs snapshot|types|check");
    process.exit(2);
  }
  await command();
}
