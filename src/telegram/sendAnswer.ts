import { type Context, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { CHART_FILE_NAME, type ChartRenderer } from '../charts/chartRenderer.js';
import type { ChartSpec } from '../core/chartSpec.js';
import type { Reply } from '../core/reply.js';
import type { Logger } from '../lib/log.js';
import { safeError } from '../lib/safeError.js';
import { AnswerDropped } from './answerScope.js';
import { inlineKeyboard } from './inlineKeyboard.js';
import { chartCaption, type TelegramMessage, telegramMessages } from './telegramMessages.js';

/** What sending an answer needs beyond the update: where failures are logged, and the renderer. */
export interface Sender {
  token: string;
  log: Logger;
  renderChart: ChartRenderer;
}

/** How an answer's chart went out: as the photo carrying the answer, as a photo after the text, or not at all. */
export type ChartOutcome = 'caption' | 'photo' | 'failed';

/** In a group each message answers the asking one, so threads stay readable; a press asked nothing to reply to. */
export function replyTo(ctx: Context) {
  const asking = ctx.chat?.type === 'private' ? undefined : ctx.message?.message_id;
  return asking === undefined ? {} : { reply_parameters: { message_id: asking, allow_sending_without_reply: true } };
}

/** Sends a reply's text messages in order, its keyboard (if any) under the last. */
export async function sendMessages(ctx: Context, messages: readonly TelegramMessage[], keyboard?: InlineKeyboardMarkup): Promise<void> {
  for (const [index, message] of messages.entries()) {
    const other = {
      ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
      ...replyTo(ctx),
      link_preview_options: { is_disabled: true },
      ...(keyboard && index === messages.length - 1 ? { reply_markup: keyboard } : {}),
    };
    // A press on a message the bot cannot see has no chat: its answer goes to the presser (see telegramChat).
    if (ctx.chat || !ctx.from) await ctx.reply(message.text, other);
    else await ctx.api.sendMessage(ctx.from.id, message.text, other);
  }
}

/**
 * Sends a reply, with its chart when it has one (answers only). An answer short enough for a photo
 * caption, without buttons (a photo never carries them), goes out as one photo captioned with it;
 * any other as its text messages, then the photo. The text is never lost to the chart: if the
 * chart cannot be drawn or sent, the answer goes out as text (undefined: no chart to send).
 */
export async function sendAnswer(ctx: Context, reply: Reply, sender: Sender): Promise<ChartOutcome | undefined> {
  const messages = telegramMessages(reply);
  const keyboard = inlineKeyboard(reply);
  const chart = reply.kind === 'answer' ? reply.chart : undefined;
  if (!chart) {
    await sendMessages(ctx, messages, keyboard);
    return undefined;
  }
  const caption = keyboard ? undefined : chartCaption(messages);
  if (caption) {
    if (await sendChart(ctx, chart, sender, caption)) return 'caption';
    await sendMessages(ctx, messages);
    return 'failed';
  }
  await sendMessages(ctx, messages, keyboard);
  return (await sendChart(ctx, chart, sender)) ? 'photo' : 'failed';
}

/**
 * Draws the chart and sends it as a photo, captioned or not. Returns false when either step fails,
 * after logging it (no token, no text), so that the caller still delivers the answer. Blocked by
 * the user (403) is rethrown: the text could not be delivered either; so is a dropped answer.
 */
export async function sendChart(ctx: Context, spec: ChartSpec, sender: Sender, caption?: TelegramMessage): Promise<boolean> {
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
