import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { runText } from '../src/commands/runCommand.js';
import type { ChartSpec } from '../src/core/chartSpec.js';
import { openDrawStore } from '../src/drawStore.js';
import { silentLogger } from '../src/log.js';
import { ms, percentiles } from './stats.js';

/**
 * Chart PNGs (800×450): ECharts drawing on @napi-rs/canvas, then zlib. `render` is the whole
 * `renderChart` (wall clock); `CPU` is the process's CPU time over the same render (all threads: the
 * main one, V8's GC helpers, the zlib worker); `draw` is the synchronous part, the only time the event
 * loop is busy (the PNG compression runs on the thread pool).
 */
/** CPU time of this process's main thread so far, in ms (Linux; undefined elsewhere). 10 ms ticks. */
function mainThreadCpu(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export default async function benchCharts(): Promise<string[]> {
  const coldStart = performance.now();
  const { renderChart } = await import('../src/charts/renderChart.js');
  const { drawChart } = await import('../src/charts/drawChart.js');
  const loaded = performance.now();
  const store = await openDrawStore(['data/draws.json']);
  const deps = { data: store.current, clock: () => DateTime.fromISO('2026-11-25T12:00:00Z'), log: silentLogger, commands };
  const inputs = ['/history healthcare', '/history 50', '/check 470'];
  const specs: Array<{ text: string; spec: ChartSpec }> = [];
  for (const text of inputs) {
    const spec = (await runText(text, deps, { requireSlash: true }))?.chart;
    if (!spec) throw new Error(`${text} has no chart`);
    specs.push({ text, spec });
  }
  const firstStart = performance.now();
  await renderChart(specs[0]!.spec);
  const first = performance.now() - firstStart;

  const lines = [
    `load (import ECharts, @napi-rs/canvas): ${ms(loaded - coldStart)}; first render (fonts, canvas, ECharts instance): ${ms(first)}`,
    '',
    '| chart | draws | PNG size | render p50 | render p99 | CPU p50 | CPU p99 | draw p50 | draw p99 |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const all: number[] = [];
  const allCpu: number[] = [];
  const threadMeans: string[] = [];
  for (const { text, spec } of specs) {
    for (let i = 0; i < 20; i++) await renderChart(spec);
    const renders: number[] = [];
    const cpu: number[] = [];
    let size = 0;
    const threadStart = mainThreadCpu();
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      size = (await renderChart(spec)).length;
      const used = process.cpuUsage(cpuStart);
      renders.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    const threadEnd = mainThreadCpu();
    const draws: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      drawChart(spec);
      draws.push(performance.now() - start);
    }
    all.push(...renders);
    allCpu.push(...cpu);
    threadMeans.push(threadStart === undefined || threadEnd === undefined ? 'n/a' : ms((threadEnd - threadStart) / 200));
    const r = percentiles(renders);
    const c = percentiles(cpu);
    const d = percentiles(draws);
    lines.push(`| \`${text}\` | ${spec.points.length} | ${(size / 1024).toFixed(0)} KiB | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(c.p50)} | ${ms(c.p99)} | ${ms(d.p50)} | ${ms(d.p99)} |`);
  }
  const total = percentiles(all);
  const totalCpu = percentiles(allCpu);
  lines.push(`| **all ${all.length} renders** | | | **${ms(total.p50)}** | **${ms(total.p99)}** | ${ms(totalCpu.p50)} | ${ms(totalCpu.p99)} | | |`);
  lines.push('', `Main-thread CPU per render (mean of 200, from 10 ms ticks; immune to time spent descheduled): ${specs.map(({ text }, i) => `\`${text}\` ${threadMeans[i]}`).join(', ')}.`);
  return lines;
}
