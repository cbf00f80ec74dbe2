import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const ROOT = resolve(import.meta.dirname, '../..');

/** A child process running `script` (an ES module, TypeScript imports allowed), and the lines it says. */
export interface ScriptChild {
  child: ChildProcess & { stdin: Writable; stdout: Readable };
  /** The first line it said starting with `prefix`, once it has; rejects if it exits first. */
  line(prefix: string): Promise<string>;
  exited: Promise<number | null>;
}

/** Starts `script` in a Node process of its own (tsx), from the repository's root, with `env` added. */
export function scriptChild(script: string, env: Record<string, string>): ScriptChild {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  }) as ScriptChild['child'];
  const said: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    said.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const line = async (prefix: string): Promise<string> => {
    for (;;) {
      const found = said.find((l) => l.startsWith(prefix));
      if (found) return found;
      const more = new Promise<void>((wake) => waiters.push(wake));
      const ended = exited.then((code) => {
        throw new Error(`the child exited (${code}) before saying "${prefix}"; it said ${JSON.stringify(said)}`);
      });
      await Promise.race([more, ended]);
    }
  };
  return { child, line, exited };
}
