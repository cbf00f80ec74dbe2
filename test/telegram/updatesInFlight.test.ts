import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startTelegram, type TelegramAdapter, type TelegramOptions } from '../../src/telegram/startTelegram.js';
import { platformDeps } from '../fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { LogRecorder } from './logRecorder.js';

/**
 * stop() while answers are going out, as a deploy sends SIGTERM: fetching ends at once, and every
 * update already taken (Telegram has it confirmed, and will not send it again) is answered before
 * stop() resolves, within its deadline; what the deadline cuts off is counted in the log.
 * 150 chats at Telegram's own limits: five seconds of answers.
 */

const CHATS = 150;
let fake: FakeBotApi;
let adapter: TelegramAdapter | undefined;
let logs: LogRecorder;

beforeEach(async () => {
  fake = await FakeBotApi.start();
  logs = new LogRecorder();
});
afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  await fake.close();
});

async function start(options: TelegramOptions = {}): Promise<TelegramAdapter> {
  adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, await platformDeps({ log: logs.log }), BOT_INFO, options);
  await fake.waitFor(() => fake.pendingPolls === 1);
  return adapter;
}

const askAll = () => {
  for (let i = 0; i < CHATS; i++) fake.push(textMessage({ id: 7000 + i }, '/latest'));
};
const answeredChats = () => new Set(fake.callsOf('sendMessage').map((call) => call.payload.chat_id)).size;

it('stop() just after the first of 150 answers: no more fetching, and all 150 answered before it resolves', async () => {
  const bot = await start();
  askAll();
  await fake.waitFor(() => fake.callsOf('sendMessage').length >= 1);
  const stopping = performance.now();
  await bot.stop();
  const lost = CHATS - answeredChats();
  expect(lost).toBe(0);
  // Within the default deadline, which leaves the app's 10 s room for the rest.
  expect(performance.now() - stopping).toBeLessThan(8000);
  const polls = fake.callsOf('getUpdates').length;
  fake.push(textMessage({ id: 7999 }, '/latest'));
  await fake.waitFor(() => fake.pendingPolls === 0);
  expect(fake.callsOf('getUpdates')).toHaveLength(polls);
}, 15_000);

it('past its deadline, stop() resolves and logs how many updates it dropped, nothing they said', async () => {
  const bot = await start({ drainMs: 400 });
  askAll();
  await fake.waitFor(() => fake.callsOf('sendMessage').length >= 1);
  // Both batches taken: the poll open now confirmed them to Telegram.
  await fake.waitFor(() => fake.pendingPolls === 1);
  const mark = logs.mark();
  const stopping = performance.now();
  await bot.stop();
  expect(performance.now() - stopping).toBeLessThan(1000);
  const answered = answeredChats();
  expect(answered).toBeLessThan(CHATS);
  const entry = logs.entriesSince(mark).find((e) => e.msg === 'Telegram updates given up at stop: not answered within the deadline');
  expect(entry).toMatchObject({ level: 40, handedBack: 0 });
  // A send on the wire at the deadline is given up, counted as dropped, and may still reach Telegram.
  expect(entry?.dropped).toBeGreaterThanOrEqual(CHATS - answered);
  expect(entry?.dropped).toBeLessThanOrEqual(CHATS - answered + 1);
  expect(logs.since(mark).join('')).not.toContain('/latest');
  // Given up, not left to trickle out later: none waits for the budget, and once their handlers
  // have ended, nothing more was sent.
  const sent = fake.callsOf('sendMessage').length;
  expect(bot.alerts.limiter?.waitingAnswers).toBe(0);
  await vi.waitFor(() => expect(bot.bot.inFlight.size).toBe(0));
  expect(fake.callsOf('sendMessage').length).toBeLessThanOrEqual(sent + 1); // one already on the wire may land
}, 15_000);
