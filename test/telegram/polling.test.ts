import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { APOLOGY, type CommandDeps } from '../../src/commands/runCommand.js';
import { openDrawStore } from '../../src/app/drawStore.js';
import { answerText, PRIVATE_HINT } from '../../src/telegram/answerText.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { telegramMenu } from '../../src/telegram/telegramMenu.js';
import { telegramMessages } from '../../src/telegram/telegramMessages.js';
import { type ApiCall, BOT_INFO, editedMessage, FakeBotApi, stickerMessage, TEST_TOKEN, textMessage } from './fakeBotApi.js';

/** Runs the real bot (runner, transformers, middleware) against a fake Bot API server on 127.0.0.1. */

const NOW = DateTime.fromISO('2026-11-25T12:00:00Z', { zone: 'utc' });
const ME = BOT_INFO.username;
const LINK_422 =
  'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=422';
const LATEST_HEALTHCARE = [
  '<b>Latest Healthcare and social services draw: #422</b>',
  'Jun 25, 2026 — 153 days ago.',
  '',
  '<b>Round:</b> #422',
  '<b>Date:</b> Jun 25, 2026',
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
let deps: CommandDeps;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await FakeBotApi.start();
  const store = await openDrawStore(['data/draws.json']);
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  deps = { data: store.current, clock: () => NOW, log, commands };
  adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps, log);
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

// Each test talks in its own chat: the throttler spaces messages to one chat by a second.
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

/** Sends `text` to the bot in a chat and returns the `count` messages (or captioned photos) the bot sends there. */
async function ask(chatId: number, text: string, count = 1): Promise<ApiCall[]> {
  const before = textsTo(chatId).length;
  fake.push(textMessage({ id: chatId }, text));
  await fake.waitFor(() => textsTo(chatId).length >= before + count, 15_000);
  return textsTo(chatId).slice(before);
}

/**
 * Sends updates that should get no answer, then a probe command in the same chat. Updates of one
 * chat are handled in order, so once the probe is answered the others have been handled too —
 * and the probe's answer must be the only message in the chat.
 */
async function expectSilence(chatId: number, ...updates: Array<Parameters<FakeBotApi['push']>[0]>): Promise<void> {
  for (const update of updates) fake.push(update);
  const answers = await ask(chatId, '/about');
  expect(fake.sentTo(chatId)).toHaveLength(1);
  expect(answers[0]!.payload.text).toMatch(/^<b>/);
}

async function expectedTexts(text: string, isPrivate = true): Promise<string[]> {
  const reply = await answerText(text, { isPrivate, botUsername: ME }, deps);
  return reply ? telegramMessages(reply).map((m) => m.text) : [];
}

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
    expect(polls[0]!.payload.allowed_updates).toEqual(['message']);
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
        '<b>Last 3 cec draws</b>',
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
    ['/check abc', 'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare'],
    ['/check', 'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare'],
    ['/check 470 healthcare since=2030-01-01', 'The since date Jan 1, 2030 is in the future; give a date up to today, for example /check 470 healthcare since=2025-01-01.'],
    ['/latest nonsense', 'Unknown category "nonsense"; /categories lists them (healthcare, cec, pnp, french…). For example: /latest healthcare'],
    ['/latest <b>&amp;', 'Unknown category "<b>&amp;"; /categories lists them (healthcare, cec, pnp, french…). For example: /latest healthcare'],
    ['/history cec 99', 'The count must be a whole number from 1 to 50. For example: /history healthcare'],
    ['/stats healthcare 1999', 'The year must be a whole number from 2015 to 2100. For example: /stats healthcare 2025'],
    ['/draw abc', 'The round must be a round number such as 379 or 91a. For example: /draw 379'],
    ['/pool abc', 'The CRS score must be a whole number from 0 to 1200. For example: /pool 470'],
    ['/categories extra', '/categories takes no options; just send /categories.'],
    ['/help me', '/help takes no options; just send /help.'],
    ['/about x', '/about takes no options; just send /about.'],
    ['/nosuch 1', 'There is no /nosuch command; /help lists them all, e.g. /latest healthcare.'],
  ])('answers %s with the one-sentence error, as plain text', async (text, error) => {
    const [sent] = await ask(privateChat(), text);
    expect(sent!.payload.text).toBe(error);
    // Plain text: what the user typed, quoted back, is never read as markup.
    expect(sent!.payload.parse_mode).toBeUndefined();
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

  it('points plain text in a private chat at /help', async () => {
    const [sent] = await ask(privateChat(), 'what was the last cutoff?');
    expect(sent!.payload.text).toBe(PRIVATE_HINT);
    expect(sent!.payload.text).toBe('Send a command such as /latest healthcare or /check 470 cec; /help lists them all.');
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
    const [error] = await ask(groupChat(), '/check abc');
    expect(error!.payload.text).toBe('The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare');
    expect(error!.payload.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });

  it('ignores a command for another bot, in a group and in private', async () => {
    const group = groupChat();
    await expectSilence(group, textMessage({ id: group }, '/latest@OtherBot healthcare'), textMessage({ id: group }, '/help@OtherBot'));
    const direct = privateChat();
    await expectSilence(direct, textMessage({ id: direct }, '/latest@OtherBot'));
  });

  it('ignores unknown commands and plain talk in a group unless the command names this bot', async () => {
    const chat = groupChat();
    await expectSilence(chat, textMessage({ id: chat }, '/ban spammer'), textMessage({ id: chat }, 'anyone got an ITA today?'), textMessage({ id: chat }, `hi @${ME}`));
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

  it('honours a 429 retry_after before sending again', async () => {
    fake.failNext('sendMessage', 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const chat = privateChat();
    const sent = await ask(chat, '/latest healthcare', 2);
    expect(sent.map((c) => c.payload.text)).toEqual([LATEST_HEALTHCARE, LATEST_HEALTHCARE]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(logLines.some((l) => l.includes('"code":429') && l.includes('"retryAfter":1'))).toBe(true);
  });

  it('logs an unexpected error without the token, apologises, and goes on polling', async () => {
    fake.failNext('sendMessage', 400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    const chat = privateChat();
    const sent = await ask(chat, '/latest healthcare', 2);
    expect(sent[1]!.payload.text).toBe(APOLOGY);
    expect(sent[1]!.payload.parse_mode).toBeUndefined();
    const failure = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'Telegram update failed');
    expect(failure).toMatchObject({ level: 50, chat: 'private', error: { type: 'GrammyError', method: 'sendMessage', code: 400 } });
    const [next] = await ask(privateChat(), '/latest healthcare');
    expect(next!.payload.text).toBe(LATEST_HEALTHCARE);
  });

  it('never logs the token or what people typed', () => {
    const logs = logLines.join('\n');
    expect(logs).toContain('"msg":"answered"');
    expect(logs).not.toContain(TEST_TOKEN);
    expect(logs).not.toContain(TEST_TOKEN.split(':')[1]);
    expect(logs).not.toContain('anyone got an ITA');
    expect(logs).not.toContain('healthcare');
  });

  it('stops polling on stop()', async () => {
    await adapter.stop();
    const polls = fake.callsOf('getUpdates').length;
    const chat = privateChat();
    fake.push(textMessage({ id: chat }, '/latest'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsOf('getUpdates')).toHaveLength(polls);
    expect(fake.sentTo(chat)).toHaveLength(0);
  });
});
