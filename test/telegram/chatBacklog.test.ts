import { afterEach, beforeEach, expect, it } from 'vitest';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { platformDeps } from '../fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { LogRecorder } from './logRecorder.js';
import { runBot } from './runBot.js';

/**
 * One chat floods the bot with commands: the runner's slots must go on serving everyone else.
 * A chat's pending questions are capped at 20; past that, it is told once to ask one at a time
 * and the rest of the flood is dropped (and counted).
 */

const FLOOD = 560;
const OTHERS = 20;
const NOTICE = 'One question at a time, please: I am still answering your earlier ones.';
const FLOODER = 8000;

let fake: FakeBotApi;
let logs: LogRecorder;
let stop: (() => Promise<unknown>) | undefined;

beforeEach(async () => {
  fake = await FakeBotApi.start();
  logs = new LogRecorder();
});
afterEach(async () => {
  await stop?.();
  stop = undefined;
  await fake.close();
});

const flood = () => {
  for (let i = 0; i < FLOOD; i++) fake.push(textMessage({ id: FLOODER }, '/latest'));
};

it('560 commands from one chat, then 20 other chats ask once: none of them waits behind the flood (Telegram’s limits)', async () => {
  const adapter: TelegramAdapter = await startTelegram(
    { token: TEST_TOKEN, apiRoot: fake.apiRoot },
    await platformDeps({ log: logs.log }),
    BOT_INFO,
    // The flood's own answers take 20 s at a message a second: the test does not wait for them.
    { drainMs: 0 },
  );
  stop = () => adapter.stop();
  await fake.waitFor(() => fake.pendingPolls === 1);
  flood();
  const others = Array.from({ length: OTHERS }, (_, i) => 8100 + i);
  for (const chat of others) fake.push(textMessage({ id: chat }, '/latest'));
  await fake.waitFor(() => others.every((chat) => fake.sentTo(chat).length > 0), 5000);
  // Meanwhile the flooding chat got its first answer and the notice, at its own pace (a message a
  // second): the others did not queue behind its 20 answers.
  expect(fake.sentTo(FLOODER).length).toBeLessThanOrEqual(2);
}, 15_000);

it('the flooding chat gets 20 answers and one notice; the rest of the flood is dropped and counted', async () => {
  // Telegram's limits ×20 (a chat's messages 50 ms apart): the 20 answers take a second.
  const running = await runBot(fake, { log: logs.log, limiter: new RateLimiter(telegramLimits(20)) });
  stop = running.stop;
  const mark = logs.mark();
  flood();
  await fake.waitFor(() => fake.sentTo(FLOODER).length >= 21, 5000);
  await running.stop();
  expect(await running.bot.inFlight.drain(5000)).toEqual([]);
  const texts = fake.sentTo(FLOODER).map((call) => call.payload.text as string);
  expect(texts).toHaveLength(21);
  expect(texts.filter((text) => text === NOTICE)).toHaveLength(1);
  expect(texts.filter((text) => text.startsWith('<b>Latest'))).toHaveLength(20);
  const counted = await logs.waitFor((entry) => entry.msg === 'a chat flooded the bot: updates dropped', mark);
  expect(counted).toMatchObject({ chat: 'private', dropped: FLOOD - 20 });
}, 15_000);
