import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type TrainingSchemas } from "../api/client";
import { Chart, barOption, confusionMatrixOption } from "../charts";
import { FINISHED, useJobs } from "../jobs";
import { navigate } from "../router";
import { can } from "../session";
import { ErrorBox, Link, Loading, NotFound, useAction, useApi } from "../ui";
import { Batch, Forecast, PredictForm } from "./Predict";

type Run = TrainingSchemas["RunItem"];

/** The run with this id from the tenant's list (another tenant's id is simply not there). */
async function findRun(id: number, refresh: boolean): Promise<Run | null> {
  const page = await api.get(refresh ? "/api/v1/train/refresh" : "/api/v1/train/list", { query: { limit: 1000 } });
  return page.data?.find((r) => r.id === id) ?? null;
}

export function Model({ id }: { id: number }) {
  const [refreshes, setRefreshes] = useState(0);
  const run = useApi(() => findRun(id, refreshes > 0), [id, refreshes]);
  const jobs = useJobs();
  const apiStatus = run.data?.train_status ?? "";
  // The stream's latest event, unless the API already knows an end the stream has not told (events sent while
  // the stream was reconnecting are not replayed).
  const streamed = FINISHED.includes(apiStatus) && !FINISHED.includes(jobs.statusOf(id)?.status ?? "")
    ? undefined : jobs.statusOf(id);
  const status = streamed?.status ?? apiStatus;
  const finished = FINISHED.includes(status);

  // Each time the stream (re)connects, read the run once: what happened while it was away is in the API only.
  useEffect(() => {
    if (jobs.state === "live" && run.data && !finished) setRefreshes((r) => r + 1);
  }, [jobs.state]);

  // While the stream is unavailable the page asks the API (which asks Ray) every 3 s until the run ends.
  useEffect(() => {
    if (finished || jobs.state === "live" || !run.data) return;
    const timer = setInterval(() => setRefreshes((r) => r + 1), 3000);
    return () => clearInterval(timer);
  }, [finished, jobs.state, run.data]);
  // Once an event says the run ended, read the run again (at once, then every 2 s until the API agrees) for
  // its accuracy, algorithm and error.
  const behind = !!streamed && FINISHED.includes(streamed.status) && !!run.data && run.data.train_status !== streamed.status;
  useEffect(() => {
    if (!behind || run.loading) return;
    const timer = setTimeout(() => setRefreshes((r) => r + 1), refreshes === 0 ? 0 : 2000);
    return () => clearTimeout(timer);
  }, [behind, run.loading]);

  const terminate = useAction(async () => {
    await api.post("/api/v1/ray/terminate_ray_job", { query: { ray_job_id: run.data!.ray_job_id, usage: "training" } });
    setRefreshes((r) => r + 1);
  });
  const remove = useAction(async () => {
    if (!confirm(`Delete ${run.data!.predictor_name} and its artifacts?`)) return;
    await api.delete("/api/v1/train/delete/{id}", { params: { id } });
    navigate("/models");
  });

  if (run.data === null) return <NotFound what={`Model ${id}`} />;
  if (!run.data) return <Loading loaded={run} />;
  const r = run.data;
  return (
    <section>
      <h1>{r.predictor_name} <span class="muted">#{r.id}</span></h1>
      <p>
        Status: <span class={`status ${status}`} data-testid="train-status" data-source={streamed ? "stream" : "api"}>{status}</span>
        {" "}<span class="muted">({streamed ? "live from the event stream" : jobs.state === "live" ? "waiting for events" : "from the API"})</span>
      </p>
      {(streamed?.error ?? r.error) && <p class="error">{streamed?.error ?? r.error}</p>}
      <dl class="facts">
        <dt>Problem</dt><dd>{r.problem_type} ({r.domain})</dd>
        <dt>Algorithm</dt><dd>{r.algorithm}</dd>
        <dt>Dataset</dt><dd><Link href={`/datasets/${r.dataset_id}`}>{r.dataset_name}</Link></dd>
        <dt>Snapshot</dt><dd>{r.snapshot_id}</dd>
        <dt>Ray job</dt><dd>{r.ray_job_id}</dd>
      </dl>
      <div class="actions">
        {!finished && can("can_manage_jobs") && <button onClick={() => void terminate.run()} disabled={terminate.busy}>Terminate</button>}
        {can("can_delete_models") && <button class="danger" onClick={() => void remove.run()} disabled={remove.busy}>Delete</button>}
        <Link href={`/predictions?train_id=${id}`}>Prediction log</Link>
      </div>
      <ErrorBox error={terminate.error ?? remove.error} />
      {status === "completed" && run.data.train_status === "completed" && <Completed run={r} />}
    </section>
  );
}

