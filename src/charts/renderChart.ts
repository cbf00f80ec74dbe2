import type { ChartSpec } from '../core/chartSpec.js';
import { drawChart } from './drawChart.js';
import { encodePng } from './encodePng.js';

/**
 * A chart spec as a PNG, 800×450: laid out with d3-scale, painted on a @napi-rs/canvas canvas
 * (fonts registered once per thread, from npm), compressed by zlib. Synchronous and meant for the
 * chart thread (src/charts/chartThread.ts): the bot calls `createChartThread().render`, which sends the spec
 * there. Throws on a bad spec or a drawing failure; callers keep their text answer either way.
 */
export function renderChart(spec: ChartSpec): Buffer {
  const { pixels, width, height } = drawChart(spec);
  return encodePng(pixels, width, height);
}
