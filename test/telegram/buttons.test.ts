import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { STALE_BUTTON } from '../../src/commands/createAnswers.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { PRESS_APOLOGY } from '../../src/telegram/answerPress.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import { type ApiCall, BOT_INFO, callbackQuery, FakeBotApi, keyboardOf, pressButton, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { LogRecorder } from './logRecorder.js';
import { holdPresses, NOT_ON_MENU, pick } from './pickCommand.js';

/** The real bot, polling a fake Bot API, with /pick (menus, buttons, act) in its registry. */

const logs = new LogRecorder();
let commandDeps: CommandDeps;
let fake: FakeBotApi;
let adapter: TelegramAdapter;

beforeAll(async () => {
  commandDeps = { ...(await testDeps()), commands: [...commands, pick] };
});

beforeEach(async () => {
  fake = await FakeBotApi.start();
  const deps = await platformDeps({ deps: commandDeps, log: logs.log });
  adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps, BOT_INFO);
});

afterEach(async () => {
  await adapter?.stop();
  await fake?.close();
});

// textMessage sends as user |chat id| + 7.
const PRIVATE = 7_301;
const GROUP = -7_301;
const USER = PRIVATE + 7;

const COLOURS = [
  [
    { text: 'Red', callback_data: 'pick:red' },
    { text: 'Green', callback_data: 'pick:green' },
    { text: 'Blue', callback_data: 'pick:blue' },
  ],
  [{ text: 'Cancel', callback_data: 'pick:cancel' }],
];
const NO_KEYBOARD = { inline_keyboard: [] };

/** Sends `text` in a chat; resolves with the bot's next message there. */
async function ask(chatId: number, text: string): Promise<ApiCall> {
  const before = fake.sentTo(chatId).length;
  fake.push(textMessage({ id: chatId }, text));
  await fake.waitFor(() => fake.sentTo(chatId)[before]?.result !== undefined);
  return fake.sentTo(chatId)[before]!;
}

