import type { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED } from '../../src/commands/crs/crsGuide.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { FIXED_NOW } from '../fixtures/deps.js';
import { type ApiCall, BOT_INFO, FakeBotApi, keyboardOf, pressButton, textMessage } from './fakeBotApi.js';
import { runBot } from './runBot.js';

/** /crs step by step through grammY against the fake Bot API: buttons, back, cancel, expiry, saving. */

const env = useSubscriptionDeps();
let fake: FakeBotApi;
let bot: Awaited<ReturnType<typeof runBot>>;
let now: DateTime = FIXED_NOW;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  // Telegram's limits 50 times over: each press edits the chat's message, and the test presses faster than anyone would.
  bot = await runBot(fake, { commandDeps: { ...env.deps, clock: () => now }, limiter: new RateLimiter(telegramLimits(50)) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

// textMessage sends as user |chat id| + 7: the same person in the private chat and the group.
const PRIVATE = 8_201;
const GROUP = -8_201;
const USER = String(PRIVATE + 7);

/** Sends `text`; resolves with the bot's next message in that chat, answered by the fake. */
async function ask(chatId: number, text: string): Promise<ApiCall> {
  const before = fake.sentTo(chatId).length;
  fake.push(textMessage({ id: chatId }, text));
  await fake.waitFor(() => fake.sentTo(chatId)[before]?.result !== undefined, 15_000);
  return fake.sentTo(chatId)[before]!;
}

/** Presses the button labelled `label` under the message `call` made; resolves with the edit that answers it. */
async function press(call: ApiCall, label: string): Promise<ApiCall> {
  const update = pressButton(call, label);
  const id = update.callback_query!.id;
  const mark = fake.calls.length;
  fake.push(update);
  await fake.waitFor((calls) => calls.some((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === id), 15_000);
  const edit = fake.calls.slice(mark).find((c) => c.method === 'editMessageText');
  if (!edit) throw new Error(`pressing "${label}" edited nothing`);
  return edit;
}

const labels = (call: ApiCall) =>
  keyboardOf(call)
    .flat()
    .map((b) => b.text);
const text = (call: ApiCall) => String(call.payload.text);

describe('/crs on Telegram', () => {
  it('in a group, links to a private chat and shows no details', async () => {
    const sent = await ask(GROUP, '/crs age=41 education=phd english=9');
    expect(text(sent)).toContain('Your CRS score, privately');
    // Nothing typed, and no score (the footer's round number aside).
    expect(text(sent).split('IRCC data')[0]).not.toMatch(/41|phd|\d{3}/i);
    expect(keyboardOf(sent)).toEqual([[{ text: 'Work out my CRS privately', url: `https://t.me/${BOT_INFO.username}?start=crs` }]]);
  });

  it('asks step by step from the deep link, goes back, and saves the score to the profile', async () => {
    await env.storage.profiles.forget('telegram', USER);
    let step = await ask(PRIVATE, '/start crs');
    expect(text(step)).toContain('How old are you?');
    expect(labels(step)).toContain('20–29');
    expect(labels(step).at(-1)).toBe('Cancel');

    step = await press(step, '20–29');
    expect(text(step)).toContain('spouse or common-law partner');
    expect(text(step)).toContain('So far: Age: 20–29');
    step = await press(step, '« Back');
    expect(text(step)).toContain('How old are you?');

    for (const label of ['20–29', 'No', "Master's or professional degree", 'No', 'CLB 9', 'No French test', 'None, or under a year']) {
      step = await press(step, label);
    }
    for (const label of ['3 years or more', 'No', 'No', 'No']) step = await press(step, label);
    expect(text(step)).toContain('Your CRS score: 469');
    expect(text(step)).toContain('Core / human capital: 369 of 500');
    expect(labels(step)).toEqual(['Save as my profile', '« Back', 'Start over']);

    const saved = await press(step, 'Save as my profile');
    expect(text(saved)).toContain('Your CRS score: 469');
    expect(text(saved)).toContain("your profile's CRS is now 469");
    expect(await env.storage.profiles.get('telegram', USER)).toEqual({ crs: 469, categories: [] });
    expect(text(await ask(PRIVATE, '/profile'))).toContain('469');
  });

  it('cancels, leaving no keyboard', async () => {
    const first = await ask(PRIVATE, '/crs');
    const closed = await press(first, 'Cancel');
    expect(text(closed)).toContain('CRS calculator closed');
    expect(closed.payload.reply_markup).toEqual({ inline_keyboard: [] });
  });

  it('forgets a conversation left for over 30 minutes', async () => {
    now = FIXED_NOW;
    const first = await ask(PRIVATE, '/crs');
    now = FIXED_NOW.plus({ minutes: 31 });
    try {
      const late = await press(first, '20–29');
      expect(text(late)).toContain(EXPIRED.replace("'", '&#39;').slice(0, 40));
      expect(late.payload.reply_markup).toEqual({ inline_keyboard: [] });
    } finally {
      now = FIXED_NOW;
    }
  });
});
