import { createHash, createHmac } from 'node:crypto';

let secret: string | undefined;

/**
 * Keys every hash from now on with this install's secret (kept in its storage): without it, a reader
 * of the logs could find a user by hashing every plausible id. Called once by the composition root.
 */
export function keyHashes(key: string): void {
  secret = key;
}

/**
 * A short stable stand-in for a chat id in the logs: the first 12 hex digits of an HMAC-SHA-256 of
 * the id under the install's secret (a plain sha256 until one is set: tools and tests). A private
 * chat's id is its user's id (Telegram's positive ids, a Discord DM's channel), so no id goes to the
 * logs as is; every id is hashed, groups' too, so one chat's lines still match across a migration.
 */
export function hashId(id: string | number): string {
  const text = `ee-draw-bot chat:${id}`;
  const digest = secret === undefined ? createHash('sha256').update(text) : createHmac('sha256', secret).update(text);
  return digest.digest('hex').slice(0, 12);
}
