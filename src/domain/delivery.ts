import type { AlertPlatform } from './subscription.js';

/** One message owed to one chat. */
export interface Delivery {
  id: number;
  platform: AlertPlatform;
  chatId: string;
  round: string;
  /** Failed tries so far (429 waits do not count). */
  attempts: number;
  /** The forum topic to post in (Telegram's message_thread_id), as subscribed when enqueued; null: the chat itself. */
  threadId: string | null;
}

export type DeliveryStatus = 'pending' | 'sent' | 'gone' | 'failed';

/** A sent alert whose round IRCC corrected since: to edit to the round's `revision`. */
export interface OwedEdit {
  id: number;
  chatId: string;
  round: string;
  messageId: string;
  revision: number;
}
