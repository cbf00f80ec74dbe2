import { Api, GrammyError, HttpError } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import type { Reply } from '../../src/core/reply.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { renderHtml } from '../../src/telegram/renderHtml.js';
import {
  alertHtml,
  telegramEditFailure,
  telegramFailure,
  telegramLimits,
  telegramTransport,
} from '../../src/telegram/telegramTransport.js';
import { type FakeTelegram, startFakeTelegram } from '../alerts/fakeTelegramServer.js';
import { useStores } from '../alerts/helpers.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';

/** The Telegram adapter's renderer; an alert always fits one message. */
const render = (reply: Reply) => {
  const [html, ...more] = renderHtml(reply);
  if (more.length > 0) throw new Error('an alert should fit one message');
  return html!;
};

const apiError = (error_code: number, description: string, parameters = {}) =>
  new GrammyError('call failed', { ok: false, error_code, description, parameters }, 'sendMessage', {});

describe('telegramFailure', () => {
  it('maps Bot API errors to what the sender does', () => {
    expect(telegramFailure(apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), '42')).toMatchObject({
      status: 'retry',
      afterMs: 7000,
      scope: 'global',
    });
    expect(telegramFailure(apiError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }), '-1001')).toMatchObject({
      status: 'retry',
      afterMs: 3000,
      scope: 'chat',
    });
    expect(telegramFailure(apiError(403, 'Forbidden: bot was blocked by the user'), '42')).toMatchObject({ status: 'gone' });
    expect(telegramFailure(apiError(403, 'Forbidden: bot was kicked from the supergroup chat'), '-1001')).toMatchObject({ status: 'gone' });
    expect(telegramFailure(apiError(400, 'Bad Request: chat not found'), '42')).toMatchObject({ status: 'gone' });
    expect(
      telegramFailure(apiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 }), '-5'),
    ).toEqual({
      status: 'migrated',
      toChatId: '-1001234',
    });
    expect(telegramFailure(apiError(400, "Bad Request: can't parse entities"), '42')).toMatchObject({ status: 'failed', permanent: true });
    expect(telegramFailure(apiError(502, 'Bad Gateway'), '42')).toMatchObject({ status: 'failed', permanent: false });
    expect(telegramFailure(apiError(401, 'Unauthorized'), '42')).toMatchObject({ status: 'retry', scope: 'global', afterMs: 60_000 });
    expect(telegramFailure(new HttpError('Network request failed', new Error('ECONNRESET')), '42')).toMatchObject({ status: 'failed' });
  });
});

describe('telegramEditFailure', () => {
  it('maps the errors of an edit: already so is done, a message or chat gone is skipped', () => {
    const notModified = 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same';
    expect(telegramEditFailure(apiError(400, notModified), '42')).toEqual({ status: 'edited' });
    expect(telegramEditFailure(apiError(400, 'Bad Request: message to edit not found'), '42')).toMatchObject({ status: 'skipped' });
    expect(telegramEditFailure(apiError(400, "Bad Request: message can't be edited"), '42')).toMatchObject({ status: 'skipped' });
    expect(telegramEditFailure(apiError(403, 'Forbidden: bot was blocked by the user'), '42')).toMatchObject({ status: 'skipped' });
    expect(telegramEditFailure(apiError(400, 'Bad Request: chat not found'), '-1001')).toMatchObject({ status: 'skipped' });
    expect(telegramEditFailure(apiError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }), '-1001')).toMatchObject({
      status: 'retry',
      afterMs: 3000,
      scope: 'chat',
    });
    expect(telegramEditFailure(apiError(502, 'Bad Gateway'), '42')).toMatchObject({ status: 'failed', permanent: false });
  });
});

describe('telegramTransport defaults', () => {
  it("paces at Telegram's limits and renders an alert as one HTML message", () => {
    const transport = telegramTransport(new Api('123456:TEST-token-abcdefghijklmnopqrstuvwxyz'));
    expect(transport.platform).toBe('telegram');
    expect(transport.limiter).toBeInstanceOf(RateLimiter);
    const limits = telegramLimits();
    expect(limits.perSecond).toBe(30);
    expect(limits.perChatPerMinute?.('-1001')).toBe(20);
    expect(limits.perChatPerMinute?.('42')).toBe(60);
    expect(limits.perChatGapMs).toBe(1000);
    const reply = alertReply(makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 }), undefined);
    expect(alertHtml(reply)).toBe(render(reply));
  });
});

