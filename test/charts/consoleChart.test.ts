import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChartRenderer } from '../../src/charts/chartRenderer.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { startConsole } from '../../src/console/startConsole.js';
import { CHART_DIR, chartFileName, writeReplyChart } from '../../src/console/writeReplyChart.js';
import type { ChartSpec } from '../../src/core/chartSpec.js';
import type { Reply } from '../../src/core/reply.js';
import { FROZEN_DATASET, platformDeps, testDeps, testRenderChart } from '../fixtures/deps.js';
import { decodePng } from './decodePng.js';

// The frozen dataset, at a fixed time.
const deps: CommandDeps = await testDeps();

// Each test writes charts into a folder of its own (the default is one shared folder in the temp dir).
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ee-chart-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Chart paths printed in console output. */
const chartPaths = (text: string): string[] => [...text.matchAll(/^Chart: (.+\.png)$/gm)].map((m) => m[1]!);

/** A renderer that counts what it draws (default: the real chart thread). */
function counting(render: ChartRenderer = testRenderChart) {
  const drawn: ChartSpec[] = [];
  const renderer: ChartRenderer = (spec) => {
    drawn.push(spec);
    return render(spec);
  };
  return { drawn, render: renderer };
}

/** A console session writing its charts into `dir`. */
async function converse(lines: string, renderChart: ChartRenderer = testRenderChart): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  const done = startConsole(await platformDeps({ deps, renderChart }), { input, output, prompt: false, chartDir: dir });
  input.end(lines);
  await done;
  return text;
}

const chartReply = (title: string): Reply => ({
  kind: 'answer',
  title,
  chart: { title, points: [{ date: '2026-01-01', crs: 470, round: '1' }] },
});
const stubPng = () => Promise.resolve(Buffer.from('png'));