/** Pushes a press; resolves once it is answered, with the calls made for it. */
async function press(update: ReturnType<typeof callbackQuery>) {
  const id = update.callback_query!.id;
  const mark = fake.calls.length;
  fake.push(update);
  await fake.waitFor((calls) => calls.some((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === id));
  const calls = fake.calls.slice(mark).filter((c) => c.method !== 'getUpdates');
  return {
    calls: calls.map((c) => c.method),
    edits: calls.filter((c) => c.method === 'editMessageText'),
    sent: calls.filter((c) => c.method === 'sendMessage'),
    answer: calls.find((c) => c.method === 'answerCallbackQuery')!,
  };
}

describe('Telegram buttons', () => {
  it('polls for button presses as well as messages', async () => {
    await fake.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'));
    expect(fake.callsOf('getUpdates')[0]!.payload.allowed_updates).toEqual(['message', 'callback_query']);
  });

  it('sends a menu and its buttons as an inline keyboard', async () => {
    const sent = await ask(PRIVATE, '/pick');
    expect(sent.payload.text).toContain('<b>Pick a colour</b>');
    expect(sent.payload.reply_markup).toEqual({ inline_keyboard: COLOURS });
  });

  it('answers a pick in place: the next step, its keyboard, then the press answered', async () => {
    const sent = await ask(PRIVATE, '/pick');
    const { calls, edits, sent: fresh, answer } = await press(pressButton(sent, 'Green'));
    expect(calls).toEqual(['editMessageText', 'answerCallbackQuery']);
    expect(fresh).toEqual([]);
    expect(edits[0]!.payload).toMatchObject({ chat_id: PRIVATE, message_id: sent.result!.message_id, parse_mode: 'HTML' });
    expect(edits[0]!.payload.text).toContain('<b>You picked green</b>');
    expect(edits[0]!.payload.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'S', callback_data: 'pick:green.S' },
          { text: 'M', callback_data: 'pick:green.M' },
          { text: 'L', callback_data: 'pick:green.L' },
        ],
        [{ text: 'Back', callback_data: 'pick:back' }],
        [{ text: 'Cancel', callback_data: 'pick:cancel' }],
      ],
    });
    expect(answer.payload).toEqual({ callback_query_id: expect.any(String) });

    // Back, from the edited message, puts the first step back.
    const back = await press(pressButton(edits[0]!, 'Back'));
    expect(back.edits[0]!.payload.reply_markup).toEqual({ inline_keyboard: COLOURS });
  });

  it('takes the keyboard away when the answer has no buttons (Cancel)', async () => {
    const sent = await ask(PRIVATE, '/pick');
    const { edits } = await press(pressButton(sent, 'Cancel'));
    expect(edits[0]!.payload.text).toContain('Cancelled');
    expect(edits[0]!.payload.reply_markup).toEqual(NO_KEYBOARD);
  });

  it('answers a forged or stale press with the error in place, keyboard removed, never logging its data', async () => {
    const mark = logs.mark();
    const sent = await ask(PRIVATE, '/pick');
    const messageId = sent.result!.message_id;
    const forged = await press(callbackQuery({ id: PRIVATE }, USER, messageId, 'pick:forged-SECRET'));
    expect(forged.edits[0]!.payload).toEqual({
      chat_id: PRIVATE,
      message_id: messageId,
      text: NOT_ON_MENU,
      link_preview_options: { is_disabled: true },
      reply_markup: NO_KEYBOARD,
    });
    expect(forged.answer.payload.text).toBeUndefined();
    const stale = await press(callbackQuery({ id: PRIVATE }, USER, messageId, 'gone:OTHER-SECRET'));
    expect(stale.edits[0]!.payload.text).toBe(STALE_BUTTON);

    await logs.waitFor((entry) => entry.msg === 'button answered' && entry.command === 'unknown', mark);
    expect(logs.entriesSince(mark).filter((entry) => entry.msg === 'button answered')).toMatchObject([
      { command: 'pick', kind: 'error', placed: 'edited' },
      { command: 'unknown', kind: 'error', placed: 'edited' },
    ]);
    expect(logs.since(mark).join('')).not.toMatch(/SECRET|pick:|gone:/);
  });

  it('points a group to the private chat with a url button, whose deep link runs the command there', async () => {
    const sent = await ask(GROUP, '/pick');
    expect(sent.payload.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Open a private chat', url: 'https://t.me/EEDrawsTestBot?start=pick' }]],
    });
    const started = await ask(PRIVATE, '/start pick');
    expect(started.payload.reply_markup).toEqual({ inline_keyboard: COLOURS });
  });

  it('answers a press in a group in place, as the one who pressed', async () => {
    // A group's /pick points elsewhere; the step's buttons may still come from an earlier message.
    const sent = await ask(GROUP, '/pick');
    const { edits } = await press(callbackQuery({ id: GROUP }, USER, sent.result!.message_id, 'pick:red'));
    expect(edits[0]!.payload).toMatchObject({ chat_id: GROUP, message_id: sent.result!.message_id });
    expect(edits[0]!.payload.text).toContain('You picked red');
  });

  it('puts a long answer in place as its first message, the rest after, the keyboard under the last', async () => {
    const sent = await ask(PRIVATE, '/pick');
    const { calls, edits, sent: rest } = await press(callbackQuery({ id: PRIVATE }, USER, sent.result!.message_id, 'pick:long'));
    expect(calls).toEqual(['editMessageText', 'sendMessage', 'answerCallbackQuery']);
    expect(edits[0]!.payload.text).toContain('A long answer');
    expect(edits[0]!.payload.reply_markup).toEqual(NO_KEYBOARD);
    expect(rest[0]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Cancel', callback_data: 'pick:cancel' }]] });
    expect(rest[0]!.payload.reply_parameters).toBeUndefined();
  });

  it('sends the answer as a new message when the one under the button is out of reach', async () => {
    const { calls, sent } = await press(callbackQuery({ id: PRIVATE }, USER, 999, 'pick:blue', { date: 0 }));
    expect(calls).toEqual(['sendMessage', 'answerCallbackQuery']);
    expect(sent[0]!.payload.chat_id).toBe(PRIVATE);
    expect(
      keyboardOf(sent[0]!)
        .flat()
        .map((b) => b.text),
    ).toEqual(['S', 'M', 'L', 'Back', 'Cancel']);
  });

  it('sends the answer as a new message when Telegram says the message can no longer be edited', async () => {
    fake.failNext('editMessageText', 400, { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
    const { calls, sent } = await press(callbackQuery({ id: PRIVATE }, USER, 998, 'pick:cancel'));
    expect(calls).toEqual(['editMessageText', 'sendMessage', 'answerCallbackQuery']);
    expect(sent[0]!.payload.text).toContain('Cancelled');
    expect(sent[0]!.payload.reply_markup).toBeUndefined();
  });

  it('answers a press on a message sent long ago: the press, not the message, is what is answered in time', async () => {
    const dayAgo = Math.floor(Date.now() / 1000) - 86_400;
    const { edits } = await press(callbackQuery({ id: PRIVATE }, USER, 997, 'pick:red', { date: dayAgo }));
    expect(edits[0]!.payload.text).toContain('You picked red');
  });

  it('takes "message is not modified" (the same answer again) as done', async () => {
    const mark = logs.mark();
    fake.failNext('editMessageText', 400, {
      ok: false,
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    const { calls, answer } = await press(callbackQuery({ id: PRIVATE }, USER, 996, 'pick:back'));
    expect(calls).toEqual(['editMessageText', 'answerCallbackQuery']);
    expect(answer.payload.text).toBeUndefined();
    expect(logs.entriesSince(mark).filter((entry) => entry.msg === 'Telegram update failed')).toEqual([]);
  });

  it('answers a press that failed with an apology over the chat, logging the failure without the data', async () => {
    const mark = logs.mark();
    fake.failNext('editMessageText', 400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities" });
    const { answer } = await press(callbackQuery({ id: PRIVATE }, USER, 995, 'pick:green'));
    expect(answer.payload).toEqual({ callback_query_id: expect.any(String), text: PRESS_APOLOGY });
    const failed = await logs.waitFor((entry) => entry.msg === 'Telegram update failed', mark);
    expect(failed).toMatchObject({ level: 50, chat: 'private', err: { method: 'editMessageText', code: 400 } });
    expect(fake.sentTo(PRIVATE)).toEqual([]);
    expect(logs.since(mark).join('')).not.toMatch(/pick:|green/);
  });

  it("answers a chat's presses in order, and counts them among the updates a stop waits for", async () => {
    const sent = await ask(PRIVATE, '/pick');
    const messageId = sent.result!.message_id;
    const held = holdPresses();
    fake.push(callbackQuery({ id: PRIVATE }, USER, messageId, 'pick:hold'));
    await held.entered;
    fake.push(callbackQuery({ id: PRIVATE }, USER, messageId, 'pick:blue'));
    // Both taken: the first in its command, the second waiting its turn in the chat's line.
    await vi.waitFor(() => expect(adapter.bot.inFlight.size).toBe(2));
    expect(fake.callsOf('editMessageText')).toEqual([]);
    held.release();
    await fake.waitFor((calls) => calls.filter((c) => c.method === 'answerCallbackQuery').length === 2);
    expect(fake.callsOf('editMessageText').map((c) => /Held answer|You picked blue/.exec(c.payload.text)?.[0])).toEqual([
      'Held answer',
      'You picked blue',
    ]);
    await vi.waitFor(() => expect(adapter.bot.inFlight.size).toBe(0));
  });
});
