import type { AlertPlatform } from '../domain/subscription.js';
import type { SqlExecutor } from './sqlDatabase.js';

/** The subscription row that stands for "every draw". */
export const ALL = '*';
/** The row of a chat that asked for pool-distribution alerts (/subscribe pool), and the category of a pool alert's round. */
export const POOL = 'pool';

/**
 * Deletes the chat's pending alerts, not yet on the wire, for rounds it no longer subscribes to:
 * what /unsubscribe stops must not arrive later (a row waiting out a 429, say). How many.
 */
export function cancelUnwanted(sql: SqlExecutor, platform: AlertPlatform, chatId: string): Promise<number> {
  return sql.run(
    `DELETE FROM deliveries WHERE platform = ? AND chat_id = ? AND status = 'pending' AND claimed_by IS NULL
       AND NOT EXISTS (
         SELECT 1 FROM subscriptions AS s JOIN alert_rounds AS r ON r.round = deliveries.round
         WHERE s.platform = deliveries.platform AND s.chat_id = deliveries.chat_id
           AND (s.category = r.category OR (s.category = ? AND r.category <> ?)))`,
    [platform, chatId, ALL, POOL],
  );
}
