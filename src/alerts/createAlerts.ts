import { join } from 'node:path';
import type { Reply } from '../core/reply.js';
import { personalVerdictLine, poolStandingLine } from '../core/verdict.js';
import type { Draw } from '../domain/drawSchema.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { AlertEditor } from './alertEditor.js';
import { alertFields, alertReply, previousInCategory } from './alertReply.js';
import { AlertSender, type AlertSenderOptions } from './alertSender.js';
import type { AlertTransport } from './alertTransport.js';
import { corrections } from './corrections.js';
import { type AlertsDatabase, openDatabase } from './openDatabase.js';
import { isPoolKey, Outbox } from './outbox.js';
import { poolAlertReply, previousPool } from './poolAlertReply.js';
import { ProfileStore } from './profileStore.js';
import { type AlertPlatform, SubscriptionStore } from './subscriptionStore.js';

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
  /** Users' private profiles (/profile), in the same database: the backup carries them. */
  profiles: ProfileStore;
  outbox: Outbox;
  /** For the feed poller's `onNewDraws`: records the rounds and who gets them, then wakes the senders. */
  onNewDraws(draws: readonly Draw[]): void;
  /** At start-up, before the poller runs: announces rounds the dataset holds but no alert was recorded for. */
  catchUp(): void;
  /**
   * For the feed poller's `onDataset`, with every draw now held: rounds IRCC corrected (cut-off,
   * size, tie-break, date) are stored as corrected, their pending alerts go out so, and the alerts
   * already sent are edited in place with a "corrected" note, never sent again.
   */
  onDataset(draws: readonly Draw[]): void;
  /**
   * Starts draining one platform's outbox (resuming what is pending), paced by the transport's
   * outgoing budget (none: no pacing of our own).
   */
  startSender(transport: AlertTransport, options?: SenderOptions): AlertSender;
  /**
   * The alert for a round that was enqueued (cached: one Reply object per round), or, given the
   * chat, that chat's: with its owner's verdict in a private chat whose owner has a profile.
   */
  reply(round: string, to?: { platform: AlertPlatform; chatId: string }): Reply | undefined;
  /** The alert for a corrected round, as sent alerts are edited to: with the "corrected" note (and a private chat's verdict). */
  correctedReply(round: string, to?: { platform: AlertPlatform; chatId: string }): Reply | undefined;
  /** Resolves once every platform has edited what the corrections so far owe (for tests and tools). */
  editsSettled(): Promise<void>;
  /** Stops the senders (waiting for requests in flight) and closes the database. */
  close(): Promise<void>;
}

export const alertsDbPath = (dataDir: string): string => join(dataDir, 'alerts.sqlite');

/** Rounds whose alert is kept in memory; a broadcast rarely spans more than two or three. */
const REPLY_CACHE = 16;
/**
 * How long after a correction a send may still have been on the wire with the figures before it
 * (the transports' request timeout, with margin): such a message is edited once it is recorded.
 */
const IN_FLIGHT_MS = 60_000;

function remember(cache: Map<string, Reply>, round: string, reply: Reply): Reply {
  cache.set(round, reply);
  if (cache.size > REPLY_CACHE) cache.delete(cache.keys().next().value!);
  return reply;
}

