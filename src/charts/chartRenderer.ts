import type { ChartSpec } from '../core/chartSpec.js';

/**
 * Draws a chart spec as a PNG. The bot's is the chart thread's (`createChartThread().render`), made
 * by the composition root; platforms receive it, so tests and benchmarks can pass their own.
 */
export type ChartRenderer = (spec: ChartSpec) => Promise<Buffer>;

/** The PNG file name adapters attach a chart under. */
export const CHART_FILE_NAME = 'chart.png';
