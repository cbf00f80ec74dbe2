import type { ChartSpec } from '../core/chartSpec.js';
import { drawChart } from './drawChart.js';
import { encodePng } from './encodePng.js';

/**
 * A chart spec as a PNG, 800×450: ECharts draws it on a @napi-rs/canvas canvas (fonts registered
 * once per process, from npm), zlib compresses it off the event loop. Rejects on a bad spec or a
 * drawing failure; callers keep their text answer either way.
 */
export async function renderChart(spec: ChartSpec): Promise<Buffer> {
  const { pixels, width, height } = drawChart(spec);
  return encodePng(pixels, width, height);
}
