import { performance } from 'node:perf_hooks';
import { run } from '@grammyjs/runner';
import { silentLogger } from '../src/lib/log.js';
import { RateLimiter } from '../src/lib/rateLimiter.js';
import { createTelegramBot } from '../src/telegram/createTelegramBot.js';
import { startTelegram } from '../src/telegram/startTelegram.js';
import { telegramLimits } from '../src/telegram/telegramTransport.js';
import { platformDeps } from '../test/fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from '../test/telegram/fakeBotApi.js';
import { percentiles } from './stats.js';

const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, looking every 50 ms, for `timeoutMs` at most; false if it never did. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** The first sendMessage to each chat, at (performance.now()). */
function firstAnswers(fake: FakeBotApi): Map<number, number> {
  const first = new Map<number, number>();
  for (const call of fake.callsOf('sendMessage')) {
    const chat = Number(call.payload.chat_id);
    if (!first.has(chat)) first.set(chat, call.at);
  }
  return first;
}

async function startPolling(fake: FakeBotApi) {
  const deps = await platformDeps({ log: silentLogger });
  // The flood's own 20 answers take 20 s at a message a second; nothing here waits for them.
  const adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps, BOT_INFO, { drainMs: 0 });
  await until(() => fake.pendingPolls === 1, 5000);
  return adapter;
}

/** 20 chats ask /latest once, after `flood` commands from one chat; each one's wait for its first answer. */
async function othersDuring(flood: number): Promise<{ latencies: number[]; unanswered: number }> {
  const fake = await FakeBotApi.start();
  const adapter = await startPolling(fake);
  try {
    for (let i = 0; i < flood; i++) fake.push(textMessage({ id: 50_000 }, '/latest'));
    const asked = new Map<number, number>();
    for (let i = 0; i < 20; i++) {
      asked.set(60_000 + i, performance.now());
      fake.push(textMessage({ id: 60_000 + i }, '/latest'));
    }
    // Long enough for the bot without the cap (about a minute).
    await until(() => [...asked.keys()].every((chat) => fake.sentTo(chat).length > 0), 90_000);
    const first = firstAnswers(fake);
    const latencies = [...asked].filter(([chat]) => first.has(chat)).map(([chat, at]) => first.get(chat)! - at);
    return { latencies, unanswered: asked.size - latencies.length };
  } finally {
    await adapter.stop();
    await fake.close();
  }
}

/** 150 chats ask /latest; stop() once the first answer is out: how many were answered when it resolved. */
async function stopDuringAnswers(): Promise<{ answered: number; stopMs: number }> {
  const fake = await FakeBotApi.start();
  const deps = await platformDeps({ log: silentLogger });
  const adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps, BOT_INFO);
  try {
    await until(() => fake.pendingPolls === 1, 5000);
    for (let i = 0; i < 150; i++) fake.push(textMessage({ id: 70_000 + i }, '/latest'));
    await until(() => fake.callsOf('sendMessage').length > 0, 10_000);
    const started = performance.now();
    await adapter.stop();
    const stopMs = performance.now() - started;
    return { answered: firstAnswers(fake).size, stopMs };
  } finally {
    await adapter.stop();
    await fake.close();
  }
}

interface Overload {
  questions: number;
  answered: number;
  shed: number;
  waiting: number;
  /** Each answered question's age when its answer reached the server, in Telegram's time (ms). */
  ages: number[];
}

/**
 * Questions from distinct chats at 6.5× the send limit for `forMs`, at Telegram's limits × `scale`
 * (the bot's budget, and the answer age limit ÷ scale); then until every question is answered or
 * shed (or 3 × forMs more). Ages are scaled back to Telegram's time.
 */
async function overload(scale: number, forMs: number): Promise<Overload> {
  const fake = await FakeBotApi.start();
  let shed = 0;
  const bot = createTelegramBot({
    token: TEST_TOKEN,
    apiRoot: fake.apiRoot,
    botInfo: BOT_INFO,
    deps: await platformDeps({ log: silentLogger }),
    limiter: new RateLimiter(telegramLimits(scale)),
    maxAnswerAgeMs: 60_000 / scale,
    onShed: () => shed++,
  });
  const runner = run(bot, { runner: { fetch: { allowed_updates: ['message'] }, silent: true } });
  const asked = new Map<number, number>();
  try {
    const perMs = (6.5 * 30 * scale) / 1000;
    const start = performance.now();
    let next = 1_000_000;
    while (performance.now() - start < forMs) {
      const due = Math.floor((performance.now() - start) * perMs);
      while (asked.size < due) {
        asked.set(next, performance.now());
        fake.push(textMessage({ id: next++ }, '/latest'));
      }
      await sleep(10);
    }
    const answeredCount = () => fake.callsOf('sendMessage').length;
    await until(() => answeredCount() + shed >= asked.size, 3 * forMs);
    const first = firstAnswers(fake);
    const ages = [...first].map(([chat, at]) => (at - asked.get(chat)!) * scale);
    return { questions: asked.size, answered: first.size, shed, waiting: asked.size - first.size - shed, ages };
  } finally {
    await runner.stop();
    await fake.close();
  }
}

/**
 * The update pipeline under load, through grammY and the runner against the fake Bot API (100
 * updates a getUpdates, as Telegram): a flood from one chat while others ask, stop() while answers
 * are going out, and questions at 6.5× the send limit.
 */
export default async function benchFloodFairness(): Promise<string[]> {
  const alone = await othersDuring(0);
  const flooded = await othersDuring(560);
  const stops = [await stopDuringAnswers(), await stopDuringAnswers(), await stopDuringAnswers()];
  const SCALE = 10;
  const loaded = await overload(SCALE, 20_000);
  const fmt = (latencies: number[]) => {
    const { p50 } = percentiles(latencies);
    return `${seconds(p50)} / ${seconds(Math.max(...latencies))}`;
  };
  const ages = percentiles(loaded.ages);
  return [
    "Telegram's limits, the bot's own budget (30/s, a second apart per chat); fake Bot API in process.",
    '',
    '| measure | value | goal |',
    '|---|---|---|',
    `| 20 chats ask /latest, nothing else: first answer p50 / max | ${fmt(alone.latencies)} | |`,
    `| the same 20 right after 560 commands from one chat: p50 / max | **${fmt(flooded.latencies)}**${flooded.unanswered ? ` (${flooded.unanswered} unanswered after 90 s)` : ''} | ≤ 1 s |`,
    `| 150 chats ask, stop() after the first answer: questions lost (3 runs) | **${stops.map((s) => 150 - s.answered).join(', ')}** | 0 |`,
    `| ... stop() took | ${stops.map((s) => seconds(s.stopMs)).join(', ')} | ≤ 8 s |`,
    `| 6.5× the send limit for ${(20 * SCALE).toLocaleString('en-CA')} s (limits ×${SCALE}, times scaled back): questions | ${loaded.questions.toLocaleString('en-CA')} | |`,
    `| ... answered / shed / still waiting at the end | ${loaded.answered.toLocaleString('en-CA')} / ${loaded.shed.toLocaleString('en-CA')} / ${loaded.waiting.toLocaleString('en-CA')} | |`,
    `| ... answer age p50 / p99 / max | ${seconds(ages.p50)} / **${seconds(ages.p99)}** / ${seconds(Math.max(...loaded.ages))} | p99 ≤ 60 s |`,
  ];
}
