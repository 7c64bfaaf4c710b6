import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type InferenceSchemas, type TrainingSchemas } from "../api/client";
import { Chart, barOption, forecastOption, type ForecastPoint } from "../charts";
import { FINISHED } from "../jobs";
import { ErrorBox, Loading, downloadFile, useAction, useApi } from "../ui";
import { DownloadFile } from "./Dataset";

type Run = TrainingSchemas["RunItem"];
type Form = InferenceSchemas["Form"];

/** Inference learns of a model from training's events, a moment after it completes: ask again on 404 for a while. */
async function formOf(id: number): Promise<Form> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await api.get("/api/v1/inference/form-based-prediction", { query: { id } });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404) || Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** The real-time prediction form, one input per model input with its default, as form-based-prediction lists them. */
export function PredictForm({ run }: { run: Run }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const form = useApi(async () => {
    const answer = await formOf(run.id!);
    setValues(Object.fromEntries((answer.headers ?? []).map((h) => [h.column_name!, h.default_value ?? ""])));
    return answer;
  }, [run.id]);
  const predict = useAction(async () => {
    const f = form.data!;
    // Empty inputs are left out: the model's imputer fills them. Text values are parsed by the service.
    const features = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
    return api.post("/api/v1/inference", { json: { train_id: f.id, preprocess_id: f.preprocess_id, target: f.target, features } });
  });
  const [answer, setAnswer] = useState<InferenceSchemas["Answer"] | null>(null);
  return (
    <form class="card" data-testid="predict-form" onSubmit={async (e) => {
      e.preventDefault();
      setAnswer((await predict.run()) ?? null);
    }}>
      <h2>Predict {form.data?.target}</h2>
      <Loading loaded={form} />
      {form.data?.headers?.map((h) => (
        <label>{h.column_name} <span class="muted">{h.data_type}</span>
          {h.data_type === "Boolean"
            ? <select name={h.column_name} value={values[h.column_name!]}
                onChange={(e) => setValues({ ...values, [h.column_name!]: e.currentTarget.value })}>
                <option value="" /><option>true</option><option>false</option></select>
            : <input name={h.column_name} value={values[h.column_name!]}
                inputMode={h.data_type === "Integer" || h.data_type === "Float" ? "decimal" : undefined}
                onInput={(e) => setValues({ ...values, [h.column_name!]: e.currentTarget.value })} />}
        </label>))}
      {form.data && <button type="submit" disabled={predict.busy}>Predict</button>}
      <ErrorBox error={predict.error} />
      {answer && (
        <div data-testid="prediction-result">
          <p>Prediction: <strong data-testid="prediction">{String(answer.prediction)}</strong>
            {answer.accuracy != null && <span class="muted"> (model accuracy {answer.accuracy.toFixed(3)})</span>}</p>
          {answer.probabilities && (
            <div class="grid">
              <table data-testid="probabilities"><thead><tr><th>Class</th><th>Probability</th></tr></thead>
                <tbody>{Object.entries(answer.probabilities).map(([label, p]) => (
                  <tr><td>{label}</td><td>{(p as number).toFixed(4)}</td></tr>))}</tbody></table>
              <Chart testId="probabilities-chart" height={160}
                option={barOption(answer.probabilities as Record<string, number>, "probability")} />
            </div>
          )}
        </div>
      )}
    </form>
  );
}

