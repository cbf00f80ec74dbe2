import { createHash } from 'node:crypto';

/**
 * A short stable stand-in for a chat id in the logs: the first 12 hex digits of sha256 over a fixed
 * prefix and the id. A private chat's id is its user's id (Telegram's positive ids, a Discord DM's
 * channel), so no id goes to the logs as is; every id is hashed, groups' too, so one chat's lines
 * still match across a migration and an operator can find a known chat's lines by hashing its id.
 * It hides ids from a reader of the logs, not from someone who tries every plausible id.
 */
export function hashId(id: string | number): string {
  return createHash('sha256').update(`ee-draw-bot chat:${id}`).digest('hex').slice(0, 12);
}
