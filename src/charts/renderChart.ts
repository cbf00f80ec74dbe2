import type { ChartSpec } from '../core/chartSpec.js';
import { drawChart } from './drawChart.js';
import { encodePng } from './encodePng.js';

/**
 * A chart spec as a PNG, 800×450, drawn on this thread: laid out with d3-scale, painted on a
 * @napi-rs/canvas canvas (fonts registered once per thread, from npm), compressed by zlib on the
 * thread pool. The bot calls it on the chart worker (`lazyRenderChart`). Rejects on a bad spec or
 * a drawing failure; callers keep their text answer either way.
 */
export async function renderChart(spec: ChartSpec): Promise<Buffer> {
  const { pixels, width, height } = drawChart(spec);
  return encodePng(pixels, width, height);
}