/** The alerts engine over one database file: the single thing main.ts needs to wire. */
export function createAlerts({ dbPath, log, draws, now = Date.now, onDelivery }: CreateAlertsOptions): Alerts {
  const db = openDatabase(dbPath);
  const subscriptions = new SubscriptionStore(db, now);
  const profiles = new ProfileStore(db, now);
  const outbox = new Outbox(db, subscriptions, now);
  const senders: AlertSender[] = [];
  const editors: AlertEditor[] = [];
  const replies = new Map<string, Reply>();
  const correctedReplies = new Map<string, Reply>();
  let correctedAt = Number.NEGATIVE_INFINITY;

  const generic = (round: string): Reply | undefined => {
    const cached = replies.get(round);
    if (cached) return cached;
    const draw = outbox.draw(round);
    if (!draw) return undefined;
    if (isPoolKey(round)) {
      const before = outbox.poolBefore(round) ?? previousPool(draws(), draw.pool!.asOf);
      return remember(replies, round, poolAlertReply(draw, before));
    }
    return remember(replies, round, alertReply(draw, previousInCategory(draws(), draw)));
  };

  /**
   * The alert for one chat: the round's generic alert, plus — in a private chat (or DM) whose owner
   * has a profile, for a draw in their lanes — the owner's verdict. Groups and channels have no
   * owner and stay generic. A lookup or two per delivery, each one prepared statement.
   */
  const personal = (shared: Reply | undefined, round: string, to?: { platform: AlertPlatform; chatId: string }): Reply | undefined => {
    if (!shared || !to) return shared;
    const owner = subscriptions.owner(to.platform, to.chatId);
    const profile = owner === undefined ? undefined : profiles.get(to.platform, owner);
    const draw = profile && outbox.draw(round);
    if (!draw || !profile) return shared;
    if (isPoolKey(round)) {
      const standing = poolStandingLine(draw, profile.crs);
      return standing ? { ...shared, lines: [...(shared.lines ?? []), standing] } : shared;
    }
    const verdict = personalVerdictLine(draw, profile);
    return {
      ...shared,
      // Times in the owner's zone too, as every answer shows them to a profile with one.
      ...(profile.timeZone ? { fields: alertFields(draw, profile.timeZone) } : {}),
      ...(verdict ? { lines: [...(shared.lines ?? []), verdict] } : {}),
    };
  };
  const reply = (round: string, to?: { platform: AlertPlatform; chatId: string }) => personal(generic(round), round, to);

  const correctedGeneric = (round: string): Reply | undefined => {
    const cached = correctedReplies.get(round);
    if (cached) return cached;
    const draw = outbox.draw(round);
    if (!draw) return undefined;
    const first = outbox.firstDraw(round);
    const note = first ? corrections(first, draw) : [];
    return remember(correctedReplies, round, alertReply(draw, previousInCategory(draws(), draw), note));
  };
  const correctedReply = (round: string, to?: { platform: AlertPlatform; chatId: string }) => personal(correctedGeneric(round), round, to);

  /** A new pool distribution goes to the chats that asked for it (the first one seen is only remembered). */
  const announcePool = (held: readonly Draw[]) => {
    const announced = outbox.announcePool(held);
    if (!announced) return;
    log.info(
      { pool: announced.key, deliveries: announced.created },
      `alerts: ${announced.created} message(s) to send for a new pool distribution`,
    );
    for (const sender of senders) sender.wake();
  };

  const runEditors = () => {
    for (const editor of editors) void editor.run();
  };

  const correct = (held: readonly Draw[]) => {
    const corrected = outbox.correct(held);
    if (corrected.length === 0) return;
    for (const { round } of corrected) {
      replies.delete(round);
      correctedReplies.delete(round);
    }
    correctedAt = now();
    log.warn(
      { rounds: corrected.map((c) => ({ round: c.round, changed: c.changes.map((change) => change.field) })) },
      `alerts: IRCC corrected ${corrected.length} round(s) already announced; their alerts are edited in place`,
    );
    runEditors();
  };

  // A send on the wire when its round was corrected shows the old figures: once it is recorded,
  // the editors look again (a run with nothing owed is one query).
  const observing =
    (observer: AlertSenderOptions['onDelivery']): NonNullable<AlertSenderOptions['onDelivery']> =>
    (platform, outcome) => {
      observer?.(platform, outcome);
      if (outcome === 'sent' && now() - correctedAt < IN_FLIGHT_MS) runEditors();
    };

  return {
    db,
    subscriptions,
    profiles,
    outbox,
    reply,
    correctedReply,
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
      // Corrections published while the bot was off; the pool distribution it starts with.
      correct(draws());
      announcePool(draws());
      for (const sender of senders) sender.wake();
    },
    onDataset(held) {
      try {
        correct(held);
        announcePool(held);
      } catch (error) {
        // The database refused (busy, full): the dataset is still taken; the next one, or the next
        // start's catch-up, compares again.
        log.error({ err: error }, 'alerts: could not check the new dataset for corrected rounds or a new pool distribution');
      }
    },
    async editsSettled() {
      await Promise.all(editors.map((editor) => editor.run()));
    },
    startSender(transport, options = {}) {
      const limiter = options.limiter ?? transport.limiter ?? new RateLimiter({}, now);
      const sender = new AlertSender({
        ...options,
        onDelivery: observing(options.onDelivery ?? onDelivery),
        outbox,
        transport,
        reply,
        limiter,
        log,
        now,
      });
      senders.push(sender);
      sender.start();
      if (transport.edit) {
        const editor = new AlertEditor({ outbox, transport, reply: correctedReply, limiter, log, now, sleep: options.sleep });
        editors.push(editor);
        void editor.run(); // what a previous run left owed
      }
      return sender;
    },
    async close() {
      await Promise.all([...senders.map((sender) => sender.stop()), ...editors.map((editor) => editor.stop())]);
      db.close();
    },
  };
}
