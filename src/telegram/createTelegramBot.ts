import { performance } from 'node:perf_hooks';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotError, type Context, type Filter, GrammyError, InputFile, type Middleware } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { CHART_FILE_NAME, type ChartRenderer } from '../charts/chartRenderer.js';
import type { Answers } from '../commands/createAnswers.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { ChartSpec } from '../core/chartSpec.js';
import type { Reply } from '../core/reply.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { safeError } from '../lib/safeError.js';
import { type Addressed, addressedLine } from './addressedLine.js';
import { AnswerDropped, answerScope, checkAnswerScope } from './answerScope.js';
import { chatBacklog, FLOOD_NOTICE } from './chatBacklog.js';
import { followMigration } from './followMigration.js';
import { paceRequests } from './paceRequests.js';
import { telegramChat } from './telegramChat.js';
import { chartCaption, type TelegramMessage, telegramMessages } from './telegramMessages.js';
import { telegramLimits } from './telegramTransport.js';
import { MAX_ANSWER_AGE_MS, UpdatesInFlight } from './updatesInFlight.js';
import { watchApi } from './watchApi.js';

export interface TelegramBotOptions {
  token: string;
  /** Telegram's own by default; a self-hosted Bot API server, or a test's fake one. */
  apiRoot?: string;
  /** Who the bot is, when known: skips getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  deps: PlatformDeps;
  /** The token's outgoing budget, shared with its alerts; a budget of its own at Telegram's limits by default. */
  limiter?: RateLimiter;
  /** Questions one chat may have waiting or being answered; past it, one notice and the rest dropped. Default 20. */
  maxPendingPerChat?: number;
  /** How long after a question its answer may still go out; later, it is dropped. Default 60 s. */
  maxAnswerAgeMs?: number;
  /** An answer was dropped unsent, past its age (the app counts them: eebot_answers_shed_total). */
  onShed?: () => void;
}

/**
 * The grammY bot, and the updates it is handling: `inFlight.drain(ms)` waits for them to be
 * answered (a stop, once no new update comes in), giving up those left at the deadline.
 */
export type TelegramBot = Bot & { inFlight: UpdatesInFlight };

/** What sending an answer needs beyond the update: where failures are logged, and the renderer. */
interface Sender {
  token: string;
  log: Logger;
  renderChart: ChartRenderer;
}

/** How an answer's chart went out: as the photo carrying the answer, as a photo after the text, or not at all. */
type ChartOutcome = 'caption' | 'photo' | 'failed';

/** The only updates the bot acts on; asking for no others saves Telegram and us the traffic. */
export const ALLOWED_UPDATES = ['message'] as const;

/** Telegram's retry_after can be long; past this, an answer would arrive too late to be useful. */
const MAX_RETRY_DELAY_SECONDS = 120;

/**
 * The grammY bot with everything but the transport: API transformers (pacing, retry, logging,
 * migrated groups), the updates in flight (for a stop), a cap on each chat's backlog, per-chat
 * ordering, the text-command handler and the error handling that keeps it answering.
 */
