import { performance } from 'node:perf_hooks';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotError, type Context, type Filter, GrammyError, type Middleware } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Answers } from '../commands/createAnswers.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { safeError } from '../lib/safeError.js';
import { type Addressed, addressedLine } from './addressedLine.js';
import { answerPress, PRESS_APOLOGY } from './answerPress.js';
import { AnswerDropped, answerScope, checkAnswerScope } from './answerScope.js';
import { chatBacklog, FLOOD_NOTICE } from './chatBacklog.js';
import { followMigration } from './followMigration.js';
import { paceRequests } from './paceRequests.js';
import { replyTo, type Sender, sendAnswer, sendMessages } from './sendAnswer.js';
import { telegramChat } from './telegramChat.js';
import { telegramMessages } from './telegramMessages.js';
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

/**
 * The only updates the bot acts on (messages, and presses of the buttons under its replies); asking
 * for no others saves Telegram and us the traffic.
 */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** Telegram's retry_after can be long; past this, an answer would arrive too late to be useful. */
const MAX_RETRY_DELAY_SECONDS = 120;

/**
 * The grammY bot with everything but the transport: API transformers (pacing, retry, logging,
 * migrated groups), the updates in flight (for a stop), a cap on each chat's backlog, per-chat
 * ordering, the text-command and button-press handlers and the error handling that keeps it answering.
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
  // One backlog and one line per chat, whether it types or presses buttons.
  const backlog = chatBacklog({ max: options.maxPendingPerChat, log, notify: (ctx) => sendNotice(ctx, sender) });
  // The runner handles updates concurrently; answers within one chat must still come in order. (A
  // press on a message the bot cannot see is answered in the presser's private chat: its id.)
  const inLine = sequentialize((ctx: Context) => (ctx.chat?.id ?? ctx.callbackQuery?.from.id)?.toString());
  text.use(backlog, inLine);
  text.errorBoundary(onError).use((ctx) => answerMessage(ctx, asked.get(ctx)!, deps.answers, sender));
  const presses = bot.on('callback_query:data');
  presses.use(backlog, inLine);
  presses.errorBoundary(onError).use((ctx) => answerPress(ctx, deps.answers, sender, knows));
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

/**
 * The last line of defence, for failures outside the commands (which answer their own errors):
 * logged (no token, no message text, no button's action) and answered with the apology. Never throws, so the runner
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
  // A press is told over the chat, whether or not the bot may still post there.
  if (ctx.callbackQuery) {
    try {
      await ctx.answerCallbackQuery({ text: PRESS_APOLOGY });
    } catch (failed) {
      log.warn({ update: ctx.update.update_id, err: safeError(failed, token) }, 'could not answer a button press after an error');
    }
    return;
  }
  // Blocked by the user or removed from the group: there is no one to apologise to.
  if (cause instanceof GrammyError && cause.error_code === 403) return;
  if (!ctx.msg) return;
  try {
    await sendMessages(ctx, telegramMessages(deps.answers.apology()));
  } catch (sendError) {
    log.warn({ update: ctx.update.update_id, err: safeError(sendError, token) }, 'could not answer after an error');
  }
}
