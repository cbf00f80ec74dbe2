import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { openDrawStore } from '../../src/app/drawStore.js';
import { answerText } from '../../src/telegram/answerText.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { telegramMessages } from '../../src/telegram/telegramMessages.js';
import { pngSize } from '../fixtures/multipart.js';
import { type ApiCall, BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';

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
  logs: string[];
}

let deps: CommandDeps;
let drawing: Bot;
let failing: Bot;

async function startBot(renderChart?: () => Promise<Buffer>): Promise<Bot> {
  const fake = await FakeBotApi.start();
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, { ...deps, log }, log, renderChart ? { renderChart } : {});
  return { fake, adapter, logs };
}

beforeAll(async () => {
  const store = await openDrawStore(['data/draws.json']);
  deps = { data: store.current, clock: () => NOW, log: pino({ enabled: false }), commands };
  [drawing, failing] = await Promise.all([startBot(), startBot(() => Promise.reject(new Error('the canvas fell over')))]);
});

afterAll(async () => {
  for (const bot of [drawing, failing]) {
    await bot?.adapter.stop();
    await bot?.fake.close();
  }
});

// Each test talks in its own chat: the throttler spaces messages to one chat by a second.
let lastChat = 7000;
const privateChat = () => ++lastChat;
const groupChat = () => -1_000_000_000_000 - ++lastChat;

/** The HTML messages a command answers with, as the text-only path sends them. */
async function expectedTexts(text: string): Promise<string[]> {
  const reply = await answerText(text, { isPrivate: true, botUsername: BOT_INFO.username }, deps);
  return telegramMessages(reply!).map((m) => m.text);
}

const logged = (bot: Bot) => bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * Sends `text` in a chat and waits until the bot has logged it answered (after its last call for
 * it). Returns what the bot posted there meanwhile, messages and photos in order.
 */
async function conversation(bot: Bot, chatId: number, text: string): Promise<{ asked: number; posted: ApiCall[] }> {
  const before = bot.fake.postedTo(chatId).length;
  const update = textMessage({ id: chatId }, text);
  const updateId = bot.fake.push(update);
  const deadline = Date.now() + CHART_WAIT_MS;
  while (!logged(bot).some((l) => l.msg === 'answered' && l.update === updateId)) {
    if (Date.now() > deadline) throw new Error(`no answer to ${text} within ${CHART_WAIT_MS} ms`);
    await sleep(10);
  }
  return { asked: update.message!.message_id, posted: bot.fake.postedTo(chatId).slice(before) };
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
    const { posted } = await conversation(drawing, privateChat(), '/history healthcare');
    expect(posted.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(posted[1]!.payload.text).toBe(expected[0]);
    expect(posted[1]!.payload.parse_mode).toBe('HTML');
    const warning = logged(drawing).find((l) => l.msg === 'chart not sent');
    expect(warning).toMatchObject({ level: 40, chat: 'private', error: { type: 'GrammyError', method: 'sendPhoto', code: 400 } });
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

  it.each(['/history healthcare', '/check 470 healthcare', '/check 470 cec'])('a chart that cannot be drawn: %s still answers in text', async (text) => {
    const expected = await expectedTexts(text);
    const { posted } = await conversation(failing, privateChat(), text);
    expect(posted.map((c) => c.method)).toEqual(expected.map(() => 'sendMessage'));
    expect(posted.map((c) => c.payload.text)).toEqual(expected);
    const warnings = logged(failing).filter((l) => l.msg === 'chart not sent');
    expect(warnings.at(-1)).toMatchObject({ level: 40, chat: 'private', error: { type: 'Error', message: 'the canvas fell over' } });
  });

  it('logs neither the token nor what people typed', () => {
    for (const bot of [drawing, failing]) {
      const logs = bot.logs.join('\n');
      expect(logs).toContain('"msg":"answered"');
      expect(logs).not.toContain(TEST_TOKEN.split(':')[1]);
      expect(logs).not.toContain('healthcare');
    }
    expect(logged(drawing).filter((l) => l.msg === 'answered' && l.command === 'history').map((l) => l.chart)).toContain('caption');
    expect(logged(drawing).filter((l) => l.msg === 'answered' && l.command === 'check').map((l) => l.chart)).toContain('photo');
  });
});
