import { afterEach, beforeEach, expect, it } from 'vitest';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { platformDeps } from '../fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { runBot } from './runBot.js';

/**
 * An answer that cannot go out within 60 s of the question (its message's date) is dropped and
 * counted, never sent late; the chat's later questions are answered as usual.
 */

let fake: FakeBotApi;
let stop: (() => Promise<unknown>) | undefined;
const shed: string[] = [];

beforeEach(async () => {
  fake = await FakeBotApi.start();
  shed.length = 0;
});
afterEach(async () => {
  await stop?.();
  stop = undefined;
  await fake.close();
});

/** A message asked `ageSeconds` ago (Telegram dates messages in whole seconds). */
function askedAgo(chat: number, text: string, ageSeconds: number) {
  const update = textMessage({ id: chat }, text);
  update.message!.date -= ageSeconds;
  return update;
}

it('a question asked 61 s ago is not answered, and counted as shed; the next one is', async () => {
  const deps = { ...(await platformDeps()), onShed: (platform: string) => void shed.push(platform) };
  const adapter: TelegramAdapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps, BOT_INFO);
  stop = () => adapter.stop();
  const chat = 8300;
  fake.push(askedAgo(chat, '/latest', 61));
  // A chat's updates are handled in order: once this one is answered, the stale one was handled.
  fake.push(textMessage({ id: chat }, '/about'));
  await fake.waitFor(() => fake.sentTo(chat).length >= 1);
  const [only] = fake.sentTo(chat);
  expect(only!.payload.text).toMatch(/^<b>About/);
  expect(shed).toEqual(['telegram']);
  // No apology either: a dropped answer is not a failure.
  expect(fake.callsOf('sendMessage').filter((call) => call.payload.chat_id === chat)).toHaveLength(1);
});

it('an answer that waits for its chat’s turn past its deadline is dropped there, not sent late', async () => {
  // Half Telegram's pace: a chat's messages 2 s apart; answers may be 1.5 s old at most.
  const running = await runBot(fake, {
    limiter: new RateLimiter(telegramLimits(0.5)),
    maxAnswerAgeMs: 1500,
    onShed: () => void shed.push('telegram'),
  });
  stop = running.stop;
  const chat = 8301;
  fake.push(textMessage({ id: chat }, '/about'));
  await fake.waitFor(() => fake.sentTo(chat).length === 1);
  // Fresh when taken, but the chat's next message may go only 2 s after the first.
  fake.push(textMessage({ id: chat }, '/latest'));
  fake.push(askedAgo(chat, '/about', -5)); // dated ahead: its own deadline is not the question here
  await fake.waitFor(() => fake.sentTo(chat).length >= 2, 5000);
  const texts = fake.sentTo(chat).map((call) => call.payload.text as string);
  expect(texts).toHaveLength(2);
  expect(texts.every((text) => text.startsWith('<b>About'))).toBe(true);
  expect(shed).toEqual(['telegram']);
});
