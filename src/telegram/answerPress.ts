import { performance } from 'node:perf_hooks';
import { type Context, type Filter, GrammyError } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Answers } from '../commands/createAnswers.js';
import type { Reply } from '../core/reply.js';
import { answerScope, checkAnswerScope } from './answerScope.js';
import { inlineKeyboard } from './inlineKeyboard.js';
import { type ChartOutcome, type Sender, sendChart, sendMessages } from './sendAnswer.js';
import { telegramChat } from './telegramChat.js';
import { type TelegramMessage, telegramMessages } from './telegramMessages.js';

export type Press = Filter<Context, 'callback_query:data'>;

/** Shown over the chat (answerCallbackQuery, at most 200 characters) when a press could not be answered. */
export const PRESS_APOLOGY = 'Sorry — something went wrong on our side. It has been logged; please try again in a moment.';

/** An edit that takes the keyboard away: without reply_markup Telegram may leave the old one. */
const NO_KEYBOARD: InlineKeyboardMarkup = { inline_keyboard: [] };

/**
 * Answers a button press (or a menu pick): the command that made the button answers its action,
 * and the reply takes the place of the message that carried it, with the reply's own keyboard or
 * none. Then the press is answered, which ends the spinner Telegram shows on the button: after the
 * text, so that a failure can still be told there (see PRESS_APOLOGY). The action is what someone
 * chose: it is never logged, only the command's name, when the registry has it.
 */
export async function answerPress(ctx: Press, answers: Answers, sender: Sender, knows: (name: string) => boolean): Promise<void> {
  const started = performance.now();
  checkAnswerScope(answerScope(ctx), Date.now());
  const { data } = ctx.callbackQuery;
  const reply = await answers.action(data, telegramChat(ctx));
  const placed = await putInPlace(ctx, reply);
  await ctx.answerCallbackQuery();
  const chart: ChartOutcome | undefined =
    reply.kind === 'answer' && reply.chart ? ((await sendChart(ctx, reply.chart, sender)) ? 'photo' : 'failed') : undefined;
  const name = data.slice(0, Math.max(0, data.indexOf(':')));
  sender.log.debug(
    {
      update: ctx.update.update_id,
      chat: ctx.chat?.type,
      command: knows(name) ? name : 'unknown',
      kind: reply.kind,
      placed,
      chart,
      ms: Math.round(performance.now() - started),
    },
    'button answered',
  );
}

/**
 * Puts a reply in place of the message carrying the button: its first message edits that one, the
 * rest follow, the keyboard under the last. When that message is out of reach (deleted, too old to
 * be shown to the bot, never the bot's to edit), the reply goes out as new messages instead.
 */
async function putInPlace(ctx: Press, reply: Reply): Promise<'edited' | 'sent'> {
  const messages = telegramMessages(reply);
  const keyboard = inlineKeyboard(reply);
  const carrier = ctx.callbackQuery.message;
  const [first, ...rest] = messages;
  // An inaccessible message is dated 0.
  if (first && carrier && carrier.date !== 0 && (await edit(ctx, first, rest.length > 0 ? NO_KEYBOARD : (keyboard ?? NO_KEYBOARD)))) {
    await sendMessages(ctx, rest, keyboard);
    return 'edited';
  }
  await sendMessages(ctx, messages, keyboard);
  return 'sent';
}

/** Edits the message carrying the button; false when it can no longer be edited. */
async function edit(ctx: Press, message: TelegramMessage, keyboard: InlineKeyboardMarkup): Promise<boolean> {
  try {
    await ctx.editMessageText(message.text, {
      ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
      link_preview_options: { is_disabled: true },
      reply_markup: keyboard,
    });
    return true;
  } catch (error) {
    if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
    // The same answer again (a double tap on Back, say): the message already says it.
    if (/message is not modified/i.test(error.description)) return true;
    if (/message to edit not found|message can't be edited/i.test(error.description)) return false;
    throw error;
  }
}
