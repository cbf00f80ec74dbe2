import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDrawStore } from '../src/app/drawStore.js';
import { FeedPoller } from '../src/feed/feedPoller.js';
import { silentLogger } from '../src/lib/log.js';
import { ms, percentiles } from './stats.js';

const RUNS = 50;
/** stop() with a download in progress (a deploy's SIGTERM while the feed hangs): resolved within this. */
const STOP_GOAL_MS = 1000;

/**
 * FeedPoller.stop() while a download is in progress against a feed server that never answers
 * (and a 30 s timeout, the default): how long stop() takes to cancel it and resolve.
 */
export default async function benchFeedPoller(): Promise<string[]> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req) => void requests.push(req)); // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ee_rounds_123_en.json`;
  const dir = mkdtempSync(join(tmpdir(), 'ee-bench-poller-'));
  const store = await openDrawStore(['data/draws.json']);
  try {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const poller = new FeedPoller({
        url,
        intervalMs: 300_000,
        dataFile: join(dir, 'draws.json'),
        held: store.current,
        onDataset: store.update,
        log: silentLogger,
      });
      const asked = requests.length;
      poller.start();
      while (requests.length === asked) await new Promise((resolve) => setTimeout(resolve, 1));
      const start = performance.now();
      await poller.stop();
      samples.push(performance.now() - start);
    }
    const { p50, p99 } = percentiles(samples);
    const slowest = Math.max(...samples);
    return [
      `${RUNS} runs: start(), wait for the request to reach the feed server, then time stop(). Goal: < ${STOP_GOAL_MS / 1000} s.`,
      '',
      '| stop() with a download in progress | p50 | p99 | slowest | within goal |',
      '|---|---|---|---|---|',
      `| feed server that never answers, 30 s timeout | ${ms(p50)} | ${ms(p99)} | ${ms(slowest)} | ${slowest < STOP_GOAL_MS ? 'yes' : '**no**'} |`,
    ];
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