describeEachEngine('telegramTransport against a fake Bot API server', (engine) => {
  const env = useStores(engine);
  let server: FakeTelegram;
  const blocked = '1007';
  const oldGroup = '-55';
  const supergroup = '-1000000000055';
  const limitedOnce = '1042';
  let limited = false;

  beforeAll(async () => {
    // No rate limit enforced here (the benchmark does that); one 429 is scripted instead.
    server = await startFakeTelegram({
      script: (chatId) => {
        if (chatId === blocked) return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
        if (chatId === limitedOnce && !limited) {
          limited = true;
          return { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
        }
        if (chatId === oldGroup) {
          return {
            error_code: 400,
            description: 'Bad Request: group chat was upgraded to a supergroup chat',
            parameters: { migrate_to_chat_id: Number(supergroup) },
          };
        }
        return undefined;
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('200 subscribers, one round: every chat gets exactly one message', async () => {
    const { subscriptions, outbox } = env.stores;
    const chats = [...Array.from({ length: 197 }, (_, i) => String(1000 + i)), '-101', '-102', oldGroup];
    for (const chat of chats) await subscriptions.subscribe('telegram', chat, 'all');
    const draw = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });
    expect(await outbox.enqueue([draw])).toBe(200);

    const api = new Api(server.token, { apiRoot: server.apiRoot });
    const sender = new AlertSender({
      outbox,
      transport: telegramTransport(api, render),
      reply: async () => alertReply(draw, undefined),
      limiter: new RateLimiter(telegramLimits(10)), // Telegram ×10, as the server
      log: silentLogger,
    });
    const report = await sender.drainOnce();
    expect(report).toMatchObject({ sent: 199, gone: 1, migrated: 1, failed: 0, rateLimited: 1 });

    // One sendMessage per chat; the old group's id and the 429'd chat were asked once more.
    const perChat = new Map<string, number>();
    for (const m of server.received) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
    const expected = [...chats.filter((c) => c !== oldGroup), supergroup, oldGroup].sort();
    expect([...perChat.keys()].sort()).toEqual(expected);
    expect([...perChat].filter(([, n]) => n !== 1)).toEqual([[limitedOnce, 2]]);
    const delivered = server.delivered().map((m) => m.chatId);
    expect(delivered).toHaveLength(199);
    expect(new Set(delivered).size).toBe(199);
    // The 429 (private chat: a global limit) was honoured: only requests already on their way
    // (at most the sender's 30 in flight, arriving soon after, even on a busy machine) came in
    // before retry_after was over; a sender ignoring it would have sent ~300 in that second.
    const at429 = server.received.find((m) => m.answer === 429)!.at;
    const meanwhile = server.received.filter((m) => m.at > at429 && m.at < at429 + 990);
    expect(meanwhile.length).toBeLessThan(30);
    expect(meanwhile.every((m) => m.at < at429 + 500)).toBe(true);

    const first = server.delivered()[0]!;
    expect(first.parseMode).toBe('HTML');
    expect(first.linkPreviewDisabled).toBe(true);
    expect(first.text).toBe(render(alertReply(draw, undefined)));
    expect(first.text).toContain('<b>New draw #435: Healthcare and social services</b>\nCut-off 462, the first draw in this category.');
    expect(first.text).toContain(`<a href="${draw.url}">Round #435 on canada.ca</a>`);

    expect(await subscriptions.list('telegram', blocked)).toEqual([]);
    expect(await subscriptions.list('telegram', oldGroup)).toEqual([]);
    expect(await subscriptions.list('telegram', supergroup)).toBe('all');
    expect(await outbox.counts('telegram')).toEqual({ pending: 0, sent: 199, gone: 1, failed: 0 });
  });
});

describe('telegramTransport timeout', () => {
  it('gives up on a request that gets no answer, as a failure to retry', async () => {
    const silent = await startFakeTelegram({ hold: () => true });
    try {
      const transport = telegramTransport(new Api(silent.token, { apiRoot: silent.apiRoot }), render, { timeoutMs: 200 });
      const started = Date.now();
      const result = await transport.send('42', alertReply(makeDraw({ round: '1', date: '2026-01-01' }), undefined));
      expect(result).toMatchObject({ status: 'failed' });
      expect(result).not.toHaveProperty('permanent', true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });
});
