import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../../src/storage/sqlite/lockDataDir.js';

const temp = mkdtempSync(join(tmpdir(), 'ee-lock-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

type Said = { locked: number } | { refused: string } | { released: true };

/** A bot process locking `dataDir`: what it said first, a way to tell it more, and its exit. */
function startChild(dataDir: string) {
  const child: ChildProcess = fork(fileURLToPath(new URL('./lockChild.ts', import.meta.url)), [dataDir], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = () =>
    new Promise<Said>((resolve, reject) => {
      child.once('message', (message) => resolve(message as Said));
      child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before answering`)));
    });
  const first = next();
  return {
    child,
    first,
    exited,
    tell: (message: 'release' | 'exit') => {
      const answer = next();
      child.send(message);
      return answer;
    },
  };
}
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

let n = 0;
const freshDir = () => join(temp, `var${++n}`);

describe('lockDataDir: one bot process per DATA_DIR', () => {
  it('refuses a second process at once, naming DATA_DIR and the holder’s pid', async () => {
    const dataDir = freshDir();
    const holder = startChild(dataDir);
    const { locked } = (await holder.first) as { locked: number };
    expect(locked).toBe(holder.child.pid);
    expect(await readFile(join(dataDir, 'bot.pid'), 'utf8')).toBe(`${locked}\n`);

    const second = startChild(dataDir);
    expect(await second.first).toEqual({
      refused: `DATA_DIR ${dataDir} is in use by another bot process (pid ${locked}); stop it first, or give this one a DATA_DIR of its own`,
    });
    expect(await second.exited).toBe(1);
    // And from this process too, with the pid on the error.
    const refusal = await lockDataDir(dataDir).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirInUseError);
    expect(refusal).toMatchObject({ dataDir, pid: locked });
    expect(await readFile(join(dataDir, 'bot.pid'), 'utf8')).toBe(`${locked}\n`);
  });

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const dataDir = freshDir();
    const holder = startChild(dataDir);
    const { locked } = (await holder.first) as { locked: number };
    holder.child.kill('SIGKILL');
    await holder.exited;
    // The killed process could not tidy up: its pid is still written, stale.
    expect(await readFile(join(dataDir, 'bot.pid'), 'utf8')).toBe(`${locked}\n`);

    const next = startChild(dataDir);
    expect(await next.first).toEqual({ locked: next.child.pid });
    expect(await readFile(join(dataDir, 'bot.pid'), 'utf8')).toBe(`${next.child.pid}\n`);
  });

  it('frees DATA_DIR on release() and on exit', async () => {
    const dataDir = freshDir();
    const holder = startChild(dataDir);
    await holder.first;
    expect(await holder.tell('release')).toEqual({ released: true });
    expect(existsSync(join(dataDir, 'bot.pid'))).toBe(false);

    const next = startChild(dataDir);
    expect(await next.first).toEqual({ locked: next.child.pid });
    next.child.send('exit');
    expect(await next.exited).toBe(0);
    expect(existsSync(join(dataDir, 'bot.pid'))).toBe(false);

    const lock = await lockDataDir(dataDir);
    await expect(lockDataDir(dataDir)).rejects.toThrow(`(pid ${process.pid})`);
    await lock.release();
    await lock.release();
    await (await lockDataDir(dataDir)).release();
  });
});
