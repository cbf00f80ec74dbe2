import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChartRenderer } from '../../src/charts/chartRenderer.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { startConsole } from '../../src/console/startConsole.js';
import { writeReplyChart } from '../../src/console/writeReplyChart.js';
import { FROZEN_DATASET, platformDeps, testDeps, testRenderChart } from '../fixtures/deps.js';
import { decodePng } from './decodePng.js';

// The frozen dataset, at a fixed time.
const deps: CommandDeps = await testDeps();
const written: string[] = [];
afterAll(() => {
  for (const path of written) rmSync(path, { force: true });
});

/** Chart paths printed in console output. */
function chartPaths(text: string): string[] {
  const paths = [...text.matchAll(/^Chart: (.+\.png)$/gm)].map((m) => m[1]!);
  written.push(...paths);
  return paths;
}

/** A console session; `renderChart` unset: the real chart thread. */
async function converse(lines: string, renderChart?: ChartRenderer): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  const done = startConsole(await platformDeps({ deps, renderChart }), { input, output, prompt: false });
  input.end(lines);
  await done;
  return text;
}

describe('console charts', () => {
  it('prints the text answer, then the path of a fresh PNG in the temp folder', async () => {
    const text = await converse('/history healthcare\n/check 470 healthcare\n/latest\n');
    const paths = chartPaths(text);
    expect(paths).toHaveLength(2);
    expect(new Set(paths).size).toBe(2);
    for (const path of paths) {
      expect(path.startsWith(tmpdir())).toBe(true);
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

  it('keeps the text answer when the chart fails, with a one-line note', async () => {
    const text = await converse('/history healthcare\n', () => Promise.reject(new Error('no canvas here\nstack…')));
    expect(text).toContain('Last 10 healthcare draws');
    expect(text).toContain('— IRCC data to round #434');
    expect(text).toContain('(No chart this time: no canvas here)\n');
    expect(text).not.toContain('stack…');
    expect(chartPaths(text)).toEqual([]);
  });

  it('writes nothing for a reply without a chart', async () => {
    expect(await writeReplyChart({ kind: 'answer', title: 'No chart' }, testRenderChart)).toBeUndefined();
  });

  it('writes into a given folder, never over an existing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ee-chart-test-'));
    try {
      const reply = { kind: 'answer' as const, title: 't', chart: { title: 't', points: [{ date: '2026-01-01', crs: 470, round: '1' }] } };
      const render = () => Promise.resolve(Buffer.from('png'));
      const [a, b] = await Promise.all([writeReplyChart(reply, render, dir), writeReplyChart(reply, render, dir)]);
      expect(a).toMatchObject({ ok: true });
      expect(b).toMatchObject({ ok: true });
      if (a?.ok && b?.ok) {
        expect(a.path).not.toBe(b.path);
        expect(a.path.startsWith(dir)).toBe(true);
        expect(a.line).toBe(`Chart: ${a.path}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run ask with a chart', () => {
  // The frozen dataset, and a data folder holding no synced copy.
  const dataDir = mkdtempSync(join(tmpdir(), 'ee-ask-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the answer and the chart path on stdout', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/ask.ts', '/history healthcare 3'], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent', DATASET_FILE: FROZEN_DATASET, DATA_DIR: dataDir },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Last 3 healthcare draws');
    const paths = chartPaths(result.stdout);
    expect(paths).toHaveLength(1);
    expect(decodePng(readFileSync(paths[0]!)).height).toBe(450);
    expect(result.stderr).toBe('');
  });
});
