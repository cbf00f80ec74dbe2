import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { type Answers, NOT_PLACED } from '../../src/commands/createAnswers.js';
import { APOLOGY } from '../../src/commands/runCommand.js';
import { type Addressed, addressedLine } from '../../src/telegram/addressedLine.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { telegramMenu } from '../../src/telegram/telegramMenu.js';
import { telegramMessages } from '../../src/telegram/telegramMessages.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import { type ApiCall, BOT_INFO, editedMessage, FakeBotApi, stickerMessage, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { LogRecorder } from './logRecorder.js';

/** Runs the real bot (runner, transformers, middleware) against a fake Bot API server on 127.0.0.1. */

const NOW = DateTime.fromISO('2026-11-25T12:00:00Z', { zone: 'utc' });
const ME = BOT_INFO.username;
const LINK_422 =
  'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=422';
const CHECK_ABC = 'Unknown category "abc"; /categories lists them (healthcare, cec, pnp, french…). For example: /check 470 healthcare';
/** Canned Bot API failures: a rate limit with a one-second retry_after, and a message Telegram refuses. */
const TOO_MANY_REQUESTS = { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
const CANNOT_PARSE = { ok: false, error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" };
const LATEST_HEALTHCARE = [
  '<b>Latest Healthcare and social services draw: #422</b>',
  'Jun 25, 2026 — 153 days ago.',
  '',
  '<b>Round:</b> #422',
  '<b>Date:</b> Jun 25, 2026',
  '<b>Time:</b> 13:51:43 UTC',
  '<b>Category:</b> Healthcare and Social Services Occupations, 2026-Version 3',
  '<b>Invitations:</b> 4,000',
  '<b>CRS cut-off:</b> 475',
  '<b>Tie-break:</b> profiles submitted before May 21, 2026 12:14:09 UTC',
  '',
  `<a href="${LINK_422}">Round #422 on canada.ca</a>`,
  '<i>IRCC data to round #434 (Aug 7, 2026)</i>',
].join('\n');

let fake: FakeBotApi;
let adapter: TelegramAdapter;
let answers: Answers;
const logs = new LogRecorder();
/** Where the current test's log lines begin: a test reads only what was logged while it ran. */
let testStart = 0;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  // The frozen dataset: golden answers do not move when data/draws.json is synced.
  const deps = await platformDeps({ deps: await testDeps(undefined, NOW), log: logs.log });
  answers = deps.answers;
  adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps);
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

beforeEach(() => {
  testStart = logs.mark();
});

// Each test talks in its own chat: the outgoing budget spaces messages to one chat by a second.
let lastChat = 5000;
const privateChat = () => ++lastChat;
const groupChat = () => -1_000_000_000_000 - ++lastChat;

/**
 * What the bot sent to a chat that carries text: its messages, and photos captioned with an answer
 * (/history, /check come with a chart; test/telegram/charts.test.ts looks at the photos).
 */
const textsTo = (chatId: number) => fake.postedTo(chatId).filter((c) => c.method === 'sendMessage' || c.payload.caption !== undefined);

/** A message's text, or a photo's caption. */
const textOf = (call: ApiCall): string => call.payload.text ?? call.payload.caption;

/**
 * Sends `text` to the bot in a chat and returns the `count` messages (or captioned photos) the bot
 * sends there, with the update's id.
 */
async function ask(chatId: number, text: string, count = 1): Promise<ApiCall[] & { updateId: number }> {
  const before = textsTo(chatId).length;
  const updateId = fake.push(textMessage({ id: chatId }, text));
  await fake.waitFor(() => textsTo(chatId).length >= before + count, 15_000);
  return Object.assign(textsTo(chatId).slice(before), { updateId });
}

/**
 * Sends updates that should get no answer, then a probe command in the same chat. Updates of one
 * chat are handled in order, so once the probe is answered the others have been handled too —
 * and the probe's answer must be the only message in the chat. Returns the probe's update id.
 */
async function expectSilence(chatId: number, ...updates: Array<Parameters<FakeBotApi['push']>[0]>): Promise<number> {
  for (const update of updates) fake.push(update);
  const probe = await ask(chatId, '/about');
  expect(fake.sentTo(chatId)).toHaveLength(1);
  expect(probe[0]!.payload.text).toMatch(/^<b>/);
  return probe.updateId;
}

/** Who a message is for, as the bot decides it. */
const addressed = (text: string, isPrivate = true, repliedToBot = false) =>
  addressedLine(text, {
    isPrivate,
    botUsername: ME,
    knows: (name) => answers.commands.some((command) => command.name === name),
    repliedToBot,
  });

/** What the one reply path answers for what a message holds. */
const replyTo = (asked: Addressed) => ('line' in asked ? answers.line(asked.line) : answers.question(asked.question));

/** The messages the bot should send for `text`: who it is for (addressedLine), then what is answered. */
async function expectedTexts(text: string, isPrivate = true): Promise<string[]> {
  const asked = addressed(text, isPrivate);
  return asked ? telegramMessages(await replyTo(asked)).map((m) => m.text) : [];
}

/** Waits until the bot has logged an update answered (after its last API call for it). */
const answeredLogged = (updateId: number) => logs.waitFor((l) => l.msg === 'answered' && l.update === updateId, testStart, 15_000);

describe('Telegram bot, long polling', () => {
  it('starts: checks the token, publishes every command with its description, polls for messages only', async () => {
    await fake.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'));
    expect(fake.callsOf('getMe')).toHaveLength(1);
    const [menu] = fake.callsOf('setMyCommands');
    expect(menu!.payload.commands).toEqual(telegramMenu(commands));
    expect(menu!.payload.commands).toHaveLength(commands.length);
    expect(fake.callsOf('deleteWebhook')).toHaveLength(1);
    const polls = fake.callsOf('getUpdates');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0]!.payload.allowed_updates).toEqual(['message', 'callback_query']);
    expect(polls[0]!.payload.timeout).toBe(30);
  });

  it('answers /latest healthcare with round 422, CRS 475, 4,000 invitations, as HTML with the round link', async () => {
    const [sent] = await ask(privateChat(), '/latest healthcare');
    expect(sent!.payload.text).toBe(LATEST_HEALTHCARE);
    expect(sent!.payload.parse_mode).toBe('HTML');
    expect(sent!.payload.link_preview_options).toEqual({ is_disabled: true });
    expect(sent!.payload.reply_parameters).toBeUndefined();
  });

  it.each([
    '/latest',
    '/latest cec',
    '/latest canadian experience class',
    '/check 470 cec',
    '/check 480 cec since=2025-01-01',
    '/check 462 healthcare profile_date=2024-11-30',
    '/check crs=470 category=healthcare',
    '/history cec 20',
    '/history 5',
    '/stats healthcare 2025',
    '/stats',
    '/draw 91a',
    '/draw 379',
    '/pool 470',
    '/pool',
    '/categories',
    '/help',
    '/about',
  ])('answers %s', async (text) => {
    const expected = await expectedTexts(text);
    const sent = await ask(privateChat(), text, expected.length);
    expect(sent.map(textOf)).toEqual(expected);
    for (const call of sent) {
      expect(call.payload.parse_mode).toBe('HTML');
      expect(textOf(call)).toMatch(/^<b>[^<]+<\/b>/);
    }
    expect(textOf(sent.at(-1)!)).toMatch(/<i>IRCC data to round #434 \(Aug 7, 2026\)<\/i>$/);
  });

  it('shows /history as a monospace table (the caption of its chart)', async () => {
    const [sent] = await ask(privateChat(), '/history cec 3');
    expect(sent!.method).toBe('sendPhoto');
    expect(sent!.payload.caption).toBe(
      [
        '<b>Last 3 CEC draws</b>',
        '',
        '<pre>Date        Round  Invited  CRS',
        '----------  -----  -------  ---',
        '2026-08-05   #432    3,000  516',
        '2026-07-21   #428    2,000  516',
        '2026-07-07   #424    2,000  517</pre>',
        '',
        '<i>IRCC data to round #434 (Aug 7, 2026)</i>',
      ].join('\n'),
    );
  });

  it.each([
    ['/check 470 abc', CHECK_ABC],
    [
      '/check',
      'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare — or save yours once with /profile 470 healthcare in a private chat, then send /check alone.',
    ],
    [
      '/check 470 healthcare since=2030-01-01',
      'Jan 1, 2030 has not come yet (today is Nov 25, 2026); pick a period up to today. For example: /check 470 cec since 2025-01-01',
    ],
    [
      '/latest nonsense',
      'Unknown category "nonsense"; /categories lists them (healthcare, cec, pnp, french…). For example: /latest healthcare',
    ],
    [
      '/latest <b>&amp;',
      'Unknown category "<b>&amp;"; /categories lists them (healthcare, cec, pnp, french…). For example: /latest healthcare',
    ],
    ['/history cec 99', 'The count must be a whole number from 1 to 50. For example: /history healthcare'],
    [
      '/stats healthcare 1999',
      'Express Entry draws began on Jan 31, 2015, after 1999; pick a period since then. For example: /stats cec 2025',
    ],
    ['/draw abc', '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today). For example: /draw 379'],
    ['/pool abc', 'The CRS score must be a whole number from 0 to 1200. For example: /pool 470'],
    ['/categories extra', '/categories takes no options; just send /categories.'],
    ['/help nosuch', 'There is no /nosuch command; /help lists them all, e.g. /help check.'],
    ['/about x', '/about takes no options; just send /about.'],
    ['/nosuch 1', 'There is no /nosuch command; /help lists them all, e.g. /latest healthcare.'],
  ])('answers %s with the one-sentence error, as plain text', async (text, error) => {
    const [sent] = await ask(privateChat(), text);
    expect(sent!.payload.text).toBe(error);
    // Plain text: what the user typed, quoted back, is never read as markup.
    expect(sent!.payload.parse_mode).toBeUndefined();
  });

  it('answers periods in commands and in plain questions', async () => {
    // The fixed clock is Nov 25, 2026.
    const [stats] = await ask(privateChat(), '/stats cec 2026-03');
    expect(String(stats!.payload.text).split('\n')[0]).toBe('<b>CEC draws in March 2026</b>');
    const [empty] = await ask(privateChat(), 'was there a draw this week?');
    expect(empty!.payload.text).toContain('No draw this week (Nov 23 – Nov 25, 2026); the latest was #434 on Aug 7, 2026 (110 days ago).');
  });

  it('greets /start with examples', async () => {
    const [sent] = await ask(privateChat(), '/start');
    const text = sent!.payload.text as string;
    expect(text.split('\n')[0]).toBe('<b>Welcome! I answer questions about Express Entry draws</b>');
    expect(text).toContain('\n/latest healthcare — The most recent draw, overall or in one category\n');
    expect(text).toContain('\n/check 470 healthcare — Would your CRS score have been invited? Per draw, with tie-breaks\n');
    expect(text).toContain('/help lists every command.');
    expect(sent!.payload.parse_mode).toBe('HTML');
  });

  it('answers a plain question in a private chat, and chatter with two examples', async () => {
    const chat = privateChat();
    const [answer] = await ask(chat, 'when was the last CEC draw?');
    expect(answer!.payload.text).toMatch(/^<b>Latest Canadian Experience Class draw: #432<\/b>/);
    const [pointer] = await ask(chat, 'thanks!');
    expect(pointer!.payload.text).toBe(NOT_PLACED);
  });

  it('answers a group message that mentions the bot or replies to it, and ignores group chatter', async () => {
    const group = groupChat();
    // Chatter first: handled in order, so once the mention is answered, the chatter was passed over.
    fake.push(textMessage({ id: group, type: 'supergroup' }, 'anyone got an ITA today? latest cec was 516'));
    const [mentioned] = await ask(group, `@${ME} latest healthcare cut-off?`);
    expect(mentioned!.payload.text).toMatch(/^<b>Latest Healthcare and social services draw: #422<\/b>/);
    expect(mentioned!.payload.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
    // A reply to one of the bot's messages speaks to it, mention or not.
    const reply = textMessage({ id: group }, 'would 470 have qualified for healthcare');
    const bot = { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name };
    const replyTo = { message_id: 1, date: 1_795_600_000, chat: reply.message!.chat, from: bot, text: 'Latest draw' };
    fake.push({ message: { ...reply.message!, reply_to_message: replyTo } as NonNullable<typeof reply.message> });
    await fake.waitFor(() => textsTo(group).length >= 2, 15_000);
    expect(textOf(textsTo(group)[1]!)).toMatch(/CRS 470 — healthcare draws since/);
    expect(fake.postedTo(group)).toHaveLength(2);
  });

  it('answers /latest@ThisBot in a group, replying to the asking message', async () => {
    const chat = groupChat();
    const update = textMessage({ id: chat }, `/latest@${ME} healthcare`);
    fake.push(update);
    await fake.waitFor(() => fake.sentTo(chat).length === 1);
    const [sent] = fake.sentTo(chat);
    expect(sent!.payload.text).toBe(LATEST_HEALTHCARE);
    expect(sent!.payload.reply_parameters).toEqual({ message_id: update.message!.message_id, allow_sending_without_reply: true });
    expect(sent!.payload.parse_mode).toBe('HTML');
  });

  it('answers a known command without a mention in a group, and a mention in any letter case', async () => {
    const [plain] = await ask(groupChat(), '/latest healthcare');
    expect(plain!.payload.text).toBe(LATEST_HEALTHCARE);
    const [cased] = await ask(groupChat(), `/latest@${ME.toLowerCase()} healthcare`);
    expect(cased!.payload.text).toBe(LATEST_HEALTHCARE);
    const [error] = await ask(groupChat(), '/check 470 abc');
    expect(error!.payload.text).toBe(CHECK_ABC);
    expect(error!.payload.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });

  it('ignores a command for another bot, in a group and in private', async () => {
    const group = groupChat();
    await expectSilence(group, textMessage({ id: group }, '/latest@OtherBot healthcare'), textMessage({ id: group }, '/help@OtherBot'));
    const direct = privateChat();
    await expectSilence(direct, textMessage({ id: direct }, '/latest@OtherBot'));
  });

  it('ignores unknown commands and plain talk in a group unless it names this bot', async () => {
    const chat = groupChat();
    await expectSilence(
      chat,
      textMessage({ id: chat }, '/ban spammer'),
      textMessage({ id: chat }, 'anyone got an ITA today?'),
      textMessage({ id: chat }, `ask @${ME}Fan, not me`),
    );
    const [sent] = await ask(groupChat(), `/nosuch@${ME}`);
    expect(sent!.payload.text).toBe('There is no /nosuch command; /help lists them all, e.g. /latest healthcare.');
  });

  it('greets /start in a group only when it names this bot, as every bot has a /start', async () => {
    const chat = groupChat();
    await expectSilence(chat, textMessage({ id: chat }, '/start'));
    const [sent] = await ask(groupChat(), `/start@${ME}`);
    expect((sent!.payload.text as string).split('\n')[0]).toBe('<b>Welcome! I answer questions about Express Entry draws</b>');
  });

  it('ignores edited messages and stickers, and keeps answering', async () => {
    const direct = privateChat();
    await expectSilence(direct, editedMessage(direct, '/latest healthcare'), stickerMessage(direct));
    const group = groupChat();
    await expectSilence(group, stickerMessage(group), editedMessage(group, `/latest@${ME}`));
  });

  it('counts its answers in the budget its alerts use: one per token', async () => {
    const chat = privateChat();
    await ask(chat, '/about');
    // Telegram allows a chat a message a second: an alert to this chat now would wait for it.
    expect(adapter.alerts.limiter!.chatReadyAt(String(chat))).toBeGreaterThan(Date.now() + 500);
    expect(adapter.alerts.limiter!.chatReadyAt(String(privateChat()))).toBeLessThanOrEqual(Date.now());
  });

  it('honours a 429 retry_after before sending again', async () => {
    fake.failNext('sendMessage', 429, TOO_MANY_REQUESTS);
    const chat = privateChat();
    const sent = await ask(chat, '/latest healthcare', 2);
    expect(sent.map((c) => c.payload.text)).toEqual([LATEST_HEALTHCARE, LATEST_HEALTHCARE]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1000);
    // Logged before the retry was sent, so already here.
    expect(logs.since(testStart).some((l) => l.includes('"code":429') && l.includes('"retryAfter":1'))).toBe(true);
  });

  it('logs an unexpected error without the token, apologises, and goes on polling', async () => {
    fake.failNext('sendMessage', 400, CANNOT_PARSE);
    const chat = privateChat();
    const sent = await ask(chat, '/latest healthcare', 2);
    expect(sent[1]!.payload.text).toBe(APOLOGY);
    expect(sent[1]!.payload.parse_mode).toBeUndefined();
    // Logged before the apology was sent, so already here.
    const failure = logs.entriesSince(testStart).find((l) => l.msg === 'Telegram update failed');
    expect(failure).toMatchObject({
      level: 50,
      update: sent.updateId,
      chat: 'private',
      err: { type: 'GrammyError', method: 'sendMessage', code: 400 },
    });
    const [next] = await ask(privateChat(), '/latest healthcare');
    expect(next!.payload.text).toBe(LATEST_HEALTHCARE);
  });

  it('never logs the token or what people typed', async () => {
    // Answers, a chart, ignored chatter, a refused call that is retried, and a failure: each logs.
    const answered = await ask(privateChat(), '/latest healthcare');
    const charted = await ask(privateChat(), '/check 470 healthcare');
    const group = groupChat();
    const chatter = [textMessage({ id: group }, 'anyone got an ITA today?'), textMessage({ id: group }, '/latest@OtherBot healthcare')];
    const probe = await expectSilence(group, ...chatter);
    fake.failNext('sendMessage', 429, TOO_MANY_REQUESTS);
    const retried = await ask(privateChat(), '/latest healthcare', 2);
    fake.failNext('sendMessage', 400, CANNOT_PARSE);
    const failed = await ask(privateChat(), '/stats healthcare 2025', 2);
    for (const { updateId } of [answered, charted, retried]) await answeredLogged(updateId);
    await answeredLogged(probe);
    const messages = logs.entriesSince(testStart).map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['Telegram refused an API call', 'Telegram update failed']));
    expect(logs.entriesSince(testStart).find((l) => l.msg === 'Telegram update failed')?.update).toBe(failed.updateId);

    const logged = logs.since(testStart).join('\n');
    expect(logged).toContain('"msg":"answered"');
    expect(logged).not.toContain(TEST_TOKEN);
    expect(logged).not.toContain(TEST_TOKEN.split(':')[1]);
    expect(logged).not.toContain('anyone got an ITA');
    expect(logged).not.toContain('healthcare');
  });

  it('stops polling on stop()', async () => {
    // A bot of its own: the others keep polling, whatever order the tests run in.
    const own = await FakeBotApi.start();
    const platform = await platformDeps({ deps: await testDeps(undefined, NOW) });
    const bot = await startTelegram({ token: TEST_TOKEN, apiRoot: own.apiRoot }, platform);
    try {
      const before = privateChat();
      own.push(textMessage({ id: before }, '/latest'));
      await own.waitFor(() => own.sentTo(before).length === 1);
      // The bot is polling: a long poll is open.
      await own.waitFor(() => own.pendingPolls === 1);
      // stop() resolves once the runner's loop has ended: no poll is started after it.
      await bot.stop();
      const polls = own.callsOf('getUpdates').length;
      // The long poll that was open is aborted: its connection closes.
      await own.waitFor(() => own.pendingPolls === 0);
      const chat = privateChat();
      own.push(textMessage({ id: chat }, '/latest'));
      // No poll is open to take the update, and none comes for it.
      expect(own.pendingPolls).toBe(0);
      expect(own.callsOf('getUpdates')).toHaveLength(polls);
      expect(own.sentTo(chat)).toHaveLength(0);
    } finally {
      await bot.stop();
      await own.close();
    }
  });
});

/**
 * The decisions the tests above watch end to end, taken apart: who a message is for (addressedLine)
 * and what is answered (answers.line), over the same cases.
 */
describe('Telegram text: who it is for, and the answer', () => {
  const answerOf = async (text: string, isPrivate = true, repliedToBot = false) => {
    const asked = addressed(text, isPrivate, repliedToBot);
    return asked && telegramMessages(await replyTo(asked)).map((m) => m.text);
  };
  const WELCOME = '<b>Welcome! I answer questions about Express Entry draws</b>';

  it('answers everything in a private chat: commands, plain questions, and two examples for what it cannot place', async () => {
    expect(addressed('what was the last cutoff?')).toEqual({ question: 'what was the last cutoff?' });
    expect(await answerOf('what was the last cutoff?')).toEqual(await expectedTexts('/latest'));
    expect(await answerOf('lol')).toEqual([NOT_PLACED]);
    expect(await answerOf('/latest healthcare')).toEqual([LATEST_HEALTHCARE]);
    expect(await answerOf('/nosuch 1')).toEqual(['There is no /nosuch command; /help lists them all, e.g. /latest healthcare.']);
    expect(await answerOf('/check 470 abc')).toEqual([CHECK_ABC]);
    expect((await answerOf('/start'))?.[0]?.split('\n')[0]).toBe(WELCOME);
  });

  it('takes /cmd@ThisBot in any letter case, in a group and in private', async () => {
    expect(addressed(`/latest@${ME} healthcare`, false)).toEqual({ line: { name: 'latest', mention: ME, args: ['healthcare'] } });
    expect(await answerOf(`/latest@${ME} healthcare`, false)).toEqual([LATEST_HEALTHCARE]);
    expect(await answerOf(`/latest@${ME.toLowerCase()} healthcare`, false)).toEqual([LATEST_HEALTHCARE]);
    expect(await answerOf(`/latest@${ME} healthcare`)).toEqual([LATEST_HEALTHCARE]);
  });

  it('answers its own commands without a mention in a group', async () => {
    expect(await answerOf('/latest healthcare', false)).toEqual([LATEST_HEALTHCARE]);
    expect(await answerOf('/check 470 abc', false)).toEqual([CHECK_ABC]);
  });

  it('leaves a command for another bot alone, in a group and in private', () => {
    expect(addressed('/latest@OtherBot healthcare', false)).toBeUndefined();
    expect(addressed('/help@OtherBot', false)).toBeUndefined();
    expect(addressed('/latest@OtherBot')).toBeUndefined();
  });

  it('leaves unknown commands and plain talk in a group alone unless the command names this bot', async () => {
    expect(addressed('/ban spammer', false)).toBeUndefined();
    expect(addressed('anyone got an ITA today?', false)).toBeUndefined();
    expect(addressed(`what about @${ME}bot2 latest cec`, false)).toBeUndefined();
    expect(await answerOf(`/nosuch@${ME}`, false)).toEqual(['There is no /nosuch command; /help lists them all, e.g. /latest healthcare.']);
  });

  it('answers plain words in a group when they mention the bot or reply to it, never chatter', async () => {
    expect(addressed(`@${ME} latest cec?`, false)).toEqual({ question: 'latest cec?' });
    expect(addressed(`what was the latest healthcare cut-off @${ME.toLowerCase()}`, false)).toEqual({
      question: 'what was the latest healthcare cut-off',
    });
    expect(await answerOf(`@${ME} latest cec?`, false)).toEqual(await expectedTexts('/latest cec'));
    expect(await answerOf(`hi @${ME}`, false)).toEqual([NOT_PLACED]);
    expect(addressed('would 470 have made it?', false, true)).toEqual({ question: 'would 470 have made it?' });
    expect(addressed('would 470 have made it?', false)).toBeUndefined();
  });

  it('takes /start in a group only when it names this bot, as every bot has a /start', async () => {
    expect(addressed('/start', false)).toBeUndefined();
    expect((await answerOf(`/start@${ME}`, false))?.[0]?.split('\n')[0]).toBe(WELCOME);
  });
});
