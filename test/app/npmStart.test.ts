import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi, TEST_TOKEN } from '../telegram/fakeBotApi.js';
import { feedServer } from './appFixtures.js';
import { ROOT } from './productionCopy.js';

const run = promisify(execFile);

/** The state letter of a process in /proc, or undefined once it is gone (a zombie counts as gone). */
function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' ? undefined : state;
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root`, with its command line, read from /proc (Linux, as CI). */
function descendants(root: number): Array<{ pid: number; cmdline: string }> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {} // gone meanwhile
  }
  const found: Array<{ pid: number; cmdline: string }> = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (!stateOf(child)) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {}
      found.push({ pid: child, cmdline });
      visit(child);
    }
  };
  visit(root);
  return found;
}

// People run `npm start` under tmux, pm2 and supervisors, which signal npm, not the bot: npm must
// pass the signal on, and the bot stop as it does under Docker and systemd (which run node itself).
describe.runIf(process.platform === 'linux')('npm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    // What prestart would do; built here so that `npm start` below starts at once.
    await run(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT });
    dataDir = mkdtempSync(join(tmpdir(), 'ee-npm-start-'));
  }, 120_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'passes %s to the bot, which stops cleanly, and exits with its code',
    async (sent) => {
      const telegram = await FakeBotApi.start();
      const feed = await feedServer();
      const npm = spawn('npm', ['start'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? tmpdir(),
          npm_config_update_notifier: 'false',
          TELEGRAM_BOT_TOKEN: TEST_TOKEN,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          FEED_URL: feed.url,
          DATASET_FILE: join(ROOT, 'test/fixtures/dataset.json'),
          DATA_DIR: dataDir,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      npm.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      let started: Array<{ pid: number; cmdline: string }> = [];
      try {
        await telegram.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'), 20_000);
        started = descendants(npm.pid!);
        expect(started.filter((p) => /^\S*node .*dist\/main\.js/.test(p.cmdline))).toHaveLength(1);

        const signalled = performance.now();
        npm.kill(sent);
        const [code, signal] = await exited;
        const tookMs = performance.now() - signalled;
        expect({ code, signal }).toEqual({ code: 0, signal: null });
        expect(tookMs).toBeLessThan(10_000); // the bot's own shutdown deadline
        expect(stderr).toContain(`"signal":"${sent}"`);
        expect(stderr).toContain('"msg":"shutting down"');
        // npm waited for the bot: nothing it started (the bot included) is left behind.
        expect(started.filter((p) => stateOf(p.pid))).toEqual([]);
      } finally {
        // Whatever is left of this test's processes, by pid.
        for (const { pid } of started) if (stateOf(pid)) process.kill(pid, 'SIGKILL');
        npm.kill('SIGKILL');
        await Promise.all([telegram.close(), feed.close()]);
      }
    },
    60_000,
  );
});
