import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChartRenderer } from '../charts/chartRenderer.js';
import type { ChartSpec } from '../core/chartSpec.js';
import type { Reply } from '../core/reply.js';

export type ChartFile =
  /** `line`: "Chart: /tmp/ee-draw-bot-charts/chart-….png" */
  | { ok: true; path: string; line: string }
  /** `line`: a one-line note that the chart could not be made. */
  | { ok: false; error: unknown; line: string };

/** Where console charts go: one folder, one file per distinct chart. */
export const CHART_DIR = join(tmpdir(), 'ee-draw-bot-charts');

/**
 * Part of every chart's name: raise it when src/charts draws differently, so that files drawn by an
 * older version are not shown for the same spec.
 */
const CHART_STYLE = 1;

/** JSON with keys sorted, so that the same chart gets the same name however its spec was built. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `chart-<16 hex>.png`: the first 64 bits of the sha256 of the spec (and the chart style). */
export function chartFileName(spec: ChartSpec): string {
  const hash = createHash('sha256')
    .update(`${CHART_STYLE}\n${stableJson(spec)}`)
    .digest('hex');
  return `chart-${hash.slice(0, 16)}.png`;
}

/** Charts being drawn in this process, by path: the same chart asked twice at once is drawn once. */
const drawing = new Map<string, Promise<void>>();

async function drawOnce(path: string, dir: string, spec: ChartSpec, render: ChartRenderer): Promise<void> {
  try {
    await access(path);
    return; // drawn before, by this process or another
  } catch {
    // not there yet
  }
  const png = await render(spec);
  await mkdir(dir, { recursive: true });
  // Renamed into place whole: a reader or another writer never sees half a file.
  const temp = join(dir, `.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, png);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Makes sure a reply's chart is a PNG in `dir` (default CHART_DIR, created as needed) under a
 * content-addressed name, drawing and writing it only when that file is not there yet: the same
 * question asked again prints the same path, and a session leaves one file per distinct chart.
 * Undefined when the reply has no chart. Never throws: a failure comes back as a note, and the text
 * answer stands on its own.
 */
export async function writeReplyChart(reply: Reply, render: ChartRenderer, dir = CHART_DIR): Promise<ChartFile | undefined> {
  if (!reply.chart) return undefined;
  try {
    const path = join(dir, chartFileName(reply.chart));
    let pending = drawing.get(path);
    if (!pending) {
      pending = drawOnce(path, dir, reply.chart, render).finally(() => drawing.delete(path));
      drawing.set(path, pending);
    }
    await pending;
    return { ok: true, path, line: `Chart: ${path}` };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
    return { ok: false, error, line: `(No chart this time: ${reason})` };
  }
}
