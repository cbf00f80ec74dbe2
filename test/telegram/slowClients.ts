import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface SlowClients {
  /** Connections not closed yet. */
  open(): number;
  /** How long each closed connection stayed open, in ms, from 'connect' to 'close'. */
  lifetimes(): number[];
  /** Stops the trickle and closes every connection. */
  end(): void;
}

/**
 * `count` connections to 127.0.0.1:`port`, spread over the local addresses `from`, each sending
 * `whole` at once, then `trickle` one byte a second (all from one timer); resolves once every
 * one is connected (or already closed by the server).
 */
export async function slowClients(
  port: number,
  count: number,
  { from = ['127.0.0.1'], whole = '', trickle }: { from?: string[]; whole?: string; trickle: string },
): Promise<SlowClients> {
  const sockets: Socket[] = [];
  const opened: number[] = [];
  const closed: (number | undefined)[] = [];
  const connected: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from[i % from.length] });
    sockets.push(socket);
    socket.on('error', () => undefined);
    connected.push(
      new Promise((resolve) => {
        socket.once('connect', () => {
          opened[i] = performance.now();
          socket.write(whole + trickle[0]);
          resolve();
        });
        socket.once('close', () => {
          closed[i] = performance.now();
          resolve();
        });
      }),
    );
  }
  await Promise.all(connected);
  let sent = 1;
  const ticker = setInterval(() => {
    const byte = trickle[sent++ % trickle.length];
    for (const socket of sockets) if (!socket.destroyed) socket.write(byte!);
  }, 1_000);
  return {
    open: () => sockets.filter((_, i) => closed[i] === undefined).length,
    lifetimes: () => closed.flatMap((at, i) => (at === undefined ? [] : [at - (opened[i] ?? at)])),
    end() {
      clearInterval(ticker);
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** A request's start that never ends in time at a byte a second. */
export const SLOW_HEADERS = `POST /telegram/hook HTTP/1.1\r\nHost: bot.example.test\r\nContent-Type: application/json\r\n${'X-Padding: x\r\n'.repeat(20)}\r\n`;

/** Whether this system routes 127.0.0.2 and beyond to loopback (Linux does; macOS only 127.0.0.1). */
export function loopbackAliases(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ port: 9, host: '127.0.0.1', localAddress: '127.0.0.2' });
    // Refused by the closed port means the address was usable; EADDRNOTAVAIL means it was not.
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
  });
}

/** POSTs `body` to `path` from the local address `from`, as Telegram would; how it was answered and how fast. */
export function post(
  port: number,
  body: string,
  { secret, from = '127.0.0.1', path = '/telegram/hook' }: { secret?: string; from?: string; path?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode!, headers: res.headers, ms: performance.now() - started }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
