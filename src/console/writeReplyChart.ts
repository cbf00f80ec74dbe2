import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChartRenderer } from '../charts/chartRenderer.js';
import type { Reply } from '../core/reply.js';

export type ChartFile =
  /** `line`: "Chart: /tmp/ee-chart-….png" */
  | { ok: true; path: string; line: string }
  /** `line`: a one-line note that the chart could not be made. */
  | { ok: false; error: unknown; line: string };

/**
 * Renders a reply's chart to a new PNG in the temp folder (or `dir`). Undefined when the reply has
 * no chart. Never throws: a failure comes back as a note, and the text answer stands on its own.
 */
export async function writeReplyChart(reply: Reply, render: ChartRenderer, dir = tmpdir()): Promise<ChartFile | undefined> {
  if (!reply.chart) return undefined;
  try {
    const png = await render(reply.chart);
    const path = join(dir, `ee-chart-${randomUUID()}.png`);
    await writeFile(path, png, { flag: 'wx' });
    return { ok: true, path, line: `Chart: ${path}` };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 160);
    return { ok: false, error, line: `(No chart this time: ${reason})` };
  }
}
