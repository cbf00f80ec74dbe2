import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FakeTelegramOptions, type ReceivedMessage, startFakeTelegram } from './fakeTelegramServer.js';

/** What the server saw, sent back over IPC. */
export interface FakeTelegramReport {
  received: ReceivedMessage[];
  peakWindow: number;
  tooManyRequests: number;
}

export interface FakeTelegramProcess {
  apiRoot: string;
  token: string;
  report(): Promise<FakeTelegramReport>;
  close(): Promise<void>;
}

type Limits = Pick<FakeTelegramOptions, 'perWindow' | 'windowMs' | 'perChatGapMs'>;

/**
 * The fake Bot API server in a process of its own, as Telegram is: its clock and event loop are
 * not the bot's, so a pause in the bot (a SQLite checkpoint, GC) delays requests on their way
 * rather than the server's count of them. Used by the benchmark.
 */
export function startFakeTelegramProcess(limits: Limits): Promise<FakeTelegramProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['--fake-telegram', JSON.stringify(limits)], { execArgv: ['--import', 'tsx'] });
  const request = <T>(command: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (message) => resolve(message as T));
      child.send(command);
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => {
      const { apiRoot, token } = message as { apiRoot: string; token: string };
      resolve({
        apiRoot,
        token,
        report: () => request<FakeTelegramReport>('report'),
        async close() {
          const exited = new Promise((done) => child.once('exit', done));
          child.send('close');
          await exited;
        },
      });
    });
  });
}

// In the child: serve until told to close.
if (process.argv[2] === '--fake-telegram' && process.send) {
  const send = process.send.bind(process);
  const server = await startFakeTelegram(JSON.parse(process.argv[3]!) as Limits);
  process.on('message', (command) => {
    if (command === 'report') {
      send({
        received: server.received,
        peakWindow: server.peakWindow(),
        tooManyRequests: server.tooManyRequests(),
      } satisfies FakeTelegramReport);
    } else if (command === 'close') {
      void server.close().then(() => process.exit(0));
    }
  });
  send({ apiRoot: server.apiRoot, token: server.token });
}
