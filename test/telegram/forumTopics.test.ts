import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramChat } from '../../src/telegram/telegramChat.js';
import { telegramLimits, telegramTransport } from '../../src/telegram/telegramTransport.js';
import { useStores } from '../alerts/helpers.js';
import { FIXED_NOW, frozenData } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine, sqliteEngine } from '../storage/testEngines.js';

const FORUM = -1001234567890;
const TOPIC = 77;

/** A message in the forum supergroup, from an admin: in a topic, or in General (no thread). */
function forumMessage(text: string, thread?: { id: number; topic: boolean }) {
  return {
    chat: { id: FORUM, type: 'supergroup', title: 'Express Entry', is_forum: true },
    msg: { text, ...(thread ? { message_thread_id: thread.id, is_topic_message: thread.topic || undefined } : {}) },
    from: { id: 7_000_001, is_bot: false, first_name: 'Admin' },
    api: { getChatMember: async () => ({ status: 'administrator' }) },
  } as unknown as Parameters<typeof telegramChat>[0];
}

/** A Bot API that answers locally and records every sendMessage payload; `refuse` may turn one down. */
function recordingApi(refuse: (payload: Record<string, unknown>) => string | undefined = () => undefined) {
  const sent: Array<Record<string, unknown>> = [];
  const api = new Api('123456:TEST-token-abcdefghijklmnopqrstuvwxyz');
  api.config.use(async (_prev, method, payload) => {
    const body = payload as Record<string, unknown>;
    sent.push({ method, ...body });
    const refusal = refuse(body);
    if (refusal) return { ok: false, error_code: 400, description: refusal } as never;
    return { ok: true, result: { message_id: sent.length, date: 0, chat: { id: body.chat_id, type: 'supergroup' } } } as never;
  });
  return { api, sent };
}

describe('Telegram forum topics', () => {
  const env = useStores(sqliteEngine);

  it("a chat's thread is the topic the command was sent in, never a plain reply's thread", () => {
    expect(telegramChat(forumMessage('/subscribe', { id: TOPIC, topic: true })).threadId).toBe('77');
    expect(telegramChat(forumMessage('/subscribe')).threadId).toBeUndefined();
    // In a group without topics, message_thread_id names the thread of replies, not a topic.
    expect(telegramChat(forumMessage('/subscribe', { id: 5, topic: false })).threadId).toBeUndefined();
  });

  it('/subscribe in a topic sends the alerts to that topic; sent again in General, to General', async () => {
    const { stores, clock } = env;
    const data = await frozenData();
    const answers = createAnswers({
      data: () => data,
      clock: () => FIXED_NOW,
      log: silentLogger,
      commands,
      subscriptions: stores.subscriptions,
    });
    const ask = async (text: string, thread?: { id: number; topic: boolean }) => {
      const reply = await answers.line(parseCommandLine(text, { requireSlash: true }), telegramChat(forumMessage(text, thread)));
      expect(reply.kind, JSON.stringify(reply)).toBe('answer');
    };
    const { api, sent } = recordingApi();
    const draws = [makeDraw({ round: '435', date: '2026-08-07', crs: 462 }), makeDraw({ round: '436', date: '2026-08-08', crs: 470 })];
    const sender = new AlertSender({
      outbox: stores.outbox,
      transport: telegramTransport(api),
      reply: async (round) => alertReply(draws.find((d) => d.round === round)!, undefined),
      limiter: new RateLimiter(telegramLimits(), clock.now),
      log: silentLogger,
      now: clock.now,
      sleep: clock.sleep,
    });

    await ask('/subscribe', { id: TOPIC, topic: true });
    await stores.outbox.enqueue([draws[0]!]);
    expect(await sender.drainOnce()).toMatchObject({ sent: 1 });
    expect(sent).toEqual([expect.objectContaining({ method: 'sendMessage', chat_id: FORUM, message_thread_id: TOPIC })]);

    await ask('/subscribe');
    clock.t += 60_000; // past the group's pacing
    await stores.outbox.enqueue([draws[1]!]);
    expect(await sender.drainOnce()).toMatchObject({ sent: 1 });
    expect(sent[1]).toMatchObject({ chat_id: FORUM });
    expect(sent[1]).not.toHaveProperty('message_thread_id');
  });

  it('a deleted topic: the alert goes to the chat itself rather than nowhere', async () => {
    const { api, sent } = recordingApi((payload) => (payload.message_thread_id ? 'Bad Request: message thread not found' : undefined));
    const reply = alertReply(makeDraw({ round: '435', date: '2026-08-07' }), undefined);
    // The message id is the one posted in the chat itself.
    expect(await telegramTransport(api).send(String(FORUM), reply, '77')).toEqual({ status: 'sent', messageId: '2' });
    expect(sent.map((p) => p.message_thread_id)).toEqual([77, undefined]);
  });
});

describeEachEngine('subscriptions and deliveries keep the topic', (engine) => {
  const env = useStores(engine);

  it('the last topic subscribed from wins, kept through unsubscribing a category and a chat move', async () => {
    const { subscriptions, outbox } = env.stores;
    await subscriptions.subscribe('telegram', '-5', ['healthcare'], '9');
    await subscriptions.subscribe('telegram', '-5', ['cec'], '12');
    expect(await subscriptions.thread('telegram', '-5')).toBe('12');
    await subscriptions.subscribe('telegram', '-5', 'all', '13');
    await subscriptions.unsubscribe('telegram', '-5', ['healthcare']);
    expect(await subscriptions.thread('telegram', '-5')).toBe('13');
    await subscriptions.moveChat('telegram', '-5', '-1005');
    expect(await subscriptions.thread('telegram', '-1005')).toBe('13');
    await subscriptions.subscribe('telegram', '42', 'all');
    expect(await subscriptions.thread('telegram', '42')).toBeUndefined();

    await outbox.enqueue([makeDraw({ round: '435', date: '2026-08-07', category: 'cec' })]);
    const due = await outbox.due('telegram', env.clock.t, 10);
    expect(due.map((d) => [d.chatId, d.threadId]).sort()).toEqual([
      ['-1005', '13'],
      ['42', null],
    ]);
  });
});
