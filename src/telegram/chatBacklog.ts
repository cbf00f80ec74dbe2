import type { Context, Middleware } from 'grammy';
import type { Logger } from '../lib/log.js';

/** Told once to a chat that floods the bot, when its backlog is full. */
export const FLOOD_NOTICE = 'One question at a time, please: I am still answering your earlier ones.';

/** A chat's questions: how many are being answered or wait their turn, and whether it flooded. */
interface Backlog {
  pending: number;
  /** Past the cap: everything it sends is dropped until its backlog is answered. */
  flooded: boolean;
  dropped: number;
}

export interface ChatBacklogOptions {
  /** Questions one chat may have waiting or being answered (default 20). */
  max?: number;
  log: Logger;
  /** Sends the notice to the chat; never throws. */
  notify(ctx: Context): Promise<void>;
}

/**
 * Caps the questions one chat has waiting: the runner's slots and the bot's memory then always
 * serve other chats, which a single chat's flood would otherwise fill for minutes (its answers go
 * at a message a second, 20 a minute in a group). Past the cap the chat is told once to ask one
 * question at a time, and whatever it sends is dropped until its backlog is answered: one notice
 * per flood, and a flood that goes on gets nothing more. Goes before the chat's line
 * (sequentialize), where the waiting happens; the drops are counted in one log line per flood.
 */
export function chatBacklog({ max = 20, log, notify }: ChatBacklogOptions): Middleware<Context> {
  const chats = new Map<number, Backlog>();
  return async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat) return next();
    let backlog = chats.get(chat.id);
    if (!backlog) {
      backlog = { pending: 0, flooded: false, dropped: 0 };
      chats.set(chat.id, backlog);
    }
    if (backlog.flooded || backlog.pending >= max) {
      backlog.dropped++;
      if (backlog.flooded) return;
      backlog.flooded = true;
      await notify(ctx);
      return;
    }
    backlog.pending++;
    try {
      await next();
    } finally {
      if (--backlog.pending === 0) {
        chats.delete(chat.id);
        // The chat's type only: which chat, and what it sent, stay out of the logs.
        if (backlog.flooded) log.info({ chat: chat.type, dropped: backlog.dropped }, 'a chat flooded the bot: updates dropped');
      }
    }
  };
}
