import { api } from "../api/client";
import { Link, Loading, formatTime, useApi } from "../ui";

/** The prediction log: real-time calls, batches and forecasts, newest first, of one model or all. */
export function Predictions() {
  const trainId = new URLSearchParams(location.search).get("train_id");
  const log = useApi(() => api.get("/api/v1/inference/predictions",
    { query: { train_id: trainId ? Number(trainId) : undefined, limit: 200 } }), [trainId]);
  return (
    <section>
      <h1>Prediction log {trainId && <span class="muted">of model <Link href={`/models/${trainId}`}>#{trainId}</Link></span>}</h1>
      <Loading loaded={log} />
      {log.data && (
        <table data-testid="prediction-log">
          <thead><tr><th>Id</th><th>When</th><th>Model</th><th>Type</th><th>Status</th><th>Rows</th><th>Accuracy</th><th>Input</th></tr></thead>
          <tbody>{log.data.data?.map((p) => (
            <tr><td>{p.prediction_id}</td><td>{formatTime(p.date)}</td>
              <td><Link href={`/models/${p.train_id}`}>{p.predictor_name}</Link></td><td>{p.prediction_type}</td>
              <td>{p.status}</td><td>{p.no_of_records}</td><td>{p.accuracy?.toFixed(3) ?? ""}</td>
              <td class="clip">{p.input_data}</td></tr>))}</tbody>
        </table>
      )}
    </section>
  );
}
