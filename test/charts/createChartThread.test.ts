import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createChartThread } from '../../src/charts/createChartThread.js';
import { renderChart } from '../../src/charts/renderChart.js';
import { decodePng } from './decodePng.js';
import { syntheticSpec } from './syntheticSpec.js';

const run = promisify(execFile);
const worker = createChartThread();
afterAll(() => worker.close());

describe('createChartThread', () => {
  it('draws on its thread exactly the PNG drawn in-process', async () => {
    const spec = syntheticSpec(30, { highlightEvery: 3, threshold: 470 });
    const png = await worker.render(spec);
    expect(png.equals(renderChart(spec))).toBe(true);
    expect(decodePng(png).width).toBe(800);
  });

  it('answers concurrent renders each with its own chart', async () => {
    const specs = [1, 10, 50, 200].map((count) => syntheticSpec(count));
    const pngs = await Promise.all(specs.map((spec) => worker.render(spec)));
    for (const [i, spec] of specs.entries()) expect(pngs[i]!.equals(renderChart(spec))).toBe(true);
  });

  it("rejects with the drawing's error, and draws the next chart", async () => {
    await expect(worker.render({ title: 'Empty', points: [] })).rejects.toThrow('A chart needs at least one point');
    expect(decodePng(await worker.render(syntheticSpec(3))).height).toBe(450);
  });

  it('fails pending renders when the thread stops, and starts a new one for the next', async () => {
    // Queue far more drawing than the thread can finish before it is stopped.
    const queued = Array.from({ length: 30 }, () => worker.render(syntheticSpec(200)));
    await worker.close();
    const outcomes = await Promise.allSettled(queued);
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) expect(String((o as PromiseRejectedResult).reason)).toContain('The chart thread stopped');
    expect(decodePng(await worker.render(syntheticSpec(4))).width).toBe(800);
  });

  it('gives up on a render that takes too long, and starts afresh', async () => {
    const impatient = createChartThread({ timeoutMs: 1 });
    await expect(impatient.render(syntheticSpec(5))).rejects.toThrow('The chart took longer than 1 ms');
    await impatient.close();
  });

  it('refuses a chart at once when too many are waiting, and takes more once they are drawn', async () => {
    const small = createChartThread({ maxPending: 2 });
    const first = [small.render(syntheticSpec(3)), small.render(syntheticSpec(4))];
    await expect(small.render(syntheticSpec(5))).rejects.toThrow('2 charts are already waiting');
    await Promise.all(first);
    expect(decodePng(await small.render(syntheticSpec(5))).width).toBe(800);
    await small.close();
  });

  it('keeps the process alive while it draws, and not a moment longer', async () => {
    // A one-off command must get its chart, then exit by itself, even without close().
    const script = [
      "import { createChartThread } from './src/charts/createChartThread';",
      "const png = await createChartThread().render({ title: 'T', points: [{ date: '2026-01-01', crs: 470, round: '1' }] });",
      'console.log(png.length > 1000 ? "drawn" : "empty");',
    ].join('\n');
    const started = Date.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000 });
    expect(stdout.trim()).toBe('drawn');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