/** model-summary's free-form parts (JsonNode in the OpenAPI document; shapes from docs/training.md). */
interface Summary {
  model_summary?: Record<string, unknown>;
  confusion_matrix?: number[][];
  labels?: unknown[];
  parity?: Record<string, unknown>;
  snapshot_id?: number;
  forecast?: Record<string, unknown>;
}

function Completed({ run }: { run: Run }) {
  const summary = useApi(async () =>
    (await api.get("/api/v1/train/model-summary", { query: { train_id: run.id } })) as Summary, [run.id]);
  const s = summary.data;
  return (
    <div>
      <h2>Metrics</h2>
      <Loading loaded={summary} />
      {s && (
        <div class="grid">
          <table data-testid="metrics"><tbody>{Object.entries(s.model_summary ?? {}).map(([k, v]) => (
            <tr><th>{k}</th><td>{typeof v === "number" ? v.toFixed(4) : String(v)}</td></tr>))}</tbody></table>
          {s.parity && <table data-testid="parity"><caption>ONNX parity (snapshot {s.snapshot_id})</caption>
            <tbody>{Object.entries(s.parity).map(([k, v]) => <tr><th>{k}</th><td>{String(v)}</td></tr>)}</tbody></table>}
        </div>
      )}
      {s?.confusion_matrix && s.labels && (
        <div><h2>Confusion matrix</h2>
          <Chart testId="confusion-matrix" option={confusionMatrixOption(s.labels.map(String), s.confusion_matrix)} /></div>
      )}
      {run.problem_type !== "Forecast" && <Importance run={run} />}
      {can("can_run_inference") && (run.problem_type === "Forecast" ? <Forecast run={run} /> : (
        <div><PredictForm run={run} /><Batch run={run} /></div>))}
    </div>
  );
}

/** SHAP importance: runs after training when enabled, so it is asked for until its job ends. */
function Importance({ run }: { run: Run }) {
  const [attempt, setAttempt] = useState(0);
  const view = useApi(async () => {
    try {
      return await api.get("/api/v1/train/view-feature-importance", { query: { train_id: run.id } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null; // no SHAP job (yet)
      throw e;
    }
  }, [run.id, attempt]);
  const status = view.data?.status;
  useEffect(() => {
    if (!run.shap_enabled || view.loading || view.error || FINISHED.includes(status ?? "")) return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), 2000);
    return () => clearTimeout(timer);
  }, [view.loading, run.shap_enabled]);
  const shares = view.data?.feature_importance as Record<string, number> | null | undefined;
  return (
    <div>
      <h2>Feature importance (SHAP)</h2>
      {view.error ? <ErrorBox error={view.error} /> : null}
      {!view.data && !run.shap_enabled && <p class="muted">SHAP was not enabled for this run.</p>}
      {view.data && status !== "completed" && <p class="muted">SHAP job {status}{view.data.error ? `: ${view.data.error}` : ""}</p>}
      {shares && status === "completed" && <Chart testId="shap" option={barOption(shares, "share of mean |SHAP|")} />}
    </div>
  );
}
