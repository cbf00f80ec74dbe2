import { performance } from 'node:perf_hooks';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot, type BotError, type Context, type Filter, GrammyError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { APOLOGY, type CommandDeps, errorReply } from '../commands/runCommand.js';
import type { Reply } from '../core/reply.js';
import { UserError } from '../core/userError.js';
import type { Logger } from '../log.js';
import { answerText } from './answerText.js';
import { safeError } from './safeError.js';
import { telegramChat } from './telegramChat.js';
import { telegramMessages } from './telegramMessages.js';
import { watchApi } from './watchApi.js';

export interface TelegramBotOptions {
  token: string;
  /** Telegram's own by default; a self-hosted Bot API server, or a test's fake one. */
  apiRoot?: string;
  /** Who the bot is, when known: skips getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  deps: CommandDeps;
  log: Logger;
}

/** The only updates the bot acts on; asking for no others saves Telegram and us the traffic. */
export const ALLOWED_UPDATES = ['message'] as const;

/** Telegram's retry_after can be long; past this, an answer would arrive too late to be useful. */
const MAX_RETRY_DELAY_SECONDS = 120;

/**
 * The grammY bot with everything but the transport: API transformers (retry, throttle, logging),
 * per-chat ordering, the text-command handler and the error handling that keeps it answering.
 */
export function createTelegramBot(options: TelegramBotOptions): Bot {
  const { token, deps, log } = options;
  // grammY refuses an API root with a trailing slash, which an env value may well have.
  const bot = new Bot(token, { botInfo: options.botInfo, client: { apiRoot: options.apiRoot?.replace(/\/+$/, '') } });

  // Transformers wrap each other, the last installed outermost: the throttler queues a call per
  // chat, so a retry (after Telegram's retry_after or a 5xx) holds back that chat's next messages
  // too; every failed attempt underneath is logged.
  bot.api.config.use(watchApi(log, token));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: MAX_RETRY_DELAY_SECONDS }));
  bot.api.config.use(apiThrottler());

  // The runner handles updates concurrently; answers within one chat must still come in order.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  const onError = (error: BotError<Context>) => answerError(error, token, log);
  bot.errorBoundary(onError).on('message:text', (ctx) => answerMessage(ctx, deps, log));
  // Errors outside the boundary (none expected) must not end polling either.
  bot.catch(onError);
  return bot;
}

async function answerMessage(ctx: Filter<Context, 'message:text'>, deps: CommandDeps, log: Logger): Promise<void> {
  const started = performance.now();
  const asked = { isPrivate: ctx.chat.type === 'private', botUsername: ctx.me.username, chat: telegramChat(ctx) };
  const reply = await answerText(ctx.msg.text, asked, deps);
  if (!reply) return;
  await sendReply(ctx, reply);
  // The command's name only: what people type stays out of the logs.
  const command = /^\/([A-Za-z0-9_]{1,32})/.exec(ctx.msg.text)?.[1]?.toLowerCase();
  log.debug({ update: ctx.update.update_id, chat: ctx.chat.type, command, kind: reply.kind, ms: Math.round(performance.now() - started) }, 'answered');
}

/** Sends a reply's messages in order; in a group each one answers the asking message, so threads stay readable. */
async function sendReply(ctx: Context, reply: Reply): Promise<void> {
  const asking = ctx.chat?.type === 'private' ? undefined : ctx.msg?.message_id;
  for (const message of telegramMessages(reply)) {
    await ctx.reply(message.text, {
      ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
      ...(asking === undefined ? {} : { reply_parameters: { message_id: asking, allow_sending_without_reply: true } }),
      link_preview_options: { is_disabled: true },
    });
  }
}

/**
 * The last line of defence: a user error is answered as such; anything else is logged (no token,
 * no message text) and answered with a short apology. Never throws, so the runner keeps polling.
 */
async function answerError(error: BotError<Context>, token: string, log: Logger): Promise<void> {
  const { ctx, error: cause } = error;
  let reply: Reply;
  if (cause instanceof UserError) reply = errorReply(cause.message);
  else {
    log.error({ update: ctx.update.update_id, chat: ctx.chat?.type, error: safeError(cause, token) }, 'Telegram update failed');
    // Blocked by the user or removed from the group: there is no one to apologise to.
    if (cause instanceof GrammyError && cause.error_code === 403) return;
    reply = { kind: 'error', title: 'Sorry', lines: [APOLOGY] };
  }
  if (!ctx.msg) return;
  try {
    await sendReply(ctx, reply);
  } catch (sendError) {
    log.warn({ update: ctx.update.update_id, error: safeError(sendError, token) }, 'could not answer after an error');
  }
}
