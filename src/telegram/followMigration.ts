import type { Transformer } from 'grammy';
import type { Logger } from '../lib/log.js';

/**
 * A group that became a supergroup has a new id; Telegram refuses a message to the old one with a
 * 400 that names it. The message is sent once more, there (alerts follow the new id the same way,
 * in the alert sender). Not as a reply: the asking message's id means nothing in the new chat.
 * Installed outermost, so that the second attempt is paced, retried and logged like the first.
 */
export function followMigration(log: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    const movedTo = !response.ok && response.error_code === 400 ? response.parameters?.migrate_to_chat_id : undefined;
    const sent = payload as { chat_id?: unknown; reply_parameters?: unknown } | undefined;
    if (movedTo === undefined || sent?.chat_id === undefined) return response;
    log.info({ method }, 'the group became a supergroup: sending to its new chat id');
    const { reply_parameters: _, ...rest } = sent;
    return prev(method, { ...rest, chat_id: movedTo } as typeof payload, signal);
  };
}
