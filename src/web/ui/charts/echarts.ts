/** ECharts with only what the app draws: bar charts on a grid, tooltip, legend, SVG renderer (small bundle). */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
export const CHART_FONT = "'Noto Sans', 'Noto Sans Khmer', sans-serif";
/** Series colours: traffickers, users, others, then any further series. */
export const SERIES_COLOURS = ['#0b4f6c', '#d9822b', '#8a94a3', '#2a7aa6', '#5aa5c8'];
