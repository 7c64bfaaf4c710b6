import { useState } from "preact/hooks";
import { api, type DatalakeSchemas } from "../api/client";
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
        {schema && table && <Table key={`${schema}.${table}`} schema={schema} table={table} />}
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
  const [column, setColumn] = useState<DatalakeSchemas["Column"] | null>(null);
  const columns = useApi(() => api.get("/api/v1/datalake/tables/columns", { query }), [schema, table]);
  const metadata = useApi(() => api.get("/api/v1/datalake/table_metadata", { query }), [schema, table]);
  return (
    <div>
      <h2>{schema}.{table}</h2>
      <Loading loaded={metadata} />
      {metadata.data && <dl class="facts">{Object.entries(metadata.data).map(([k, v]) => <><dt>{k}</dt><dd>{String(v)}</dd></>)}</dl>}
      <Loading loaded={columns} />
      <table data-testid="columns"><thead><tr><th>Column</th><th>Type</th><th /></tr></thead>
        <tbody>{columns.data?.map((c) => (
          <tr><td>{c.column_name}</td><td>{c.data_type}</td>
            <td><button class="link" onClick={() => setColumn(c)}>Statistics</button></td></tr>))}</tbody></table>
      {column && <ColumnStatistics schema={schema} table={table} column={column.column_name!} type={column.data_type!} />}
    </div>
  );
}

const NUMERIC = /^(tinyint|smallint|int|integer|bigint|long|float|double|real|decimal.*)$/i;

/**
 * One column's distinct count and, for numbers, its statistics. Asked for one column at a time, one scan after
 * the other: datalake-service runs few scans at once and answers 429 past that.
 */
function ColumnStatistics({ schema, table, column, type }: { schema: string; table: string; column: string; type: string }) {
  const stats = useApi(async () => {
    const distinct = await api.get("/api/v1/datalake/distinct-count", { query: { schema, table, column } });
    const numbers = NUMERIC.test(type) ? await api.get("/api/v1/datalake/numeric_stats",
      { query: { schema_name: schema, table_name: table, column_name: column } }) : null;
    return { distinct, numbers };
  }, [schema, table, column]);
  const show = (v?: number | null) => (v == null ? "" : Number(v.toPrecision(6)).toString());
  const n = stats.data?.numbers;
  return (
    <div class="card" data-testid="column-statistics">
      <h3>{column} <span class="muted">{type}</span></h3>
      <Loading loaded={stats} />
      {stats.data && (
        <dl class="facts">
          <dt>distinct</dt><dd>{stats.data.distinct.distinct_count}{stats.data.distinct.approximate ? " (approximate)" : ""}</dd>
          {n && <><dt>count</dt><dd>{n.count}</dd><dt>mean</dt><dd>{show(n.mean)}</dd><dt>std dev</dt><dd>{show(n.std_dev)}</dd>
            <dt>min</dt><dd>{show(n.min)}</dd><dt>median</dt><dd>{show(n.median)}</dd><dt>max</dt><dd>{show(n.max)}</dd></>}
        </dl>
      )}
    </div>
  );
}
