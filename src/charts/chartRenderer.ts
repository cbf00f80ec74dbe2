import type { ChartThread } from './createChartThread.js';
import type { ChartSpec } from '../core/chartSpec.js';

/** Draws a chart spec as a PNG. Adapters take one as an option, so tests and benchmarks can replace it. */
export type ChartRenderer = (spec: ChartSpec) => Promise<Buffer>;

let worker: ChartThread | undefined;

/**
 * The real renderer (src/charts): charts are drawn on a worker thread, started on first use, so
 * answers without a chart never start it and drawing never holds up the bot's event loop. The
 * first chart also loads the canvas and fonts there, so it takes longer than the next ones.
 */
export const lazyRenderChart: ChartRenderer = async (spec) => {
  worker ??= (await import('./createChartThread.js')).createChartThread();
  return worker.render(spec);
};

/** The PNG file name adapters attach a chart under. */
export const CHART_FILE_NAME = 'chart.png';
