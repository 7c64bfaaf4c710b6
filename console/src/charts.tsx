// Charts with Apache ECharts (./echarts.ts), loaded on the first page that draws one; the option builders below
// are plain data.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ECharts, EChartsCoreOption } from "echarts/core";

export function Chart({ option, testId, height = 320 }: { option: EChartsCoreOption; testId: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  useEffect(() => {
    let created: ECharts | null = null;
    let live = true;
    const resize = () => created?.resize();
    void import("./echarts").then(({ createChart }) => {
      if (!live) return;
      created = createChart(element.current!, height);
      setChart(created);
      window.addEventListener("resize", resize);
    });
    return () => {
      live = false;
      window.removeEventListener("resize", resize);
      created?.dispose();
    };
  }, []);
  useEffect(() => {
    // richText tooltips are drawn on the canvas: HTML ones would need inline styles, which the CSP refuses.
    chart?.setOption({ animation: false, ...option, tooltip: { ...(option.tooltip as object), renderMode: "richText" } }, true);
  }, [chart, option]);
  return <div class="chart" style={{ height: `${height}px` }} ref={element} data-testid={testId} />;
}

/** The confusion matrix: actual classes down, predicted across, counts as colour. */
export function confusionMatrixOption(labels: string[], matrix: number[][]): EChartsCoreOption {
  const cells = matrix.flatMap((row, actual) => row.map((count, predicted) => [predicted, actual, count]));
  return {
    tooltip: { position: "top" },
    grid: { left: 90, right: 90, top: 20, bottom: 50 },
    xAxis: { type: "category", data: labels, name: "predicted", nameLocation: "middle", nameGap: 30 },
    yAxis: { type: "category", data: labels, name: "actual", nameLocation: "middle", nameGap: 60, inverse: true },
    visualMap: { min: 0, max: Math.max(1, ...cells.map((c) => c[2])), calculable: true, orient: "vertical",
      right: 10, top: "middle" },
    series: [{ type: "heatmap", data: cells, label: { show: true } }],
  };
}

/** Horizontal bars, largest at the top. */
export function barOption(values: Record<string, number>, name: string): EChartsCoreOption {
  const entries = Object.entries(values).sort((a, b) => a[1] - b[1]);
  return {
    tooltip: {},
    grid: { left: 120, right: 30, top: 10, bottom: 30 },
    xAxis: { type: "value", name },
    yAxis: { type: "category", data: entries.map((e) => e[0]) },
    series: [{ type: "bar", data: entries.map((e) => e[1]) }],
  };
}

/** A histogram from bin edges and counts. */
export function histogramOption(edges: (number | string)[], counts: number[]): EChartsCoreOption {
  const labels = counts.map((_, i) => `${round(edges[i])}–${round(edges[i + 1])}`);
  return {
    tooltip: {},
    grid: { left: 50, right: 20, top: 10, bottom: 40 },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: counts, barCategoryGap: "2%" }],
  };
}

export interface ForecastPoint { date: string; value: number; lower?: number; upper?: number; lower_80?: number; upper_80?: number }

/** History as a line, the forecast as a line with its 95% and 80% bands stacked as areas. */
export function forecastOption(history: { date: string; value: number }[], forecast: ForecastPoint[]): EChartsCoreOption {
  const dates = [...history.map((p) => p.date), ...forecast.map((p) => p.date)];
  const pad = (values: (number | undefined)[]) => [...history.map(() => null), ...values.map((v) => v ?? null)];
  const band = (name: string, lower: (p: ForecastPoint) => number | undefined,
    upper: (p: ForecastPoint) => number | undefined, color: string) => [
    { name, type: "line", data: pad(forecast.map(lower)), stack: name, lineStyle: { opacity: 0 }, symbol: "none",
      itemStyle: { color } },
    { name, type: "line", data: pad(forecast.map((p) => (upper(p) ?? 0) - (lower(p) ?? 0))), stack: name,
      lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color }, itemStyle: { color } },
  ];
  return {
    tooltip: { trigger: "axis" },
    legend: { data: ["history", "forecast", "95%", "80%"], top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: "category", data: dates },
    yAxis: { type: "value", scale: true },
    series: [
      ...band("95%", (p) => p.lower, (p) => p.upper, "rgba(70,130,180,0.18)"),
      ...band("80%", (p) => p.lower_80, (p) => p.upper_80, "rgba(70,130,180,0.35)"),
      { name: "history", type: "line", data: [...history.map((p) => p.value), ...forecast.map(() => null)], symbol: "none" },
      { name: "forecast", type: "line", data: pad(forecast.map((p) => p.value)), symbol: "circle" },
    ],
  };
}

/** A bin edge as a short label: numbers to 3 significant digits, dates (ISO text) to the day. */
const round = (edge: number | string) => typeof edge === "string" ? edge.slice(0, 10)
  : Math.abs(edge) >= 100 ? edge.toFixed(0) : Number(edge.toPrecision(3)).toString();
