import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeBotApi, textMessage } from '../telegram/fakeBotApi.js';
import { feedServer } from './appFixtures.js';
import { type InstanceProcess, startInstance } from './instanceProcess.js';

/**
 * SIGTERM while answers are still going out, as a deploy or a rolling upgrade sends it: every
 * question the bot had taken (confirmed to Telegram, which will not send it again) is answered
 * before it exits, within the 10 s deadline.
 */

const CHATS = 150;
let telegram: FakeBotApi;
let feed: Awaited<ReturnType<typeof feedServer>>;
let bot: InstanceProcess | undefined;

beforeEach(async () => {
  telegram = await FakeBotApi.start();
  feed = await feedServer();
});
afterEach(async () => {
  await bot?.dispose();
  bot = undefined;
  await telegram.close();
  await feed.close();
});

it('SIGTERM a second into 150 questions: every one taken is answered before the bot exits 0, within 10 s', async () => {
  bot = await startInstance('drain', { apiRoot: telegram.apiRoot, FEED_URL: feed.url });
  await bot.waitForLog((entry) => entry.msg.startsWith('leading'));
  await telegram.waitFor(() => telegram.pendingPolls === 1, 10_000);
  for (let i = 0; i < CHATS; i++) telegram.push(textMessage({ id: 7000 + i }, '/latest'));
  // Taken: the bot confirmed them all (its next poll's offset) and started answering.
  await telegram.waitFor(() => telegram.callsOf('sendMessage').length >= 10, 10_000);
  const stoppedAt = performance.now();
  bot.signal('SIGTERM');
  expect(await bot.exited).toBe(0);
  expect(performance.now() - stoppedAt).toBeLessThan(10_000);
  // Every question is answered, or was never confirmed and comes again to the next run.
  const answered = () => new Set(telegram.callsOf('sendMessage').map((call) => Number(call.payload.chat_id)));
  const waiting = telegram.unconfirmed.map((update) => update.message?.chat.id);
  expect(answered().size + waiting.length).toBe(CHATS);
  expect(waiting.every((chat) => chat !== undefined && !answered().has(chat))).toBe(true);

  // The next run answers those: none lost across the restart.
  await bot.dispose();
  bot = await startInstance('drain-again', { apiRoot: telegram.apiRoot, FEED_URL: feed.url });
  await telegram.waitFor(() => answered().size === CHATS, 20_000);
}, 60_000);
