import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

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

/** A feed server that always answers "not modified": the bot polls, nothing changes. */
export async function quietFeed(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(304).end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.json`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export interface BotProcess {
  pid: number;
  /** What it wrote on stderr (its JSON log lines) so far. */
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => void;
}

/** `node dist/main.js` of a production copy, as the Dockerfile and the systemd unit run it. */
export function startBot(dir: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['dist/main.js'], {
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
