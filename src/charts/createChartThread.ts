import { Worker } from 'node:worker_threads';
import type { ChartSpec } from '../core/chartSpec.js';
import type { ChartRequest, ChartResponse } from './chartThread.js';

export interface ChartThread {
  /** The spec as a PNG, drawn on the worker thread. Rejects on a bad spec, a crash or a timeout. */
  render(spec: ChartSpec): Promise<Buffer>;
  /** Stops the thread; pending renders reject. The next render starts a new one. */
  close(): Promise<void>;
}

interface Pending {
  /** The thread drawing it. */
  worker: Worker;
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A thread running chartThread.ts. Run from TypeScript sources (tsx, vitest), the worker is TypeScript
 * too, and tsx's loader doesn't reach worker threads on Node 20 (`--import` in a worker's execArgv
 * is ignored): a one-line bootstrap loads it with tsx's `tsImport` instead.
 */
function spawn(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./chartThread.js', import.meta.url));
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./chartThread.ts', import.meta.url).href);
  return new Worker(`import(${api}).then(({ tsImport }) => tsImport(${entry}, ${entry}))`, { eval: true });
}

export interface ChartThreadOptions {
  /** How long a chart may take, queueing included, before the thread is deemed stuck (10 s). */
  timeoutMs?: number;
  /**
   * Charts waiting at most (100, about a second of drawing): beyond that a render is refused at
   * once, and the answer goes out without its chart, rather than queueing towards the timeout.
   */
  maxPending?: number;
}

/**
 * Charts drawn on a thread of their own (src/charts/chartThread.ts), started on the first render
 * and again after it dies or hangs. It keeps the process alive only while a render is pending.
 */
export function createChartThread(options: ChartThreadOptions = {}): ChartThread {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxPending = options.maxPending ?? 100;
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 1;

  function settle(id: number): Pending | undefined {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }

  function start(): Worker {
    const started = spawn();
    started.on('message', (response: ChartResponse) => {
      const p = settle(response.id);
      if (!p) return;
      if ('png' in response) p.resolve(Buffer.from(response.png.buffer, response.png.byteOffset, response.png.byteLength));
      else p.reject(new Error(response.error));
    });
    const gone = (error: Error): void => {
      if (worker === started) worker = undefined;
      for (const [id, p] of [...pending]) if (p.worker === started) settle(id)?.reject(error);
    };
    started.on('error', gone);
    started.on('exit', (code) => gone(new Error(`The chart thread stopped (exit code ${code})`)));
    // Idle, the thread must not keep the process alive (each pending render's timer does). After
    // the listeners: adding a 'message' one refs the thread again.
    started.unref();
    return started;
  }

  return {
    render(spec) {
      if (pending.size >= maxPending) return Promise.reject(new Error(`${pending.size} charts are already waiting`));
      worker ??= start();
      const target = worker;
      const id = nextId++;
      return new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => {
          settle(id);
          reject(new Error(`The chart took longer than ${timeoutMs} ms`));
          // A stuck drawing would hold up every later one: start afresh.
          if (worker === target) worker = undefined;
          void target.terminate();
        }, timeoutMs);
        pending.set(id, { worker: target, resolve, reject, timer });
        target.postMessage({ id, spec } satisfies ChartRequest);
      });
    },
    async close() {
      const stopping = worker;
      if (stopping) await stopping.terminate();
    },
  };
}
