import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TEST_TOKEN } from '../telegram/fakeBotApi.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** One JSON log line of the bot. */
export interface LogEntry {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/** A bot instance run as `npm run dev` runs it (tsx, from the source), in a process of its own. */
export interface InstanceProcess {
  name: string;
  pid: number;
  healthPort: number;
  logs(): LogEntry[];
  /** Resolves with the first log entry `match` accepts (already written, or to come); rejects after `timeoutMs`. */
  waitForLog(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** GET /healthz's body. */
  health(): Promise<{ status: string; role?: { role: string; epoch?: number; instances?: number }; [key: string]: unknown }>;
  /** GET /metrics's body. */
  metrics(): Promise<string>;
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string | null>;
  /** Kills it if still running, and removes its DATA_DIR. */
  dispose(): Promise<void>;
}

/** A port free right now on 127.0.0.1 (HEALTH_PORT must be given one). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts an instance of the bot on Telegram (the fake at `apiRoot`) with `env` on top (no DATABASE_URL: SQLite in a DATA_DIR of its own). */
export async function startInstance(
  name: string,
  { apiRoot, ...env }: { apiRoot: string; FEED_URL: string; DATABASE_URL?: string } & Record<string, string>,
): Promise<InstanceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `ee-instance-${name}-`));
  const healthPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      DATASET_FILE: join(ROOT, 'test/fixtures/dataset.json'),
      DATA_DIR: dataDir,
      HEALTH_PORT: String(healthPort),
      HEALTH_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const entries: LogEntry[] = [];
  const listeners = new Set<() => void>();
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        entries.push(JSON.parse(line) as LogEntry);
      } catch {
        entries.push({ msg: line, level: 0 });
      }
    }
    for (const listener of [...listeners]) listener();
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as string | null));
  const url = (path: string) => `http://127.0.0.1:${healthPort}${path}`;
  return {
    name,
    pid: child.pid!,
    healthPort,
    logs: () => entries,
    waitForLog(match, timeoutMs = 30_000) {
      return new Promise((resolveEntry, reject) => {
        const check = () => {
          const found = entries.find(match);
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolveEntry(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${name}: no such log line within ${timeoutMs} ms; logged: ${entries.map((e) => e.msg).join(' | ')}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`${name} exited; logged: ${entries.map((e) => e.msg).join(' | ')}`));
        });
        check();
      });
    },
    health: async () => (await fetch(url('/healthz'))).json() as ReturnType<InstanceProcess['health']>,
    metrics: async () => (await fetch(url('/metrics'))).text(),
    signal: (signal) => child.kill(signal),
    exited,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
