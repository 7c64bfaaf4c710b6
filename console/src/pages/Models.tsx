import { useEffect } from "preact/hooks";
import { api } from "../api/client";
import { FINISHED, useJobs } from "../jobs";
import { can } from "../session";
import { Link, Loading, formatTime, useApi } from "../ui";

export function Models() {
  const runs = useApi(() => api.get("/api/v1/train/refresh", { query: { limit: 1000 } }), []);
  const jobs = useJobs();
  // Without the stream, the list is what the API last said: ask again while runs are unfinished.
  const unfinished = runs.data?.data?.some((r) => !FINISHED.includes(jobs.statusOf(r.id!)?.status ?? r.train_status ?? ""));
  useEffect(() => {
    if (!unfinished || jobs.state === "live") return;
    const timer = setInterval(runs.reload, 5000);
    return () => clearInterval(timer);
  }, [unfinished, jobs.state]);
  return (
    <section>
      <h1>Models</h1>
      {can("can_train_models") && <Link class="button" href="/train" data-testid="train-button">Train a model</Link>}
      <Loading loaded={runs} />
      {runs.data && (
        <table data-testid="models">
          <thead><tr><th>Predictor</th><th>Problem</th><th>Algorithm</th><th>Dataset</th><th>Status</th><th>Accuracy</th><th>Created</th></tr></thead>
          <tbody>{runs.data.data?.map((r) => (
            <tr><td><Link href={`/models/${r.id}`}>{r.predictor_name}</Link></td><td>{r.problem_type}</td>
              <td>{r.algorithm}</td><td>{r.dataset_name}</td>
              <td><span class={`status ${jobs.statusOf(r.id!)?.status ?? r.train_status}`}>
                {jobs.statusOf(r.id!)?.status ?? r.train_status}</span></td>
              <td>{r.accuracy?.toFixed(3) ?? ""}</td><td>{formatTime(r.created_at)}</td></tr>))}</tbody>
        </table>
      )}
    </section>
  );
}
