import type { ChartSpec } from '../core/chartSpec.js';

/** Draws a chart spec as a PNG. Adapters take one as an option, so tests and benchmarks can replace it. */
export type ChartRenderer = (spec: ChartSpec) => Promise<Buffer>;

/**
 * The real renderer (src/charts), loaded on first use: answers without a chart never load ECharts
 * and the canvas. The first call also registers the fonts, so it takes longer than the next ones.
 */
export const lazyRenderChart: ChartRenderer = async (spec) => (await import('../charts/renderChart.js')).renderChart(spec);

/** The PNG file name adapters attach a chart under. */
export const CHART_FILE_NAME = 'chart.png';
