import { useState } from "preact/hooks";
import { api } from "../api/client";
import { Loading, useApi } from "../ui";

/** Schemas -> tables -> columns and the table's metadata. */
export function Datalake() {
  const schemas = useApi(() => api.get("/api/v1/datalake/schemas"), []);
  const [schema, setSchema] = useState<string | null>(null);
  const [table, setTable] = useState<string | null>(null);
  return (
    <section>
      <h1>Datalake</h1>
      <Loading loaded={schemas} />
      <div class="columns">
        <ul class="picker" data-testid="schemas">{schemas.data?.map((s) => (
          <li><button class={s === schema ? "link active" : "link"} onClick={() => { setSchema(s); setTable(null); }}>{s}</button></li>))}</ul>
        {schema && <Tables schema={schema} table={table} onTable={setTable} />}
        {schema && table && <Table schema={schema} table={table} />}
      </div>
    </section>
  );
}

function Tables({ schema, table, onTable }: { schema: string; table: string | null; onTable: (t: string) => void }) {
  const tables = useApi(() => api.get("/api/v1/datalake/schemas/tables", { query: { schema_name: schema } }), [schema]);
  return (
    <div><Loading loaded={tables} />
      <ul class="picker" data-testid="tables">{tables.data?.map((t) => (
        <li><button class={t === table ? "link active" : "link"} onClick={() => onTable(t)}>{t}</button></li>))}
        {tables.data?.length === 0 && <li class="muted">no tables</li>}</ul></div>
  );
}

function Table({ schema, table }: { schema: string; table: string }) {
  const query = { schema_name: schema, table_name: table };
  const columns = useApi(() => api.get("/api/v1/datalake/tables/columns", { query }), [schema, table]);
  const metadata = useApi(() => api.get("/api/v1/datalake/table_metadata", { query }), [schema, table]);
  return (
    <div>
      <h2>{schema}.{table}</h2>
      <Loading loaded={metadata} />
      {metadata.data && <dl class="facts">{Object.entries(metadata.data).map(([k, v]) => <><dt>{k}</dt><dd>{String(v)}</dd></>)}</dl>}
      <Loading loaded={columns} />
      <table data-testid="columns"><thead><tr><th>Column</th><th>Type</th></tr></thead>
        <tbody>{columns.data?.map((c) => <tr><td>{c.column_name}</td><td>{c.data_type}</td></tr>)}</tbody></table>
    </div>
  );
}
