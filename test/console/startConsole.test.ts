import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { NOT_PLACED } from '../../src/commands/createAnswers.js';
import { startConsole } from '../../src/console/startConsole.js';
import { FROZEN_DATASET, platformDeps } from '../fixtures/deps.js';

/**
 * A console session fed `lines`: what it wrote, and whether it left a chart file. A failing chart
 * renderer, and an empty chart folder of its own (not one holding this chart from an earlier
 * session): the charts themselves are test/charts/consoleChart.test.ts's.
 */
async function session(lines: string): Promise<{ text: string; charts: string[] }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  const deps = await platformDeps({ renderChart: () => Promise.reject(new Error('no charts here')) });
  const chartDir = mkdtempSync(join(tmpdir(), 'ee-console-test-'));
  try {
    const done = startConsole(deps, { input, output, prompt: false, chartDir });
    input.end(lines);
    await done;
    return { text, charts: readdirSync(chartDir) };
  } finally {
    rmSync(chartDir, { recursive: true, force: true });
  }
}

describe('console adapter', () => {
  it('answers Telegram-style lines until "exit", and survives bad ones', async () => {
    const { text, charts } = await session(
      "/latest healthcare\ncheck 470 cec since=2025-01-01\n/check 470 abc\nwhat's the last cutoff?\nlol\n\nexit\n/about\n",
    );
    expect(charts).toEqual([]);
    expect(text).toContain('Latest Healthcare and social services draw: #422');
    expect(text).toContain('CRS 470 — CEC draws since Jan 1, 2025');
    expect(text).toContain(
      'Unknown category "abc"; /categories lists them (healthcare, cec, pnp, french…). For example: /check 470 healthcare',
    );
    // Plain questions as on every platform, and the same words for what cannot be placed.
    expect(text).toContain('Latest draw: #434');
    expect(text).toContain(NOT_PLACED);
    expect(text).not.toContain('About this bot');
    expect(text).toContain('(No chart this time: no charts here)');
  });

  it('reads periods in commands and in plain questions', async () => {
    const { text } = await session(
      '/stats cec 2026-03\nhealthcare draws last month\nwhat was the cut-off on July 21?\n/history french since 2026-07-01\n',
    );
    // The fixed clock is Nov 25, 2026: "last month" is October 2026, July 21 is this year's.
    expect(text).toContain('CEC draws in March 2026');
    expect(text).toContain('No healthcare draw last month (October 2026); the latest was #422 on Jun 25, 2026 (153 days ago).');
    expect(text).toContain('Round #428 — Jul 21, 2026');
    expect(text).toMatch(/\d+ French draws since Jul 1, 2026/);
  });
});

describe('npm run ask', () => {
  // The frozen dataset, and a data folder holding no synced copy: answers do not move with data/draws.json.
  const dataDir = mkdtempSync(join(tmpdir(), 'ee-ask-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const ask = (text: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/ask.ts', text], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent', DATASET_FILE: FROZEN_DATASET, DATA_DIR: dataDir },
    });

  it('answers once on stdout and exits 0', () => {
    const result = ask('/latest healthcare');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('#422');
    expect(result.stdout).toContain('CRS cut-off  475');
    expect(result.stdout).toContain('— IRCC data to round #434 (Aug 7, 2026)');
  });

  it('puts a user error on stderr and exits 1', () => {
    const result = ask('/check 99999');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('The CRS score must be a whole number from 0 to 1200.');
  });
});
