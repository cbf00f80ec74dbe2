import type { Context, Filter } from 'grammy';
import type { Chat } from '../commands/chat.js';

type TextMessage = Filter<Context, 'message:text'>;

/**
 * The chat a message came from, as alert commands see it. Whether the sender may change it is asked
 * of Telegram (getChatMember) only when a command needs to know, and once.
 */
export function telegramChat(ctx: TextMessage): Chat {
  let answer: Promise<boolean> | undefined;
  return {
    platform: 'telegram',
    id: String(ctx.chat.id),
    // Only a message in a forum topic: in a plain group a reply's thread id is the message replied to.
    threadId: ctx.msg.is_topic_message && ctx.msg.message_thread_id !== undefined ? String(ctx.msg.message_thread_id) : undefined,
    isPrivate: ctx.chat.type === 'private',
    // Anonymous admins write as the group: a placeholder bot is no person with a profile.
    userId: ctx.from && !ctx.msg.sender_chat ? String(ctx.from.id) : undefined,
    noun: 'chat',
    canManage: () => (answer ??= isChatAdmin(ctx)),
    notManager: (command) =>
      `Only group admins can change this chat's alerts. Ask one of them to send ${command}, or send it to me in a private chat to get the alerts yourself.`,
  };
}

async function isChatAdmin(ctx: TextMessage): Promise<boolean> {
  if (ctx.chat.type === 'private') return true;
  // An admin who posts anonymously writes as the group itself (from is then a placeholder bot).
  if (ctx.msg.sender_chat?.id === ctx.chat.id) return true;
  if (!ctx.from) return false;
  const member = await ctx.api.getChatMember(ctx.chat.id, ctx.from.id);
  return member.status === 'creator' || member.status === 'administrator';
}
