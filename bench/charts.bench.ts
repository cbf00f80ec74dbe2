import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { createChartThread } from '../src/charts/createChartThread.js';
import { createAnswers } from '../src/commands/createAnswers.js';
import { parseCommandLine } from '../src/commands/parseCommandLine.js';
import type { ChartSpec } from '../src/core/chartSpec.js';
import { silentLogger } from '../src/lib/log.js';
import { ms, percentiles } from './stats.js';

/**
 * Chart PNGs (800×450) for four real answers, up to the biggest chart (all 435 draws). `render` is
 * what the bot does, a chart thread's `render` (createChartThread): the spec goes to the thread,
 * which lays it out, paints it and compresses it, and the PNG comes back (wall clock, as a user
 * waits for it). `main thread` is how long the bot's own thread was busy per render meanwhile
 * (event-loop utilisation). `in-process` is `renderChart` on this thread (what the chart thread
 * does), and `draw` its first part (layout, paint, pixel copy). The thread is closed at the end.
 */
async function timed(times: number, task: () => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return samples;
}

export default async function benchCharts(): Promise<string[]> {
  const store = await openDrawStore(['data/draws.json']);
  const answers = createAnswers({
    data: store.current,
    clock: () => DateTime.fromISO('2026-11-25T12:00:00Z'),
    log: silentLogger,
    commands,
  });
  const specs: Array<{ text: string; spec: ChartSpec }> = [];
  for (const text of ['/history healthcare', '/history 50', '/check 470', '/check 480 since=2015-01-01']) {
    const spec = (await answers.line(parseCommandLine(text, { requireSlash: true }))).chart;
    if (!spec) throw new Error(`${text} has no chart`);
    specs.push({ text, spec });
  }
  const charts = createChartThread();
  try {
    return await benchRenders(specs, charts.render);
  } finally {
    await charts.close();
  }
}

async function benchRenders(
  specs: ReadonlyArray<{ text: string; spec: ChartSpec }>,
  render: (spec: ChartSpec) => Promise<Buffer>,
): Promise<string[]> {
  const firstStart = performance.now();
  await render(specs[0]!.spec);
  const first = performance.now() - firstStart;
  const { renderChart } = await import('../src/charts/renderChart.js');
  const { drawChart } = await import('../src/charts/drawChart.js');

  const lines = [
    `First chart (starts the chart thread, loads the canvas, d3 and the fonts there): ${ms(first)}.`,
    '',
    '| chart | draws | PNG size | render p50 | render p99 | main thread busy per render | in-process p50 | in-process p99 | draw p50 | draw p99 |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const all: number[] = [];
  for (const { text, spec } of specs) {
    const size = (await render(spec)).length;
    await timed(20, () => render(spec));
    const busyBefore = performance.eventLoopUtilization();
    const renders = await timed(200, () => render(spec));
    const busy = performance.eventLoopUtilization(busyBefore).active / 200;
    await timed(20, () => renderChart(spec));
    const inProcess = await timed(200, () => renderChart(spec));
    const draws = await timed(200, () => drawChart(spec));
    all.push(...renders);
    const [r, i, d] = [percentiles(renders), percentiles(inProcess), percentiles(draws)];
    lines.push(
      `| \`${text}\` | ${spec.points.length} | ${(size / 1024).toFixed(0)} KiB | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(busy)} | ${ms(i.p50)} | ${ms(i.p99)} | ${ms(d.p50)} | ${ms(d.p99)} |`,
    );
  }
  const total = percentiles(all);
  lines.push(`| **all ${all.length} renders** | | | **${ms(total.p50)}** | **${ms(total.p99)}** | | | | | |`);
  return lines;
}