describe('console charts', () => {
  it('prints the text answer, then the path of the PNG in the charts folder', async () => {
    const text = await converse('/history healthcare\n/check 470 healthcare\n/latest\n');
    const paths = chartPaths(text);
    expect(paths).toHaveLength(2);
    expect(new Set(paths).size).toBe(2);
    for (const path of paths) {
      expect(dirname(path)).toBe(dir);
      expect(basename(path)).toMatch(/^chart-[0-9a-f]{16}\.png$/);
      const image = decodePng(readFileSync(path));
      expect([image.width, image.height]).toEqual([800, 450]);
    }
    // Each chart line follows its own answer's text; /latest has none.
    expect(text.indexOf('Last 10 healthcare draws')).toBeLessThan(text.indexOf(`Chart: ${paths[0]}`));
    expect(text.indexOf(`Chart: ${paths[0]}`)).toBeLessThan(text.indexOf('CRS 470 — healthcare draws since'));
    expect(text.indexOf('CRS 470 — healthcare draws since')).toBeLessThan(text.indexOf(`Chart: ${paths[1]}`));
    const afterCharts = text.slice(text.indexOf(paths[1]!) + paths[1]!.length);
    expect(afterCharts).toContain('#434');
    expect(afterCharts).not.toContain('Chart:');
  });

  it('draws a chart once: the same question again gives the same file, another question another file', async () => {
    const renderer = counting();
    const text = await converse('/history healthcare\n/history healthcare\nhistory  healthcare 10\n/history cec\n', renderer.render);
    const paths = chartPaths(text);
    expect(paths).toHaveLength(4);
    expect(paths[1]).toBe(paths[0]);
    expect(paths[2]).toBe(paths[0]);
    expect(paths[3]).not.toBe(paths[0]);
    expect(renderer.drawn.map((spec) => spec.title)).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(
      paths
        .slice(2)
        .map((p) => basename(p))
        .sort(),
    );
  });

  it('leaves one file per distinct chart after 3,000 questions', async () => {
    const renderer = counting(stubPng);
    const questions = ['/history healthcare', '/check 470 cec', '/latest', '/history 5', '/check 470 cec'];
    const text = await converse(`${Array.from({ length: 3000 }, (_, i) => questions[i % questions.length]).join('\n')}\n`, renderer.render);
    expect(chartPaths(text)).toHaveLength(2400);
    expect(renderer.drawn).toHaveLength(3);
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it('keeps the text answer when the chart fails, with a one-line note, and tries again next time', async () => {
    const text = await converse('/history healthcare\n', () => Promise.reject(new Error('no canvas here\nstack…')));
    expect(text).toContain('Last 10 healthcare draws');
    expect(text).toContain('— IRCC data to round #434');
    expect(text).toContain('(No chart this time: no canvas here)\n');
    expect(text).not.toContain('stack…');
    expect(chartPaths(text)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(chartPaths(await converse('/history healthcare\n', stubPng))).toHaveLength(1);
  });

  it('writes nothing for a reply without a chart', async () => {
    expect(await writeReplyChart({ kind: 'answer', title: 'No chart' }, testRenderChart, dir)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('draws the same chart asked twice at once only once, and leaves no partial file', async () => {
    const renderer = counting(stubPng);
    const reply = chartReply('t');
    const [a, b] = await Promise.all([writeReplyChart(reply, renderer.render, dir), writeReplyChart(reply, renderer.render, dir)]);
    expect(a).toEqual({ ok: true, path: join(dir, chartFileName(reply.chart!)), line: `Chart: ${join(dir, chartFileName(reply.chart!))}` });
    expect(b).toEqual(a);
    expect(renderer.drawn).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([chartFileName(reply.chart!)]);
    expect(readFileSync(join(dir, chartFileName(reply.chart!)), 'utf8')).toBe('png');
  });

  it('uses a file another process already wrote, and creates the folder when it is missing', async () => {
    const reply = chartReply('u');
    writeFileSync(join(dir, chartFileName(reply.chart!)), 'drawn by another console');
    const renderer = counting(stubPng);
    expect(await writeReplyChart(reply, renderer.render, dir)).toMatchObject({ ok: true });
    expect(renderer.drawn).toHaveLength(0);

    const nested = join(dir, 'a', 'b');
    const made = await writeReplyChart(reply, renderer.render, nested);
    expect(made).toMatchObject({ ok: true, path: join(nested, chartFileName(reply.chart!)) });
    expect(readdirSync(nested)).toEqual([chartFileName(reply.chart!)]);
  });

  it('names a chart by its content, whatever the order of its keys', () => {
    const spec: ChartSpec = { title: 'a', subtitle: 'b', points: [{ date: '2026-01-01', crs: 470, round: '1', highlight: true }] };
    const reordered: ChartSpec = { points: [{ round: '1', highlight: true, crs: 470, date: '2026-01-01' }], subtitle: 'b', title: 'a' };
    expect(chartFileName(reordered)).toBe(chartFileName(spec));
    expect(chartFileName({ ...spec, subtitle: undefined })).toBe(chartFileName({ title: 'a', points: spec.points }));
    expect(chartFileName({ ...spec, threshold: { value: 470, label: 'you' } })).not.toBe(chartFileName(spec));
    expect(chartFileName(spec)).toMatch(/^chart-[0-9a-f]{16}\.png$/);
    expect(CHART_DIR).toBe(join(tmpdir(), 'ee-draw-bot-charts'));
  });
});

describe('npm run ask with a chart', () => {
  // The frozen dataset, a data folder holding no synced copy, and a temp folder of its own.
  const folder = mkdtempSync(join(tmpdir(), 'ee-ask-test-'));
  const temp = join(folder, 'tmp');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('prints the answer and the chart path on stdout: the same file when asked again', () => {
    const ask = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/ask.ts', '/history healthcare 3'], {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent', DATASET_FILE: FROZEN_DATASET, DATA_DIR: folder, TMPDIR: temp },
      });
    const first = ask();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Last 3 healthcare draws');
    const paths = chartPaths(first.stdout);
    expect(paths).toHaveLength(1);
    expect(dirname(paths[0]!)).toBe(join(temp, 'ee-draw-bot-charts'));
    expect(basename(paths[0]!)).toMatch(/^chart-[0-9a-f]{16}\.png$/);
    expect(decodePng(readFileSync(paths[0]!)).height).toBe(450);
    expect(first.stderr).toBe('');
    expect(chartPaths(ask().stdout)).toEqual(paths);
    expect(readdirSync(join(temp, 'ee-draw-bot-charts'))).toHaveLength(1);
  });
});
