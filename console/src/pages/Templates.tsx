import { useState } from "preact/hooks";
import { api, type CatalogSchemas } from "../api/client";
import { can } from "../session";
import { ErrorBox, Loading, formatTime, useAction, useApi } from "../ui";

type Column = CatalogSchemas["Column"];
export const DATA_TYPES = ["String", "Integer", "Float", "Boolean", "Date", "DateTime"];

export function Templates() {
  const list = useApi(() => api.get("/api/v1/template/list"), []);
  const [editing, setEditing] = useState<{ id?: number } | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  return (
    <section>
      <h1>Templates</h1>
      {can("can_manage_templates") && !editing && <button onClick={() => setEditing({})}>New template</button>}
      {editing && <TemplateEditor id={editing.id} onDone={() => { setEditing(null); list.reload(); }} />}
      {viewing !== null && <TemplateVersions id={viewing} />}
      <Loading loaded={list} />
      {list.data && (
        <table data-testid="templates">
          <thead><tr><th>Name</th><th>Columns</th><th>Created by</th><th>Modified</th><th /></tr></thead>
          <tbody>{list.data.data?.map((t) => (
            <tr><td><button class="link" onClick={() => setViewing(t.id!)}>{t.template_name}</button></td><td>{t.no_of_columns}</td><td>{t.created_by}</td>
              <td>{formatTime(t.modified_at)}</td>
              <td>{can("can_manage_templates") && <button class="link" onClick={() => setEditing({ id: t.id })}>Edit</button>}</td></tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}

/** The column editor: a row per column with its name, type and default, for a new template or an update. */
function TemplateEditor({ id, onDone }: { id?: number; onDone: () => void }) {
  const [name, setName] = useState("");
  const [columns, setColumns] = useState<Column[]>([{ column_name: "", data_type: "String", default_value: "" }]);
  const existing = useApi(async () => {
    if (id === undefined) return null;
    const detail = await api.get("/api/v1/template/{template_id}", { params: { template_id: id } });
    setName(detail.template_name ?? "");
    setColumns(detail.template_schema ?? []);
    return detail;
  }, [id]);
  const save = useAction(async () => {
    const body = {
      template_name: name,
      template_schema: columns.map((c) => ({ ...c, default_value: c.default_value === "" ? undefined : c.default_value })),
    };
    if (id === undefined) await api.post("/api/v1/template", { json: body });
    else await api.put("/api/v1/template/update/{template_id}", { params: { template_id: id }, json: body });
    onDone();
  });
  const update = (i: number, change: Partial<Column>) =>
    setColumns(columns.map((c, j) => (i === j ? { ...c, ...change } : c)));
  return (
    <form class="card" data-testid="template-editor" onSubmit={(e) => { e.preventDefault(); void save.run(); }}>
      <h2>{id === undefined ? "New template" : `Template ${id}`}</h2>
      <Loading loaded={existing} />
      <label>Name <input name="template_name" value={name} onInput={(e) => setName(e.currentTarget.value)} required /></label>
      <table>
        <thead><tr><th>Column</th><th>Type</th><th>Default</th><th /></tr></thead>
        <tbody>{columns.map((c, i) => (
          <tr data-testid="template-column">
            <td><input aria-label="column name" value={c.column_name} required
              onInput={(e) => update(i, { column_name: e.currentTarget.value })} /></td>
            <td><select aria-label="data type" value={c.data_type}
              onChange={(e) => update(i, { data_type: e.currentTarget.value })}>
              {DATA_TYPES.map((t) => <option>{t}</option>)}</select></td>
            <td><input aria-label="default value" value={c.default_value ?? ""}
              onInput={(e) => update(i, { default_value: e.currentTarget.value })} /></td>
            <td><button type="button" class="link" onClick={() => setColumns(columns.filter((_, j) => j !== i))}>Remove</button></td>
          </tr>
        ))}</tbody>
      </table>
      <div class="actions">
        <button type="button" onClick={() => setColumns([...columns, { column_name: "", data_type: "String", default_value: "" }])}>
          Add column</button>
        <button type="submit" disabled={save.busy}>Save template</button>
        <button type="button" class="link" onClick={onDone}>Cancel</button>
      </div>
      <ErrorBox error={save.error} />
    </form>
  );
}

/** A template's columns in any of its versions (an update makes a new one; datasets keep theirs). */
function TemplateVersions({ id }: { id: number }) {
  const [version, setVersion] = useState<number | undefined>(undefined);
  const latest = useApi(() => api.get("/api/v1/template/{template_id}", { params: { template_id: id } }), [id]);
  const shown = useApi(() => api.get("/api/v1/template/{template_id}", { params: { template_id: id }, query: { version } }),
    [id, version]);
  const versions = Array.from({ length: latest.data?.version ?? 0 }, (_, i) => i + 1).reverse();
  return (
    <div class="card" data-testid="template-versions">
      <h2>{latest.data?.template_name} <span class="muted">used by {latest.data?.used_by_datasets ?? 0} datasets</span></h2>
      <label>Version <select value={String(shown.data?.version ?? "")}
        onChange={(e) => setVersion(Number(e.currentTarget.value))}>
        {versions.map((v) => <option value={String(v)}>{v}{v === latest.data?.version ? " (latest)" : ""}</option>)}</select></label>
      <Loading loaded={shown} />
      <table><thead><tr><th>Column</th><th>Type</th><th>Default</th></tr></thead>
        <tbody>{shown.data?.template_schema?.map((c) => (
          <tr><td>{c.column_name}</td><td>{c.data_type}</td><td>{c.default_value ?? ""}</td></tr>))}</tbody></table>
      <p class="muted">Modified {formatTime(shown.data?.modified_at)} by {shown.data?.modified_by}</p>
    </div>
  );
}
