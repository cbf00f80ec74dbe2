import type { Context } from 'grammy';
import type { Chat as TelegramPlace } from 'grammy/types';
import type { Chat } from '../commands/chat.js';

/**
 * The chat a message or a button press came from, as commands see it: for a press, the chat of the
 * message that carried the button, and whoever pressed it. Whether the asker may change the chat's
 * settings is asked of Telegram (getChatMember) only when a command needs to know, and once.
 */
export function telegramChat(ctx: Context): Chat {
  const place = placeOf(ctx);
  // A press is made by a person; only a message can be sent anonymously, as the group.
  const asGroup = ctx.callbackQuery ? undefined : ctx.msg?.sender_chat;
  let answer: Promise<boolean> | undefined;
  return {
    platform: 'telegram',
    id: String(place.id),
    threadId: topicOf(ctx),
    isPrivate: place.type === 'private',
    // Anonymous admins write as the group: a placeholder bot is no person with a profile.
    userId: ctx.from && !asGroup ? String(ctx.from.id) : undefined,
    noun: 'chat',
    canManage: () => (answer ??= isChatAdmin(ctx, place, asGroup?.id)),
    notManager: (command) =>
      `Only group admins can change this chat's alerts. Ask one of them to send ${command}, or send it to me in a private chat to get the alerts yourself.`,
    privateLink: (start) => `https://t.me/${ctx.me.username}?start=${encodeURIComponent(start)}`,
  };
}

/**
 * Where the update came from. A press on a message the bot cannot see (an inline message, which
 * this bot never sends) is answered in the presser's private chat, the one place sure to be theirs.
 */
function placeOf(ctx: Context): Pick<TelegramPlace, 'id' | 'type'> {
  if (ctx.chat) return ctx.chat;
  if (ctx.callbackQuery) return { id: ctx.callbackQuery.from.id, type: 'private' };
  throw new Error('a Telegram update without a chat');
}

/**
 * The forum topic the message (or the one carrying the pressed button) is in. Only a topic message:
 * in a plain group a reply's thread id is the message replied to.
 */
function topicOf(ctx: Context): string | undefined {
  const msg = ctx.msg;
  return msg?.is_topic_message && msg.message_thread_id !== undefined ? String(msg.message_thread_id) : undefined;
}

async function isChatAdmin(ctx: Context, place: Pick<TelegramPlace, 'id' | 'type'>, asGroup: number | undefined): Promise<boolean> {
  if (place.type === 'private') return true;
  // An admin who posts anonymously writes as the group itself (from is then a placeholder bot).
  if (asGroup === place.id) return true;
  if (!ctx.from) return false;
  const member = await ctx.api.getChatMember(place.id, ctx.from.id);
  return member.status === 'creator' || member.status === 'administrator';
}
