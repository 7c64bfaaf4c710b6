import { useState } from "preact/hooks";
import { api, type TrainingSchemas } from "../api/client";
import { navigate } from "../router";
import { can } from "../session";
import { ErrorBox, Loading, useAction, useApi } from "../ui";

type Details = TrainingSchemas["DetailsResponse"];
type Role = TrainingSchemas["ColumnRole"];
type ProblemType = TrainingSchemas["ProblemType"];

/** The algorithms training-service accepts per problem type (docs/training.md); `auto` tries each. */
const ALGORITHMS: Record<ProblemType, string[]> = {
  Classification: ["XGBoost", "LightGBM", "RandomForest", "LogisticRegression"],
  Regression: ["XGBoost", "LightGBM", "RandomForest", "LinearRegression"],
  Forecast: ["AutoARIMA", "AutoETS", "AutoTheta", "SeasonalNaive"],
};

export function Train() {
  const preselected = new URLSearchParams(location.search).get("dataset") ?? "";
  const datasets = useApi(() => api.get("/api/v1/dataset/list", { query: { limit: 1000 } }), []);
  const [datasetId, setDatasetId] = useState(preselected);
  const [predictor, setPredictor] = useState("");
  const [domain, setDomain] = useState("");
  const [problemType, setProblemType] = useState<ProblemType>("Classification");
  const [details, setDetails] = useState<Details | null>(null);
  const [roles, setRoles] = useState<Record<string, Role>>({});
  const [algorithm, setAlgorithm] = useState("auto");
  const [shap, setShap] = useState(false);

  const getDetails = useAction(async () => {
    const answer = await api.post("/api/v1/train/get_details", { json: {
      dataset_id: Number(datasetId), predictor_name: predictor, domain, problem_type: problemType } });
    setDetails(answer);
    setRoles(Object.fromEntries((answer.dataset_schema ?? []).map((c) => [c.column_name!,
      (answer.attributes?.includes("Feature") ? "Feature" : answer.attributes?.[0]) as Role])));
    setAlgorithm("auto");
  });
  const submit = useAction(async () => {
    const run = await api.post("/api/v1/train", { json: {
      dataset_id: Number(datasetId), predictor_name: predictor, domain, problem_type: problemType,
      is_incremental: false, algorithm, shap_enabled: shap,
      columns: (details!.dataset_schema ?? []).map((c) => ({ column_name: c.column_name, data_type: c.data_type,
        attribute_name: roles[c.column_name!] })),
    } });
    navigate(`/models/${run.id}`);
  });

  if (!can("can_train_models")) return <p>You do not hold the permission to train models (can_train_models).</p>;
  const trainable = datasets.data?.data?.filter((d) => (d.usage ?? d.dataset_usage)?.startsWith("t") && d.is_valid);
  return (
    <section>
      <h1>Train a model</h1>
      <Loading loaded={datasets} />
      <form class="card" onSubmit={(e) => { e.preventDefault(); void getDetails.run(); }}>
        <label>Dataset <select name="dataset_id" value={datasetId} required
          onChange={(e) => { setDatasetId(e.currentTarget.value); setDetails(null); }}>
          <option value="">choose…</option>
          {trainable?.map((d) => <option value={String(d.id)}>{d.dataset_name}</option>)}</select></label>
        <label>Predictor name <input name="predictor_name" value={predictor} required
          onInput={(e) => setPredictor(e.currentTarget.value)} /></label>
        <label>Domain <input name="domain" value={domain} required onInput={(e) => setDomain(e.currentTarget.value)} /></label>
        <label>Problem type <select name="problem_type" value={problemType}
          onChange={(e) => { setProblemType(e.currentTarget.value as ProblemType); setDetails(null); }}>
          {Object.keys(ALGORITHMS).map((p) => <option>{p}</option>)}</select></label>
        <button type="submit" disabled={getDetails.busy}>Choose columns</button>
        <ErrorBox error={getDetails.error} />
      </form>
      {details && (
        <form class="card" data-testid="train-form" onSubmit={(e) => { e.preventDefault(); void submit.run(); }}>
          <h2>Columns of {predictor}</h2>
          <table>
            <thead><tr><th>Column</th><th>Type</th><th>Role</th></tr></thead>
            <tbody>{details.dataset_schema?.map((c) => (
              <tr><td>{c.column_name}</td><td>{c.data_type}</td>
                <td><select aria-label={`role of ${c.column_name}`} value={roles[c.column_name!]}
                  onChange={(e) => setRoles({ ...roles, [c.column_name!]: e.currentTarget.value as Role })}>
                  {details.attributes?.map((a) => <option>{a}</option>)}</select></td></tr>))}</tbody>
          </table>
          <label>Algorithm <select name="algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.currentTarget.value)}>
            <option value="auto">auto (try each, keep the best)</option>
            {ALGORITHMS[details.problem_type ?? problemType].map((a) => <option>{a}</option>)}</select></label>
          {problemType !== "Forecast" && <label class="inline"><input type="checkbox" name="shap_enabled" checked={shap}
            onChange={(e) => setShap(e.currentTarget.checked)} /> SHAP feature importance</label>}
          <button type="submit" disabled={submit.busy}>Train</button>
          <ErrorBox error={submit.error} />
        </form>
      )}
    </section>
  );
}