export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { token, deps } = options;
  const { log } = deps;
  // grammY refuses an API root with a trailing slash, which an env value may well have.
  const bot = new Bot(token, { botInfo: options.botInfo, client: { apiRoot: options.apiRoot?.replace(/\/+$/, '') } });
  const inFlight = new UpdatesInFlight(options.maxAnswerAgeMs ?? MAX_ANSWER_AGE_MS);

  // Transformers wrap each other, the last installed outermost. Every attempt auto-retry makes
  // (after Telegram's retry_after or a 5xx) waits for its turn in the budget shared with the
  // alerts, unless its answer is too old by then; every attempt that reaches Telegram and fails is
  // logged; a send to a group that became a supergroup goes once more, to the new id.
  bot.api.config.use(watchApi(log, token));
  bot.api.config.use(paceRequests(options.limiter ?? new RateLimiter(telegramLimits())));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: MAX_RETRY_DELAY_SECONDS }));
  bot.api.config.use(followMigration(log));
  bot.api.config.use(inFlight.watchOffsets);

  // Before anything can make an update wait: a stop waits for every update taken.
  bot.use(inFlight.middleware);
  // Then: an update another instance took (a redelivery) waits for nothing here.
  if (deps.firstTime) bot.use(onlyFirstTime(deps.firstTime, log, token));
  const onError = (error: BotError<Context>) => answerError(error, token, deps, options.onShed);
  const sender: Sender = { token, log, renderChart: deps.renderChart };
  const names = new Set(deps.answers.commands.map((command) => command.name));
  const knows = (name: string) => names.has(name);
  const asked = new WeakMap<Context, Addressed>();
  const text = bot.on('message:text');
  // Who a message is for, first: chatter neither counts against a chat's backlog nor waits in its line.
  text.use((ctx, next) => {
    const isPrivate = ctx.chat.type === 'private';
    const repliedToBot = ctx.msg.reply_to_message?.from?.id === ctx.me.id;
    const addressed = addressedLine(ctx.msg.text, { isPrivate, botUsername: ctx.me.username, knows, repliedToBot });
    if (!addressed) return;
    asked.set(ctx, addressed);
    return next();
  });
  text.use(chatBacklog({ max: options.maxPendingPerChat, log, notify: (ctx) => sendNotice(ctx, sender) }));
  // The runner handles updates concurrently; answers within one chat must still come in order.
  text.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  text.errorBoundary(onError).use((ctx) => answerMessage(ctx, asked.get(ctx)!, deps.answers, sender));
  // Errors outside the boundary (none expected) must not end polling either.
  bot.catch(onError);
  return Object.assign(bot, { inFlight });
}

/**
 * Passes on only the updates no instance took before: Telegram redelivers an update it got no
 * timely answer to, maybe to another instance behind the same webhook. When the store cannot say,
 * the update is answered anyway: a question answered twice beats one lost.
 */
function onlyFirstTime(firstTime: (key: string) => Promise<boolean>, log: Logger, token: string): Middleware<Context> {
  return async (ctx, next) => {
    const update = ctx.update.update_id;
    let first = true;
    try {
      first = await firstTime(`telegram:${update}`);
    } catch (error) {
      log.warn({ update, err: safeError(error, token) }, 'could not record the Telegram update as taken; answering it anyway');
    }
    if (!first) {
      log.debug({ update }, 'Telegram update taken already (redelivered); skipped');
      return;
    }
    await next();
  };
}

async function answerMessage(ctx: Filter<Context, 'message:text'>, addressed: Addressed, answers: Answers, sender: Sender): Promise<void> {
  const started = performance.now();
  // An answer already too old is not worked out (a chart is drawn on a thread of its own) either.
  checkAnswerScope(answerScope(ctx), Date.now());
  const chat = telegramChat(ctx);
  const reply = 'line' in addressed ? await answers.line(addressed.line, chat) : await answers.question(addressed.question, chat);
  const chart = await sendAnswer(ctx, reply, sender);
  // The command's name only, or that it was a question: what people type stays out of the logs.
  const command = 'line' in addressed ? addressed.line.name.slice(0, 32) : 'question';
  sender.log.debug(
    { update: ctx.update.update_id, chat: ctx.chat.type, command, kind: reply.kind, chart, ms: Math.round(performance.now() - started) },
    'answered',
  );
}

/** Tells a flooding chat, once, to ask one question at a time (see chatBacklog). Never throws. */
async function sendNotice(ctx: Context, sender: Sender): Promise<void> {
  try {
    await ctx.reply(FLOOD_NOTICE, replyTo(ctx));
  } catch (error) {
    if (error instanceof AnswerDropped || answerScope(ctx)?.signal.aborted) return;
    sender.log.warn(
      { update: ctx.update.update_id, chat: ctx.chat?.type, err: safeError(error, sender.token) },
      'could not send the flood notice',
    );
  }
}

