import { silentLogger } from '../src/lib/log.js';
import { startTelegram } from '../src/telegram/startTelegram.js';
import { platformDeps } from '../test/fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from '../test/telegram/fakeBotApi.js';
import { loopbackAliases, post, SLOW_HEADERS, type SlowClients, slowClients } from '../test/telegram/slowClients.js';
import { ms, percentiles } from './stats.js';

const SECRET = 'bench-webhook-secret';
const POST_EVERY_MS = 200;
/** Telegram's update, posted while the slow ones are held: answered (200) within this. */
const ANSWER_GOAL_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attack {
  name: string;
  /** Slow connections opened before the first update: headers (from `from`), and bodies. */
  headers: { count: number; from: string[] };
  bodies: number;
}

interface Outcome {
  answers: number[];
  refused: number;
  headerLifetimes: number[];
  bodyLifetimes: number[];
}

const update = (chatId: number) => JSON.stringify({ update_id: chatId, ...textMessage({ id: chatId }, '/latest') });

/**
 * The bot in webhook mode with its default limits (startTelegram, headers and body cut 5 s after
 * a connection opens, 100 connections an address): the attack opens its slow connections, then an
 * update is posted from 127.0.0.1 every 200 ms until every slow one is cut.
 */
async function underAttack(attack: Attack): Promise<Outcome> {
  const fake = await FakeBotApi.start();
  const adapter = await startTelegram(
    {
      token: TEST_TOKEN,
      apiRoot: fake.apiRoot,
      webhook: { url: 'https://bot.example.test/telegram/hook', secret: SECRET, port: 0, host: '127.0.0.1' },
    },
    await platformDeps({ log: silentLogger }),
    BOT_INFO,
  );
  const port = adapter.port!;
  const slow: SlowClients[] = [];
  try {
    const headers = await slowClients(port, attack.headers.count, { from: attack.headers.from, trickle: SLOW_HEADERS });
    slow.push(headers);
    const bodies = await slowClients(port, attack.bodies, {
      from: ['127.0.0.6'],
      whole: `POST /telegram/hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Length: 100\r\n\r\n`,
      trickle: update(1).padEnd(100),
    });
    slow.push(bodies);
    const answers: number[] = [];
    let refused = 0;
    for (let chat = 9000; headers.open() + bodies.open() > 0 && chat < 9100; chat++) {
      const answer = await post(port, update(chat), { secret: SECRET }).catch(() => undefined);
      if (answer?.status === 200) answers.push(answer.ms);
      else refused++;
      await sleep(POST_EVERY_MS);
    }
    return { answers, refused, headerLifetimes: headers.lifetimes(), bodyLifetimes: bodies.lifetimes() };
  } finally {
    for (const clients of slow) clients.end();
    await adapter.stop();
    await fake.close();
  }
}

const range = (values: number[]) =>
  values.length ? `${(Math.min(...values) / 1000).toFixed(2)}–${(Math.max(...values) / 1000).toFixed(2)} s` : '–';

/** Telegram's updates against slow connections (slowloris) at the webhook: how fast they are still answered. */
export default async function benchWebhookSlowClients(): Promise<string[]> {
  const aliases = await loopbackAliases();
  const attacks: Attack[] = [
    ...(aliases
      ? [
          {
            name: '200 trickling headers from 4 addresses, 20 trickling a body',
            headers: { count: 200, from: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'] },
            bodies: 20,
          },
        ]
      : []),
    { name: '200 trickling headers, all from 127.0.0.1 (a reverse proxy)', headers: { count: 200, from: ['127.0.0.1'] }, bodies: 0 },
  ];
  const lines = [
    `An update posted every ${POST_EVERY_MS} ms from 127.0.0.1 until every slow connection is cut; default limits. Goal: every update answered, p99 < ${ANSWER_GOAL_MS / 1000} s.`,
    '',
    '| attack | updates answered | refused | answer p50 | answer p99 | slowest | slow headers cut after | slow bodies cut after | within goal |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const attack of attacks) {
    const outcome = await underAttack(attack);
    const { p50, p99 } = percentiles(outcome.answers);
    const within = outcome.refused === 0 && p99 < ANSWER_GOAL_MS;
    lines.push(
      `| ${attack.name} | ${outcome.answers.length} | ${outcome.refused} | ${ms(p50)} | ${ms(p99)} | ${ms(Math.max(...outcome.answers))} | ${range(outcome.headerLifetimes)} | ${range(outcome.bodyLifetimes)} | ${within ? 'yes' : '**no**'} |`,
    );
  }
  if (!aliases) lines.push('', 'This system routes only 127.0.0.1 to loopback: the attack from several addresses was not run.');
  return lines;
}
