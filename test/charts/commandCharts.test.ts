import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/charts/renderChart.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import { renderText } from '../../src/console/renderText.js';
import type { Reply } from '../../src/core/reply.js';
import { testAnswers } from '../fixtures/deps.js';
import { decodePng } from './decodePng.js';

// The frozen dataset (IRCC's feed to round #434, Aug 7, 2026), the clock at 2026-11-25.
const answers = await testAnswers();

function ask(text: string): Promise<Reply> {
  return answers.line(parseCommandLine(text, { requireSlash: true }));
}

/** The table's Date and Round columns, oldest first: what the chart's points must match. */
function tableDraws(reply: Reply): Array<{ date: string; round: string }> {
  return reply.table!.rows.map((row) => ({ date: row[0]!, round: row[1]!.slice(1) })).reverse();
}

describe('/history chart', () => {
  it('charts the listed draws of the category, oldest first, titled with the category and period', async () => {
    const reply = await ask('/history healthcare');
    const chart = reply.chart!;
    expect(chart.title).toBe('Healthcare and social services — CRS cut-offs, last 10 draws');
    expect(chart.subtitle).toBe('Nov 20, 2024 – Jun 25, 2026');
    expect(chart.points.map(({ date, round }) => ({ date, round }))).toEqual(tableDraws(reply));
    expect(chart.points.map((p) => String(p.crs))).toEqual(reply.table!.rows.map((row) => row[3]).reverse());
    expect(chart.points.some((p) => p.highlight)).toBe(false);
    expect(chart.threshold).toBeUndefined();
  });

  it('charts all categories together when none is named', async () => {
    const reply = await ask('/history 50');
    expect(reply.chart!.title).toBe('All draws — CRS cut-offs, last 50 draws');
    expect(reply.chart!.subtitle).toBe('All categories, Dec 11, 2025 – Aug 7, 2026');
    expect(reply.chart!.points).toHaveLength(50);
    expect(new Set(reply.table!.rows.map((row) => row[2])).size).toBeGreaterThan(1);
  });

  it('names a single draw by its date alone', async () => {
    const reply = await ask('/history 1');
    expect(reply.chart).toMatchObject({ title: 'All draws — CRS cut-offs, last 1 draw', subtitle: 'All categories, Aug 7, 2026' });
    expect(reply.chart!.points).toEqual([{ date: '2026-08-07', crs: 470, round: '434' }]);
  });

  it('charts a category with a single draw', async () => {
    const reply = await ask('/history military');
    expect(reply.chart!.points).toHaveLength(1);
    expect(reply.chart!.subtitle).not.toContain('–');
    expect(decodePng(renderChart(reply.chart!)).width).toBe(800);
  });

  it('has no chart when there is nothing to chart', async () => {
    const reply = await ask('/history other');
    expect(reply.title).toMatch(/^No /);
    expect(reply.chart).toBeUndefined();
  });
});

describe('/check chart', () => {
  it("charts the period's draws with the user's score as the threshold and the draws it made highlighted", async () => {
    const reply = await ask('/check 470 healthcare');
    const chart = reply.chart!;
    expect(chart.title).toBe('CRS 470 vs Healthcare and social services');
    expect(chart.subtitle).toBe('Nov 25, 2025 – Jun 25, 2026: 470 would have made 1 of 3 draws');
    expect(chart.threshold).toEqual({ value: 470, label: 'Your CRS: 470' });
    expect(chart.points.map(({ date, round }) => ({ date, round }))).toEqual(tableDraws(reply));
    // Highlighted exactly where the table says ✓ (invited), oldest first.
    expect(chart.points.map((p) => p.highlight)).toEqual(reply.table!.rows.map((row) => row[3] === '✓').reverse());
    expect(chart.points.filter((p) => p.highlight).map((p) => p.round)).toEqual(['398']);
  });

  it('charts every draw of a long period, not just the table rows, and leaves ties unhighlighted', async () => {
    const reply = await ask('/check 467 cec since=2020-01-01');
    const chart = reply.chart!;
    expect(reply.lines!.join(' ')).toContain(`of ${chart.points.length} CEC draws since Jan 1, 2020`);
    expect(chart.points.length).toBeGreaterThan(reply.table!.rows.length);
    const dates = chart.points.map((p) => p.date);
    expect([...dates].sort()).toEqual(dates);
    for (const p of chart.points) expect(p.highlight).toBe(p.crs < 467);
    expect(chart.points.some((p) => p.crs === 467)).toBe(true);
    expect(chart.points.some((p) => p.lane)).toBe(false);
    expect(chart.title).toBe('CRS 467 vs Canadian Experience Class');
  });

  it("without a category, puts each kind of draw in its own lane, in the answer's order", async () => {
    const reply = await ask('/check 467 since=2024-01-01');
    const chart = reply.chart!;
    expect(chart.title).toBe('CRS 467 vs each kind of draw');
    expect(chart.subtitle).toBe('Jan 1, 2024 – Aug 7, 2026: a line per kind of draw; only general draws are open to every program');
    expect(chart.lanes?.slice(0, 5)).toEqual(['General', 'CEC', 'PNP', 'French', 'Healthcare']);
    // Every draw of the period, each in a lane the answer has a line for.
    const counted = reply.lines!.map((line) => /would have made \d+ of (\d+) draws?/.exec(line)?.[1]).filter((n) => n !== undefined);
    expect(counted.map(Number).reduce((a, b) => a + b)).toBe(chart.points.length);
    for (const lane of chart.lanes!) expect(reply.lines!.some((line) => line.startsWith(`${lane} (`))).toBe(true);
    expect(chart.points.filter((p) => p.lane === 'PNP').every((p) => p.crs > 600)).toBe(true);
    for (const p of chart.points) expect(p.highlight).toBe(p.crs < 467);
  });

  it('has no chart when the period has no draws', async () => {
    const reply = await ask('/check 470 physicians since=2026-08-01');
    expect(reply.chart).toBeUndefined();
  });
});

describe('command charts', () => {
  it('leave the text answer as it was: the console text ignores the chart', async () => {
    for (const text of ['/history healthcare', '/check 470 healthcare', '/check 470']) {
      const reply = await ask(text);
      expect(reply.chart).toBeDefined();
      expect(renderText(reply)).toBe(renderText({ ...reply, chart: undefined }));
    }
  });

  it('render to 800×450 PNGs', async () => {
    for (const text of [
      '/history healthcare',
      '/history 50',
      '/check 470 healthcare',
      '/check 480 since=2015-01-01',
      '/check 470',
      '/history 1',
    ]) {
      const image = decodePng(renderChart((await ask(text)).chart!));
      expect([image.width, image.height]).toEqual([800, 450]);
    }
  });
});