/** In a group each message answers the asking one, so threads stay readable. */
function replyTo(ctx: Context) {
  const asking = ctx.chat?.type === 'private' ? undefined : ctx.msg?.message_id;
  return asking === undefined ? {} : { reply_parameters: { message_id: asking, allow_sending_without_reply: true } };
}

/** Sends a reply's text messages in order. */
async function sendMessages(ctx: Context, messages: readonly TelegramMessage[]): Promise<void> {
  for (const message of messages) {
    await ctx.reply(message.text, {
      ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
      ...replyTo(ctx),
      link_preview_options: { is_disabled: true },
    });
  }
}

/**
 * Sends a reply, with its chart when it has one (answers only). An answer short enough for a photo
 * caption goes out as one photo captioned with it; a longer one as its text messages, then the
 * photo. The text is never lost to the chart: if the chart cannot be drawn or sent, the answer
 * goes out as text (undefined: no chart to send).
 */
async function sendAnswer(ctx: Context, reply: Reply, sender: Sender): Promise<ChartOutcome | undefined> {
  const messages = telegramMessages(reply);
  const chart = reply.kind === 'answer' ? reply.chart : undefined;
  if (!chart) {
    await sendMessages(ctx, messages);
    return undefined;
  }
  const caption = chartCaption(messages);
  if (caption) {
    if (await sendChart(ctx, chart, sender, caption)) return 'caption';
    await sendMessages(ctx, messages);
    return 'failed';
  }
  await sendMessages(ctx, messages);
  return (await sendChart(ctx, chart, sender)) ? 'photo' : 'failed';
}

/**
 * Draws the chart and sends it as a photo, captioned or not. Returns false when either step fails,
 * after logging it (no token, no text), so that the caller still delivers the answer. Blocked by
 * the user (403) is rethrown: the text could not be delivered either; so is a dropped answer.
 */
async function sendChart(ctx: Context, spec: ChartSpec, sender: Sender, caption?: TelegramMessage): Promise<boolean> {
  try {
    const png = await sender.renderChart(spec);
    await ctx.replyWithPhoto(new InputFile(png, CHART_FILE_NAME), {
      ...(caption ? { caption: caption.text, parse_mode: 'HTML' as const } : {}),
      ...replyTo(ctx),
    });
    return true;
  } catch (error) {
    if ((error instanceof GrammyError && error.error_code === 403) || error instanceof AnswerDropped) throw error;
    sender.log.warn({ update: ctx.update.update_id, chat: ctx.chat?.type, err: safeError(error, sender.token) }, 'chart not sent');
    return false;
  }
}

/**
 * The last line of defence, for failures outside the commands (which answer their own errors):
 * logged (no token, no message text) and answered with the apology. Never throws, so the runner
 * keeps polling.
 */
async function answerError(error: BotError<Context>, token: string, deps: PlatformDeps, onShed?: () => void): Promise<void> {
  const { ctx, error: cause } = error;
  const { log } = deps;
  // Not a failure: too old to be worth sending (counted), or given up by a stop (which also aborts
  // a request on the wire).
  const dropped = cause instanceof AnswerDropped ? cause.reason : answerScope(ctx)?.signal.aborted ? 'stopped' : undefined;
  if (dropped) {
    if (dropped === 'stale') onShed?.();
    log.debug({ update: ctx.update.update_id, chat: ctx.chat?.type, reason: dropped }, 'answer dropped unsent');
    return;
  }
  log.error({ update: ctx.update.update_id, chat: ctx.chat?.type, err: safeError(cause, token) }, 'Telegram update failed');
  // Blocked by the user or removed from the group: there is no one to apologise to.
  if (cause instanceof GrammyError && cause.error_code === 403) return;
  if (!ctx.msg) return;
  try {
    await sendMessages(ctx, telegramMessages(deps.answers.apology()));
  } catch (sendError) {
    log.warn({ update: ctx.update.update_id, err: safeError(sendError, token) }, 'could not answer after an error');
  }
}
