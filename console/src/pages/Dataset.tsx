import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { FINISHED } from "../jobs";
import { Chart, histogramOption } from "../charts";
import { can } from "../session";
import { ErrorBox, Link, Loading, NotFound, useAction, useApi, saveBlob, downloadFile, ApiErrorIs404 } from "../ui";
import { ValidationReport, type ErrorReport } from "./Datasets";

export function Dataset({ id }: { id: number }) {
  const detail = useApi(() => api.get("/api/v1/dataset/get_dataset_by_id", { query: { dataset_id: id } }), [id]);
  const files = useApi(() => api.get("/api/v1/files/list", { query: { dataset_id: id } }), [id]);
  const preview = useApi(() => api.get("/api/v1/dataset/view", { query: { dataset_id: id } }), [id]);
  if (ApiErrorIs404(detail.error)) return <NotFound what={`Dataset ${id}`} />;
  const rows = (preview.data?.preview ?? []) as Record<string, unknown>[];
  const columns = rows.length ? Object.keys(rows[0]) : [];
  return (
    <section>
      <h1>Dataset {detail.data?.dataset_name ?? id}</h1>
      <Loading loaded={detail} />
      {can("can_train_models") && <Link class="button" href={`/train?dataset=${id}`}>Train a model</Link>}
      <h2>Files</h2>
      <Loading loaded={files} />
      <table data-testid="files">
        <thead><tr><th>File</th><th>Rows</th><th>Columns</th><th>Valid</th><th /></tr></thead>
        <tbody>{files.data?.data?.map((f) => (
          <tr><td>{f.file_name}</td><td>{f.total_records}</td><td>{f.total_fields}</td><td>{f.is_valid ? "yes" : "no"}</td>
            <td><DownloadFile fileId={f.id!} name={f.file_name ?? "file.csv"} /></td></tr>))}</tbody>
      </table>
      {files.data?.data?.filter((f) => f.error_report).map((f) => (
        <details><summary>Validation report of {f.file_name}</summary>
          <ValidationReport report={f.error_report as ErrorReport} /></details>))}
      <h2>Preview</h2>
      <Loading loaded={preview} />
      <table data-testid="preview">
        <thead><tr>{columns.map((c) => <th>{c}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr>{columns.map((c) => <td>{String(r[c] ?? "")}</td>)}</tr>)}</tbody>
      </table>
      <Statistics id={id} />
    </section>
  );
}

/** Downloads a file, then saves it. */
export function DownloadFile({ fileId, name, label = "Download" }: { fileId: number; name: string; label?: string }) {
  const download = useAction(async () => {
    saveBlob(await downloadFile(fileId), name);
  });
  return <span><button class="link" disabled={download.busy} onClick={() => void download.run()}>{label}</button>
    <ErrorBox error={download.error} /></span>;
}

/** Column statistics (a Ray job): a histogram per numeric column, the top values per string column. */
interface ColumnStatistics {
  column_name: string;
  data_type: string;
  count?: number;
  missing?: number;
  distinct?: number;
  mean?: number | null;
  histogram?: { edges: (number | string)[]; counts: number[] } | null;
  top_values?: { value: unknown; count: number }[] | null;
}

function Statistics({ id }: { id: number }) {
  const [attempt, setAttempt] = useState(0);
  const stats = useApi(() => api.get("/api/v1/dataset/statistics", { query: { dataset_id: id } }), [id, attempt]);
  // A job on Ray: asked for again every 3 s until it ends.
  const running = !!stats.data && !FINISHED.includes(stats.data.status ?? "");
  useEffect(() => {
    if (!running || stats.loading) return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), 3000);
    return () => clearTimeout(timer);
  }, [running, stats.loading]);
  const generate = useAction(async () => {
    await api.post("/api/v1/dataset/generate_statistics", { query: { dataset_id: id } });
    stats.reload();
  });
  const columns = statisticsColumns(stats.data?.statistics);
  return (
    <div>
      <h2>Statistics</h2>
      {stats.data && <p>Status: {stats.data.status} {stats.data.error}</p>}
      {stats.error && !ApiErrorIs404(stats.error) ? <ErrorBox error={stats.error} /> : null}
      {can("can_upload_datasets") && <button onClick={() => void generate.run()} disabled={generate.busy}>Generate statistics</button>}
      <ErrorBox error={generate.error} />
      <div class="grid">{columns.map((c) => (
        <div class="card"><h3>{c.column_name} <span class="muted">{c.data_type}</span></h3>
          <p class="muted">{c.count} values, {c.missing} missing, {c.distinct} distinct</p>
          {c.histogram && <Chart testId={`histogram-${c.column_name}`} height={200}
            option={histogramOption(c.histogram.edges, c.histogram.counts)} />}
          {c.top_values && <table><tbody>{c.top_values.map((t) => <tr><td>{String(t.value)}</td><td>{t.count}</td></tr>)}</tbody></table>}
        </div>))}</div>
    </div>
  );
}

/** The job's result ({row_count, columns: [...]}, docs/datasets.md): free-form JSON in the OpenAPI document. */
function statisticsColumns(statistics: unknown): ColumnStatistics[] {
  const columns = (statistics as { columns?: ColumnStatistics[] } | null | undefined)?.columns;
  return Array.isArray(columns) ? columns : [];
}
