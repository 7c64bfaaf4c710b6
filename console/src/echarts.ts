// ECharts tree-shaken to what the console draws: bar, heatmap and line charts on a canvas (the canvas renderer
// needs no inline styles, so it lives with the console's Content-Security-Policy).
import * as echarts from "echarts/core";
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent,
  VisualMapComponent, CanvasRenderer]);

export function createChart(element: HTMLElement, height: number): echarts.ECharts {
  return echarts.init(element, undefined, { renderer: "canvas", height });
}
