import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { APPLICATION_ID, FAKE_TOKEN, GUILD_ID } from '../discord/fakeDiscord.js';
import { TEST_TOKEN } from '../telegram/fakeBotApi.js';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A production install of this checkout in a throwaway folder, as the Dockerfile makes one: the
 * build (`npm run build`), then only what the runtime needs, and `npm prune --omit=dev`.
 * node_modules is hard-linked rather than copied (prune unlinks, never edits), so it takes a second.
 */
export async function productionCopy(): Promise<{ dir: string; remove: () => void }> {
  await run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const dir = mkdtempSync(join(tmpdir(), 'ee-production-'));
  for (const path of ['package.json', 'package-lock.json', 'dist', 'data']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  await run('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
  await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BotProcess {
  pid: number;
  /** What it wrote on stderr (its JSON log lines) so far. */
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => void;
}

/**
 * The arguments `npm start` gives node (`--max-semi-space-size=4 dist/main.js`), which the
 * Dockerfile and the systemd unit repeat (test/deploy checks they agree). The script is
 * `exec node …`: npm signals the shell it starts, and only `exec` makes that shell the bot.
 */
export function startArgs(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [exec, node, ...args] = start.split(' ');
  if (exec !== 'exec' || node !== 'node') throw new Error(`npm start is expected to exec node itself: ${start}`);
  return args;
}

/** The bot of a production copy, as `npm start`, the Dockerfile and the systemd unit run it. */
export function startBot(dir: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, startArgs(), {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { pid: child.pid!, stderr: () => stderr, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };
}

/**
 * The environment of a bot on both platforms, against the test fakes on 127.0.0.1: Telegram's Bot
 * API, Discord's REST and gateway, and a feed.
 */
export function bothPlatforms(fakes: { telegramApiRoot: string; discordApiUrl: string; feedUrl: string }): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: fakes.telegramApiRoot,
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_GUILD_ID: GUILD_ID,
    DISCORD_API_URL: fakes.discordApiUrl,
    FEED_URL: fakes.feedUrl,
  };
}
