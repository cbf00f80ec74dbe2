import { performance } from 'node:perf_hooks';
import { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { createTelegramBot } from '../../src/telegram/createTelegramBot.js';
import { telegramLimits, telegramTransport } from '../../src/telegram/telegramTransport.js';
import type { ReceivedMessage } from '../alerts/fakeTelegramServer.js';
import { openStores, tempDir } from '../alerts/helpers.js';
import { platformDeps } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { BOT_INFO } from './fakeBotApi.js';

/** A fake Bot API that enforces Telegram's limits (scaled), in this process or its own. */
export interface LimitedServer {
  apiRoot: string;
  token: string;
  /** Every sendMessage received, in arrival order, with its answer (429 when over a limit). */
  received(): Promise<ReceivedMessage[]>;
}

export interface BudgetScenario {
  server: LimitedServer;
  /** Telegram's limits × scale, for the bot's budget (the server enforces the same). */
  scale: number;
  /** The budget's share left unused (RateLimiter's headroom); the bot's default, 0.03, unless set. */
  headroom?: number;
  /** Private chats subscribed to the round. */
  subscribers: number;
  /** Alerts delivered before the commands come. */
  warmUp: number;
  /** Commands sent at once, from as many chats; `overlap` of them are chats alerted during the warm-up. */
  commands: number;
  overlap: number;
  /** How long the broadcast goes on after the last answer, before the sender stops. */
  tailMs: number;
}

export interface BudgetOutcome {
  /** Absolute instants (ms since the epoch, as the server's `at`): when the commands were handed to the bot. */
  commandsAt: number;
  /** Each answer's arrival at the server after commandsAt, in arrival order. */
  answerLatencies: number[];
  /** The most an answer arrived later than answers alone at the budget's rate would have (the broadcast's cost to it). */
  worstExtraDelayMs: number;
  /** Alerts that arrived between the commands and the last answer. */
  alertsMeanwhile: number;
  /** Alerts delivered in all. */
  alertsDelivered: number;
  /** The most messages accepted in any sliding second, and the 429s the server answered. */
  peakPerSecond: number;
  tooManyRequests: number;
  /** The 429s' limits and how close the refused message came to passing (ms early), for a failing run's message. */
  refusals: string[];
  /** Answers that were not one message to their chat. */
  missingAnswers: number;
}

const ABSOLUTE = () => performance.timeOrigin + performance.now();
const ASKER_BASE = 900_000;
const SUBSCRIBER_BASE = 100_000_000;

function latestUpdate(updateId: number, chatId: number): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      // Asked now: an answer to a question older than a minute is not sent.
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Asker' },
      from: { id: chatId, is_bot: false, first_name: 'Asker' },
      text: '/latest',
      entities: [{ type: 'bot_command', offset: 0, length: 7 }],
    },
  } as Update;
}

/** The most arrivals in any sliding window of `windowMs`. */
export function peakWindow(times: readonly number[], windowMs = 1000): number {
  let peak = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[start]! <= times[end]! - windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/**
 * One bot token, wired as startTelegram wires it — the grammY bot's answers and the alert sender
 * through one budget — while a round is broadcast: once `warmUp` alerts are out, `commands` chats
 * send /latest at the same instant. Reads back from the server what arrived, and when.
 */
export async function runBudgetScenario(scenario: BudgetScenario): Promise<BudgetOutcome> {
  const { server, scale } = scenario;
  const temp = tempDir();
  const stores = openStores(temp.dbPath);
  const headroom = scenario.headroom ?? 0.03;
  const limiter = new RateLimiter({ ...telegramLimits(scale), headroom });
  const bot = createTelegramBot({ token: server.token, apiRoot: server.apiRoot, botInfo: BOT_INFO, deps: await platformDeps(), limiter });
  let sent = 0;
  let warm: () => void = () => undefined;
  const warmedUp = new Promise<void>((resolve) => {
    warm = resolve;
  });
  try {
    await stores.storage.transaction(async ({ subscriptions }) => {
      for (let i = 0; i < scenario.subscribers; i++) await subscriptions.subscribe('telegram', String(SUBSCRIBER_BASE + i), 'all');
    });
    const draw = makeDraw({ round: '999', date: '2026-11-30', category: 'healthcare', crs: 462 });
    await stores.outbox.enqueue([draw]);
    const reply = alertReply(draw, undefined);
    const transport = telegramTransport(new Api(server.token, { apiRoot: server.apiRoot }), undefined, { limiter });
    const sender = new AlertSender({
      outbox: stores.outbox,
      transport,
      reply: async () => reply,
      limiter: transport.limiter!,
      log: silentLogger,
      onDelivery: (_, outcome) => {
        if (outcome === 'sent' && ++sent >= scenario.warmUp) warm();
      },
    });
    sender.start();
    await warmedUp;

    // The askers: new chats, and some that were just alerted (their one-a-second limit applies).
    const askers = Array.from({ length: scenario.commands }, (_, i) => (i < scenario.overlap ? SUBSCRIBER_BASE + i : ASKER_BASE + i));
    const commandsAt = ABSOLUTE();
    await Promise.all(askers.map((chat, i) => bot.handleUpdate(latestUpdate(i + 1, chat))));
    const answered = ABSOLUTE();
    await new Promise((resolve) => setTimeout(resolve, scenario.tailMs));
    await sender.stop();

    const received = await server.received();
    const askerIds = new Set(askers.map(String));
    const answers = received.filter((m) => askerIds.has(m.chatId) && m.at >= commandsAt && m.answer === 'ok');
    const alerts = received.filter((m) => !answers.includes(m) && m.answer === 'ok');
    const rate = 30 * scale * (1 - headroom);
    const answerLatencies = answers.map((m) => m.at - commandsAt);
    const lastAnswer = answers.at(-1)?.at ?? answered;
    return {
      commandsAt,
      answerLatencies,
      worstExtraDelayMs: Math.max(0, ...answerLatencies.map((latency, i) => latency - (i / rate) * 1000)),
      alertsMeanwhile: alerts.filter((m) => m.at > commandsAt && m.at <= lastAnswer).length,
      alertsDelivered: alerts.length,
      peakPerSecond: peakWindow(
        received.filter((m) => m.answer === 'ok').map((m) => m.at),
        1000,
      ),
      tooManyRequests: received.filter((m) => m.answer === 429).length,
      refusals: received.filter((m) => m.answer === 429).map((m) => `${m.limitedBy} ${askerIds.has(m.chatId) ? 'answer' : 'alert'}`),
      missingAnswers: askers.filter((chat) => answers.filter((m) => m.chatId === String(chat)).length !== 1).length,
    };
  } finally {
    await stores.db.close();
    temp.remove();
  }
}