/** A batch prediction over a prediction dataset (usage p), followed to its result file, which downloads. */
export function Batch({ run }: { run: Run }) {
  const datasets = useApi(() => api.get("/api/v1/dataset/list", { query: { limit: 1000 } }), []);
  const [datasetId, setDatasetId] = useState("");
  const [predictionId, setPredictionId] = useState<number | null>(null);
  const start = useAction(async () => {
    const started = await api.post("/api/v1/inference/batch-prediction",
      { json: { train_id: run.id!, dataset_id: Number(datasetId) } }) as { prediction_id?: number };
    setPredictionId(started.prediction_id ?? null);
  });
  const candidates = datasets.data?.data?.filter((d) => (d.usage ?? d.dataset_usage)?.startsWith("p") && d.is_valid);
  return (
    <form class="card" data-testid="batch" onSubmit={(e) => { e.preventDefault(); void start.run(); }}>
      <h2>Batch prediction</h2>
      <label>Dataset (for prediction) <select name="batch_dataset" value={datasetId} required
        onChange={(e) => setDatasetId(e.currentTarget.value)}>
        <option value="">choose…</option>
        {candidates?.map((d) => <option value={String(d.id)}>{d.dataset_name}</option>)}</select></label>
      <button type="submit" disabled={start.busy || !datasetId}>Run batch prediction</button>
      <ErrorBox error={start.error} />
      {predictionId !== null && <BatchResult predictionId={predictionId} name={`${run.predictor_name}-${predictionId}.csv`} />}
    </form>
  );
}

/** Asks /inference/result until the job has ended and, when it completed, its file is recorded. */
function BatchResult({ predictionId, name }: { predictionId: number; name: string }) {
  const [attempt, setAttempt] = useState(0);
  const result = useApi(() => api.get("/api/v1/inference/result", { query: { prediction_id: predictionId } }),
    [predictionId, attempt]);
  const r = result.data;
  const done = r && FINISHED.includes(r.status ?? "") && (r.status !== "completed" || r.file_id != null);
  useEffect(() => {
    if (done || result.loading || result.error) return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), 1500);
    return () => clearTimeout(timer);
  }, [result.loading]);
  return (
    <div data-testid="batch-result">
      <ErrorBox error={result.error} />
      <p>Prediction {predictionId}: <span data-testid="batch-status">{r?.status ?? "submitted"}</span>
        {r?.no_of_records != null && `, ${r.no_of_records} rows`}
        {r?.accuracy != null && `, accuracy ${r.accuracy.toFixed(3)}`} {r?.error}</p>
      {r?.status === "completed" && r.file_id != null && <DownloadFile fileId={r.file_id} name={name} label="Download result" />}
    </div>
  );
}

const FREQUENCIES = ["Hour", "Day", "Week", "Month", "Quarter", "Year"];

/** A series' history, and once asked for, its forecast with the 80% and 95% bands. */
export function Forecast({ run }: { run: Run }) {
  const [series, setSeries] = useState("");
  const [steps, setSteps] = useState("14");
  const [frequency, setFrequency] = useState("Day");
  const [points, setPoints] = useState<ForecastPoint[]>([]);
  const history = useApi(() => historyOf(run), [run.id]);
  const seriesIds = history.data ? [...history.data.series.keys()] : [];
  // The first series until the user picks one: a chart of every series at once would be a tangle.
  const shown = series || seriesIds[0] || "";
  const ask = useAction(() => api.post("/api/v1/inference/forecast", { json: {
    train_id: run.id, preprocess_id: run.preprocess_id, steps: Number(steps), frequency, unique_id: shown || undefined } }));
  return (
    <form class="card" data-testid="forecast" onSubmit={async (e) => {
      e.preventDefault();
      const answer = await ask.run();
      if (answer) setPoints(((answer.forecast ?? []) as ForecastPoint[]).map((p) => ({ ...p, date: dateKey(p.date) })));
    }}>
      <h2>Forecast</h2>
      <label>Series id <input name="unique_id" value={series} list="forecast-series" placeholder={seriesIds[0]}
        onInput={(e) => { setSeries(e.currentTarget.value); setPoints([]); }} /></label>
      <datalist id="forecast-series">{seriesIds.map((id) => <option value={id} />)}</datalist>
      <label>Steps <input name="steps" type="number" min={1} max={1000} value={steps} onInput={(e) => setSteps(e.currentTarget.value)} /></label>
      <label>Frequency <select name="frequency" value={frequency} onChange={(e) => setFrequency(e.currentTarget.value)}>
        {FREQUENCIES.map((f) => <option>{f}</option>)}</select></label>
      <button type="submit" disabled={ask.busy}>Forecast</button>
      <ErrorBox error={ask.error} />
      <Loading loaded={history} />
      {history.data && <p class="muted" data-testid="history-source">{history.data.source}</p>}
      {points.length > 0 && <p data-testid="forecast-range">Series {shown || "(single)"}: {points.length} points forecast,
        {" "}{points[0].date} to {points[points.length - 1].date}.</p>}
      {history.data && <Chart testId="forecast-chart"
        option={forecastOption(history.data.series.get(shown) ?? [], points)} />}
    </form>
  );
}

