import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { feedServer } from '../test/app/appFixtures.js';
import { bothPlatforms, startArgs, startBot } from '../test/app/productionCopy.js';
import { startFakeDiscord } from '../test/discord/fakeDiscord.js';
import { FakeBotApi } from '../test/telegram/fakeBotApi.js';

const ROOT = new URL('..', import.meta.url).pathname;
const IDLE_MS = 10_000;

/** VmRSS and VmHWM of a process, in MiB (Linux). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/**
 * The bot as the deployment files run it — one process, `node dist/main.js` — with Telegram and
 * Discord connected (to the test fakes on 127.0.0.1) and nothing to do: resident memory after
 * IDLE_MS. Target ≤ 120 MB.
 */
export default async function benchMemory(): Promise<string[]> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const telegram = await FakeBotApi.start();
  const discord = await startFakeDiscord();
  const feed = await feedServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'ee-memory-'));
  const bot = startBot(ROOT, {
    // Other V8 settings to compare with the deployed ones (BENCHMARKS.md, Memory).
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    ...bothPlatforms({ telegramApiRoot: telegram.apiRoot, discordApiUrl: discord.apiUrl, feedUrl: feed.url }),
    DATA_DIR: dataDir,
  });
  try {
    await telegram.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'), 30_000);
    await discord.waitForRequest((r) => r.method === 'GET' && r.path.endsWith('/commands'), 30_000);
    const connected = memory(bot.pid);
    await sleep(IDLE_MS);
    const idle = memory(bot.pid);
    return [
      `| \`node ${startArgs().join(' ')}\`, Telegram and Discord connected | resident (VmRSS) | peak (VmHWM) |`,
      '|---|---|---|',
      `| just connected | ${connected.rss.toFixed(0)} MiB | ${connected.peak.toFixed(0)} MiB |`,
      `| idle ${IDLE_MS / 1000} s later | **${idle.rss.toFixed(0)} MiB** | ${idle.peak.toFixed(0)} MiB |`,
      '',
      `One process (target ≤ 120 MB resident when idle): ${idle.rss * 1.048576 <= 120 ? 'met' : 'NOT met'}.`,
    ];
  } finally {
    bot.kill('SIGTERM');
    await bot.exited;
    await Promise.all([telegram.close(), discord.close(), feed.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
