import { parentPort } from 'node:worker_threads';
import type { ChartSpec } from '../core/chartSpec.js';
import { renderChart } from './renderChart.js';

// The chart thread's entry (started by createChartThread): renders each spec it is sent and posts
// back the PNG, or the error's message. Charts are drawn here rather than on the bot's thread so
// that drawing doesn't hold up its event loop, and so that the pixel copies (1.4 MB a chart) are
// collected by this thread's small heap rather than by full collections of the bot's.

/** A spec to draw; `id` pairs the answer with it. */
export interface ChartRequest {
  id: number;
  spec: ChartSpec;
}

/** The PNG (its buffer transferred), or why it could not be drawn. */
export type ChartResponse = { id: number; png: Uint8Array } | { id: number; error: string };

parentPort?.on('message', (request: ChartRequest) => {
  let response: ChartResponse;
  try {
    const png = renderChart(request.spec);
    // A PNG is tens of KB, so Buffer.concat gave it an ArrayBuffer of its own: hand it over.
    response = { id: request.id, png: png.byteOffset === 0 && png.byteLength === png.buffer.byteLength ? png : new Uint8Array(png) };
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ChartResponse);
    return;
  }
  parentPort!.postMessage(response, [response.png.buffer as ArrayBuffer]);
});