/** Above this many rows the training files are not downloaded for the chart; the preview rows stand in. */
const HISTORY_MAX_ROWS = 100_000;
/** The series of a model trained without an Id column. */
const SINGLE_SERIES = "";

interface History {
  series: Map<string, { date: string; value: number }[]>;
  /** Where the points come from, told to the user: the API offers no history of its own. */
  source: string;
}

/**
 * Each series' history from the training dataset: its raw CSV files when they are small enough, else the first
 * rows of its preview. A forecaster's schema lists its Id (when it has one), its Timestamp and its Target.
 */
async function historyOf(run: Run): Promise<History> {
  const [schema, files] = await Promise.all([
    api.get("/api/v1/train/download-schema/{train_id}", { params: { train_id: run.id! } }),
    api.get("/api/v1/files/list", { query: { dataset_id: run.dataset_id } }),
  ]);
  const columns = ((schema.schema ?? []) as unknown as { column_name: string }[]).map((c) => c.column_name);
  const [id, timestamp, target] = columns.length >= 3 ? columns : [undefined, ...columns];
  const valid = (files.data ?? []).filter((f) => f.is_valid);
  const rowCount = valid.reduce((sum, f) => sum + (f.total_records ?? 0), 0);
  let rows: Record<string, unknown>[];
  let source: string;
  if (rowCount <= HISTORY_MAX_ROWS) {
    rows = (await Promise.all(valid.map((f) => csvRows(f.id!)))).flat();
    source = `History: the training dataset's ${valid.length === 1 ? "file" : `${valid.length} files`}, ${rowCount} rows.`;
  } else {
    rows = ((await api.get("/api/v1/dataset/view", { query: { dataset_id: run.dataset_id } })).preview ?? []) as
      Record<string, unknown>[];
    source = `History: the dataset's first ${rows.length} rows only (${rowCount} rows are too many to draw here).`;
  }
  const series = new Map<string, { date: string; value: number }[]>();
  for (const row of rows) {
    const [when, value] = [row[timestamp!], Number(row[target!])];
    if (when == null || when === "" || row[target!] === "" || !Number.isFinite(value)) continue; // a rejected row
    const key = id ? String(row[id]) : SINGLE_SERIES;
    if (!series.has(key)) series.set(key, []);
    series.get(key)!.push({ date: dateKey(String(when)), value });
  }
  series.forEach((points) => points.sort((a, b) => a.date.localeCompare(b.date)));
  return { series, source };
}

/** A raw file's rows by header name. Plain comma splitting: a forecaster's columns are ids, dates and numbers. */
async function csvRows(fileId: number): Promise<Record<string, string>[]> {
  const [header, ...lines] = (await (await downloadFile(fileId)).text()).split(/\r?\n/).filter((line) => line !== "");
  const names = header.split(",").map((name) => name.trim().replace(/^"|"$/g, ""));
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(names.map((name, i) => [name, (cells[i] ?? "").trim().replace(/^"|"$/g, "")]));
  });
}

/** One spelling per instant, so history (as uploaded) and forecast (ISO date-times) meet on one axis. */
const dateKey = (text: string) => text.replace(" ", "T").replace(/(T00:00(:00(\.0+)?)?)?Z?$/, "");
