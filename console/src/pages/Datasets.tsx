import { useState } from "preact/hooks";
import { api, ApiError, authorization, url, type DatasetSchemas } from "../api/client";
import { can } from "../session";
import { ErrorBox, Link, Loading, formatTime, useApi } from "../ui";

type Upload = DatasetSchemas["UploadResponse"];

/** A file's error_report (free-form JSON in the OpenAPI document; its shape is docs/datasets.md's). */
export interface ErrorReport {
  total_errors?: number;
  errors_by_reason?: Record<string, number>;
  errors?: { row: number; column?: string | null; value?: string | null; reason: string }[];
  file_problems?: string[];
  extra_columns?: string[];
}

export function Datasets() {
  const list = useApi(() => api.get("/api/v1/dataset/list", { query: { limit: 1000 } }), []);
  return (
    <section>
      <h1>Datasets</h1>
      {can("can_upload_datasets") && <UploadForm onUploaded={list.reload} />}
      <Loading loaded={list} />
      {list.data && (
        <table data-testid="datasets">
          <thead><tr><th>Name</th><th>Usage</th><th>Template</th><th>Files</th><th>Valid rows</th><th>Created</th></tr></thead>
          <tbody>{list.data.data?.map((d) => (
            <tr><td><Link href={`/datasets/${d.id}`}>{d.dataset_name}</Link></td><td>{d.dataset_usage ?? d.usage}</td>
              <td>{d.template_name ?? "inferred"}</td><td>{d.file_count}</td><td>{d.dataset_usability}</td>
              <td>{formatTime(d.created_at)}</td></tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}

function UploadForm({ onUploaded }: { onUploaded: () => void }) {
  const templates = useApi(() => api.get("/api/v1/template/list"), []);
  const [name, setName] = useState("");
  const [usage, setUsage] = useState("t");
  const [templateId, setTemplateId] = useState("");
  const [files, setFiles] = useState<FileList | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Upload | null>(null);

  const submit = async () => {
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const uploaded = await upload(url("/api/v1/dataset/upload", undefined,
        { dataset_name: name, usage, template_id: templateId || undefined }), files!, setProgress);
      setResult(uploaded);
      onUploaded();
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };

  return (
    <form class="card" data-testid="upload" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>Upload</h2>
      <label>Dataset name <input name="dataset_name" value={name} onInput={(e) => setName(e.currentTarget.value)} required /></label>
      <label>Usage <select name="usage" value={usage} onChange={(e) => setUsage(e.currentTarget.value)}>
        <option value="t">training</option><option value="p">prediction</option></select></label>
      <label>Template <select name="template_id" value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)}>
        <option value="">infer the schema</option>
        {templates.data?.data?.map((t) => <option value={String(t.id)}>{t.template_name}</option>)}</select></label>
      <label>CSV files <input name="files" type="file" accept=".csv,text/csv" multiple required
        onChange={(e) => setFiles(e.currentTarget.files)} /></label>
      <button type="submit" disabled={progress !== null}>Upload</button>
      {progress !== null && <progress data-testid="upload-progress" max={1} value={progress} />}
      <ErrorBox error={error} />
      {result && <UploadResult result={result} />}
    </form>
  );
}

/** XMLHttpRequest rather than fetch: only it reports upload progress. */
async function upload(target: string, files: FileList, onProgress: (share: number) => void): Promise<Upload> {
  const body = new FormData();
  for (const file of Array.from(files)) body.append("files", file, file.name);
  const headers = await authorization();
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", target);
    Object.entries(headers).forEach(([k, v]) => request.setRequestHeader(k, v));
    request.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    request.onerror = () => reject(new Error("The upload failed: the gateway could not be reached."));
    request.onload = () => {
      let answer: { message?: string; request_id?: string; details?: [] } = {};
      try { answer = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status >= 200 && request.status < 300) resolve(answer as Upload);
      else reject(new ApiError(request.status, answer.message ?? `${request.status} ${request.statusText}`,
        request.getResponseHeader("X-Request-Id") ?? answer.request_id ?? null, answer.details ?? []));
    };
    request.send(body);
  });
}

function UploadResult({ result }: { result: Upload }) {
  return (
    <div data-testid="upload-result">
      <p>Dataset <Link href={`/datasets/${result.dataset_id}`}>{result.dataset_name}</Link> (id {result.dataset_id}) uploaded.</p>
      {result.files?.map((f) => (
        <div>
          <h3>{f.file_name}: {f.total_records} rows, {f.total_fields} columns</h3>
          <ValidationReport report={f.error_report as ErrorReport | null} />
        </div>
      ))}
    </div>
  );
}

/** The validation report: counts per reason, then the first errors with their row, column and reason. */
export function ValidationReport({ report }: { report: ErrorReport | null | undefined }) {
  if (!report) return <p data-testid="report-clean">Every row is valid.</p>;
  return (
    <div data-testid="validation-report">
      <p><strong>{report.total_errors}</strong> rows rejected.</p>
      {report.file_problems?.map((p) => <p class="warning">{p}</p>)}
      {report.extra_columns?.length ? <p>Ignored extra columns: {report.extra_columns.join(", ")}</p> : null}
      <table data-testid="errors-by-reason">
        <thead><tr><th>Reason</th><th>Rows</th></tr></thead>
        <tbody>{Object.entries(report.errors_by_reason ?? {}).map(([reason, count]) => (
          <tr><td>{reason}</td><td>{count}</td></tr>))}</tbody>
      </table>
      <table data-testid="errors">
        <thead><tr><th>Row</th><th>Column</th><th>Value</th><th>Reason</th></tr></thead>
        <tbody>{report.errors?.map((e) => (
          <tr><td>{e.row}</td><td>{e.column ?? ""}</td><td>{e.value ?? ""}</td><td>{e.reason}</td></tr>))}</tbody>
      </table>
    </div>
  );
}
