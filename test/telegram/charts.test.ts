import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRenderer } from '../../src/charts/chartRenderer.js';
import type { Answers } from '../../src/commands/createAnswers.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { addressedLine } from '../../src/telegram/addressedLine.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { telegramMessages } from '../../src/telegram/telegramMessages.js';
import { platformDeps, testAnswers, testDeps } from '../fixtures/deps.js';
import { pngSize } from '../fixtures/multipart.js';
import { type ApiCall, BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { type LogEntry, LogRecorder } from './logRecorder.js';

/**
 * Charts on Telegram, end to end: the real bot against the fake Bot API, with the real renderer
 * (src/charts on the chart thread, started on first use) on one bot and a renderer that always
 * fails on another.
 */

const NOW = DateTime.fromISO('2026-11-25T12:00:00Z', { zone: 'utc' });
/** The first chart starts the chart thread and loads the canvas and fonts there. */
const CHART_WAIT_MS = 15_000;

interface Bot {
  fake: FakeBotApi;
  adapter: TelegramAdapter;
  logs: LogRecorder;
}

let deps: CommandDeps;
let answers: Answers;
let drawing: Bot;
let failing: Bot;

/** A bot on a fake Bot API of its own; `renderChart` unset: the real chart thread (testRenderChart). */
async function startBot(renderChart?: ChartRenderer): Promise<Bot> {
  const fake = await FakeBotApi.start();
  const logs = new LogRecorder();
  const platform = await platformDeps({ deps, log: logs.log, renderChart });
  const adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, platform);
  return { fake, adapter, logs };
}

beforeAll(async () => {
  // The frozen dataset: golden answers do not move when data/draws.json is synced.
  deps = await testDeps(undefined, NOW);
  answers = await testAnswers(deps);
  [drawing, failing] = await Promise.all([startBot(), startBot(() => Promise.reject(new Error('the canvas fell over')))]);
});

afterAll(async () => {
  for (const bot of [drawing, failing]) {
    await bot?.adapter.stop();
    await bot?.fake.close();
  }
});

// Each test talks in its own chat: the outgoing budget spaces messages to one chat by a second.
let lastChat = 7000;
const privateChat = () => ++lastChat;
const groupChat = () => -1_000_000_000_000 - ++lastChat;

/** The HTML messages a command answers with, as the text-only path sends them. */
async function expectedTexts(text: string): Promise<string[]> {
  const known = (name: string) => answers.commands.some((command) => command.name === name);
  const asked = addressedLine(text, { isPrivate: true, botUsername: BOT_INFO.username, knows: known });
  return telegramMessages(await ('line' in asked! ? answers.line(asked.line) : answers.question(asked!.question))).map((m) => m.text);
}

/**
 * Sends `text` in a chat and waits until the bot has logged it answered (after its last call for
 * it). Returns what the bot posted there meanwhile, messages and photos in order, and the log
 * entries written meanwhile (this conversation's, and any other the bot was having at the time).
 */
async function conversation(bot: Bot, chatId: number, text: string): Promise<{ asked: number; posted: ApiCall[]; logged: LogEntry[] }> {
  const before = bot.fake.postedTo(chatId).length;
  const mark = bot.logs.mark();
  const update = textMessage({ id: chatId }, text);
  const updateId = bot.fake.push(update);
  await bot.logs.waitFor((l) => l.msg === 'answered' && l.update === updateId, mark, CHART_WAIT_MS);
  return { asked: update.message!.message_id, posted: bot.fake.postedTo(chatId).slice(before), logged: bot.logs.entriesSince(mark) };
}

