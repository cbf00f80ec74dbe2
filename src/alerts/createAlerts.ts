import { join } from 'node:path';
import type { Reply } from '../core/reply.js';
import type { Draw } from '../domain/drawSchema.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { alertReply, previousInCategory } from './alertReply.js';
import { AlertSender, type AlertSenderOptions } from './alertSender.js';
import type { AlertTransport } from './alertTransport.js';
import { type AlertsDatabase, openDatabase } from './openDatabase.js';
import { Outbox } from './outbox.js';
import { SubscriptionStore } from './subscriptionStore.js';

export interface CreateAlertsOptions {
  /** The SQLite file; `alertsDbPath(config.dataDir)` by default in the bot. */
  dbPath: string;
  log: Logger;
  /** Every draw held, newest first (`() => store.current().draws`): alerts compare with the previous one. */
  draws: () => readonly Draw[];
  /** ms since the epoch. */
  now?: () => number;
  /** Told what became of each delivery every sender tries (the bot's metrics). */
  onDelivery?: AlertSenderOptions['onDelivery'];
}

export type SenderOptions = Partial<Omit<AlertSenderOptions, 'outbox' | 'transport' | 'reply' | 'log' | 'now'>>;

export interface Alerts {
  db: AlertsDatabase;
  subscriptions: SubscriptionStore;
  outbox: Outbox;
  /** For the feed poller's `onNewDraws`: records the rounds and who gets them, then wakes the senders. */
  onNewDraws(draws: readonly Draw[]): void;
  /** At start-up, before the poller runs: announces rounds the dataset holds but no alert was recorded for. */
  catchUp(): void;
  /**
   * Starts draining one platform's outbox (resuming what is pending), paced by the transport's
   * outgoing budget (none: no pacing of our own).
   */
  startSender(transport: AlertTransport, options?: SenderOptions): AlertSender;
  /** The alert for a round that was enqueued (cached: one Reply object per round). */
  reply(round: string): Reply | undefined;
  /** Stops the senders (waiting for requests in flight) and closes the database. */
  close(): Promise<void>;
}

export const alertsDbPath = (dataDir: string): string => join(dataDir, 'alerts.sqlite');

/** Rounds whose alert is kept in memory; a broadcast rarely spans more than two or three. */
const REPLY_CACHE = 16;

/** The alerts engine over one database file: the single thing main.ts needs to wire. */
export function createAlerts({ dbPath, log, draws, now = Date.now, onDelivery }: CreateAlertsOptions): Alerts {
  const db = openDatabase(dbPath);
  const subscriptions = new SubscriptionStore(db, now);
  const outbox = new Outbox(db, subscriptions, now);
  const senders: AlertSender[] = [];
  const replies = new Map<string, Reply>();

  const reply = (round: string): Reply | undefined => {
    const cached = replies.get(round);
    if (cached) return cached;
    const draw = outbox.draw(round);
    if (!draw) return undefined;
    const made = alertReply(draw, previousInCategory(draws(), draw));
    replies.set(round, made);
    if (replies.size > REPLY_CACHE) replies.delete(replies.keys().next().value!);
    return made;
  };

  return {
    db,
    subscriptions,
    outbox,
    reply,
    onNewDraws(newDraws) {
      if (newDraws.length === 0) return;
      const created = outbox.enqueue(newDraws);
      log.info(
        { rounds: newDraws.map((d) => d.round), deliveries: created },
        `alerts: ${created} message(s) to send for ${newDraws.length} new round(s)`,
      );
      for (const sender of senders) sender.wake();
    },
    catchUp() {
      const { enqueued, tooOld } = outbox.catchUp(draws());
      if (enqueued.length > 0)
        log.warn(
          { rounds: enqueued.map((d) => d.round) },
          'alerts: announcing rounds found in the dataset but never enqueued (the bot stopped in between)',
        );
      if (tooOld.length > 0) log.warn({ rounds: tooOld.map((d) => d.round) }, 'alerts: rounds never announced are too old to announce now');
      for (const sender of senders) sender.wake();
    },
    startSender(transport, options = {}) {
      const limiter = options.limiter ?? transport.limiter ?? new RateLimiter({}, now);
      const sender = new AlertSender({ onDelivery, ...options, outbox, transport, reply, limiter, log, now });
      senders.push(sender);
      sender.start();
      return sender;
    },
    async close() {
      await Promise.all(senders.map((sender) => sender.stop()));
      db.close();
    },
  };
}