function expectChartPhoto(call: ApiCall | undefined): void {
  expect(call?.method).toBe('sendPhoto');
  const photo = call!.files?.photo;
  expect(photo?.filename).toBe('chart.png');
  expect(photo!.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(pngSize(photo!.bytes)).toEqual({ width: 800, height: 450 });
}

describe('Telegram charts', () => {
  it('/history healthcare → one photo, an 800×450 PNG captioned with the HTML answer', async () => {
    const [expected] = await expectedTexts('/history healthcare');
    const { posted } = await conversation(drawing, privateChat(), '/history healthcare');
    expect(posted).toHaveLength(1);
    expectChartPhoto(posted[0]);
    expect(posted[0]!.payload.caption).toBe(expected);
    expect(posted[0]!.payload.caption).toMatch(/^<b>Last 10 healthcare draws<\/b>\n/);
    expect(posted[0]!.payload.parse_mode).toBe('HTML');
    expect(posted[0]!.payload.reply_parameters).toBeUndefined();
  });

  it('/check 470 healthcare in a group → the captioned chart, replying to the asking message', async () => {
    const [expected] = await expectedTexts('/check 470 healthcare');
    const { asked, posted } = await conversation(drawing, groupChat(), '/check 470 healthcare');
    expect(posted).toHaveLength(1);
    expectChartPhoto(posted[0]);
    expect(posted[0]!.payload.caption).toBe(expected);
    expect(posted[0]!.payload.caption).toMatch(/^<b>CRS 470 — healthcare draws since Nov 25, 2025<\/b>\n/);
    expect(posted[0]!.payload.reply_parameters).toEqual({ message_id: asked, allow_sending_without_reply: true });
  });

  it('when Telegram refuses the photo, the answer still arrives as text', async () => {
    drawing.fake.failNext('sendPhoto', 400, { ok: false, error_code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    const expected = await expectedTexts('/history healthcare');
    const { posted, logged } = await conversation(drawing, privateChat(), '/history healthcare');
    expect(posted.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(posted[1]!.payload.text).toBe(expected[0]);
    expect(posted[1]!.payload.parse_mode).toBe('HTML');
    const warning = logged.find((l) => l.msg === 'chart not sent');
    expect(warning).toMatchObject({ level: 40, chat: 'private', err: { type: 'GrammyError', method: 'sendPhoto', code: 400 } });
  });

  it('/check 470 cec, too long for a caption → the text as usual, then the chart without caption', async () => {
    const expected = await expectedTexts('/check 470 cec');
    const { asked, posted } = await conversation(drawing, groupChat(), '/check 470 cec');
    expect(posted.map((c) => c.method)).toEqual([...expected.map(() => 'sendMessage'), 'sendPhoto']);
    expect(posted.slice(0, -1).map((c) => c.payload.text)).toEqual(expected);
    const photo = posted.at(-1);
    expectChartPhoto(photo);
    expect(photo!.payload.caption).toBeUndefined();
    expect(photo!.payload.reply_parameters).toEqual({ message_id: asked, allow_sending_without_reply: true });
  });

  it('sends no photo with an answer that has no chart, nor with a user error', async () => {
    const { posted } = await conversation(drawing, privateChat(), '/latest healthcare');
    expect(posted.map((c) => c.method)).toEqual(['sendMessage']);
    const error = await conversation(drawing, privateChat(), '/history healthcare 99');
    expect(error.posted.map((c) => c.method)).toEqual(['sendMessage']);
    expect(error.posted[0]!.payload.text).toBe('The count must be a whole number from 1 to 50. For example: /history healthcare');
  });

  it.each(['/history healthcare', '/check 470 healthcare', '/check 470 cec'])(
    'a chart that cannot be drawn: %s still answers in text',
    async (text) => {
      const expected = await expectedTexts(text);
      const { posted, logged } = await conversation(failing, privateChat(), text);
      expect(posted.map((c) => c.method)).toEqual(expected.map(() => 'sendMessage'));
      expect(posted.map((c) => c.payload.text)).toEqual(expected);
      const warnings = logged.filter((l) => l.msg === 'chart not sent');
      expect(warnings.at(-1)).toMatchObject({ level: 40, chat: 'private', err: { type: 'Error', message: 'the canvas fell over' } });
    },
  );

  it('logs neither the token nor what people typed', async () => {
    const marks = new Map([drawing, failing].map((bot) => [bot, bot.logs.mark()]));
    // A chart as the caption, a chart after the text, a refused photo, a chart that cannot be drawn.
    await conversation(drawing, privateChat(), '/history healthcare');
    await conversation(drawing, groupChat(), '/check 470 cec');
    drawing.fake.failNext('sendPhoto', 400, { ok: false, error_code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    await conversation(drawing, privateChat(), '/check 470 healthcare');
    await conversation(failing, privateChat(), '/history healthcare');
    for (const bot of [drawing, failing]) {
      const logs = bot.logs.since(marks.get(bot)!).join('\n');
      expect(logs).toContain('"msg":"answered"');
      expect(logs).toContain('"msg":"chart not sent"');
      expect(logs).not.toContain(TEST_TOKEN.split(':')[1]);
      expect(logs).not.toContain('healthcare');
    }
    const answered = drawing.logs.entriesSince(marks.get(drawing)!).filter((l) => l.msg === 'answered');
    expect(answered.filter((l) => l.command === 'history').map((l) => l.chart)).toContain('caption');
    expect(answered.filter((l) => l.command === 'check').map((l) => l.chart)).toContain('photo');
  });
});
