import { randomUUID } from 'node:crypto';
import type { Reply } from '../core/reply.js';
import { personalVerdictLine, poolStandingLine } from '../core/verdict.js';
import { corrections } from '../domain/corrections.js';
import type { Draw } from '../domain/drawSchema.js';
import type { AlertPlatform } from '../domain/subscription.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import type { Storage, Stores } from '../storage/storage.js';
import { AlertEditor } from './alertEditor.js';
import { alertFields, alertReply, previousInCategory } from './alertReply.js';
import { AlertSender, type AlertSenderOptions } from './alertSender.js';
import type { AlertTransport } from './alertTransport.js';
import { isPoolKey, Outbox } from './outbox.js';
import { PacedDispatcher } from './pacedDispatcher.js';
import { poolAlertReply, previousPool } from './poolAlertReply.js';

export interface CreateAlertsOptions {
  /** Where subscriptions, profiles and the outbox are kept (the composition root picks the engine). */
  storage: Storage;
  /**
   * This instance, as it claims deliveries (default: a random id). It must be the only sender on the
   * storage (the instance lock says so): claims left by any other claimant are a dead run's,
   * released at start.
   */
  claimant?: string;
  /** Starts every delivery's idempotency key (Discord's nonce): unique to this install. */
  keyPrefix?: string;
  log: Logger;
  /** Every draw held, newest first (`() => store.current().draws`): alerts compare with the previous one. */
  draws: () => readonly Draw[];
  /** ms since the epoch. */
  now?: () => number;
  /** Told what became of each delivery every sender tries (the bot's metrics). */
  onDelivery?: AlertSenderOptions['onDelivery'];
  /**
   * Several instances: whether this one leads (asked before every send and edit), and the fence each
   * of the outbox's writing transactions runs first (Leadership). None: the only instance.
   */
  leader?: { isLeader(): boolean; fence(stores: Stores): Promise<void> };
  /** Told how many claims of another instance catch-up released (the bot's metrics). */
  onClaimsTakenOver?(count: number): void;
}

export type SenderOptions = Partial<Omit<AlertSenderOptions, 'outbox' | 'transport' | 'reply' | 'log' | 'now'>>;

export interface Alerts {
  storage: Storage;
  outbox: Outbox;
  /** For the feed poller's `onNewDraws`: records the rounds and who gets them, then wakes the senders. Rejects when the store refuses (the poller hands them over again). */
  onNewDraws(draws: readonly Draw[]): Promise<void>;
  /**
   * At start-up, before the poller runs: releases the claims a killed run left (those alerts go
   * again: the only at-least-once window), announces rounds the dataset holds but no alert was
   * recorded for, and corrections and a pool distribution published while the bot was off.
   */
  catchUp(): Promise<void>;
  /**
   * For the feed poller's `onDataset`, with every draw now held: rounds IRCC corrected (cut-off,
   * size, tie-break, date) are stored as corrected, their pending alerts go out so, and the alerts
   * already sent are edited in place with a "corrected" note, never sent again.
   */
  onDataset(draws: readonly Draw[]): void;
  /**
   * Starts draining one platform's outbox (resuming what is pending), paced by the transport's
   * outgoing budget (none: no pacing of our own), and editing its alerts of corrected rounds: both
   * through one dispatcher, so they share the pace, the cap on requests at once (`maxInFlight`) and
   * one request at a time per chat.
   */
  startSender(transport: AlertTransport, options?: SenderOptions): AlertSender;
  /**
   * The alert for a round that was enqueued (cached: one Reply object per round), or, given the
   * chat, that chat's: with its owner's verdict in a private chat whose owner has a profile.
   */
  reply(round: string, to?: { platform: AlertPlatform; chatId: string }): Promise<Reply | undefined>;
  /** The alert for a corrected round, as sent alerts are edited to: with the "corrected" note (and a private chat's verdict). */
  correctedReply(round: string, to?: { platform: AlertPlatform; chatId: string }): Promise<Reply | undefined>;
  /** Resolves once every platform has edited what the corrections so far owe (for tests and tools). */
  editsSettled(): Promise<void>;
  /**
   * Stops the senders and editors, waiting for requests in flight (the storage is the caller's to
   * close). startSender may be called again after (a lead taken again).
   */
  close(): Promise<void>;
}

/** Rounds whose alert is kept in memory; a broadcast rarely spans more than two or three. */
const REPLY_CACHE = 16;
/**
 * How long after a correction a send may still have been on the wire with the figures before it
 * (the transports' request timeout, with margin): such a message is edited once it is recorded.
 */
const IN_FLIGHT_MS = 60_000;

function remember<T>(cache: Map<string, T>, round: string, reply: T): T {
  cache.set(round, reply);
  if (cache.size > REPLY_CACHE) cache.delete(cache.keys().next().value!);
  return reply;
}

/** The alerts engine over the storage: the single thing the composition root needs to wire. */
export function createAlerts({
  storage,
  log,
  draws,
  now = Date.now,
  onDelivery,
  claimant = randomUUID(),
  keyPrefix,
  leader,
  onClaimsTakenOver,
}: CreateAlertsOptions): Alerts {
  const { subscriptions, profiles } = storage;
  const outbox = new Outbox(storage, now, leader?.fence);
  const mayAct = leader && (() => leader.isLeader());
  const senders: AlertSender[] = [];
  const editors: AlertEditor[] = [];
  const replies = new Map<string, Reply>();
  const correctedReplies = new Map<string, Reply>();
  /** Rounds as the outbox holds them: a private chat's alert needs its draw, and one round goes to thousands of chats. */
  const announced = new Map<string, Draw>();
  const drawOf = async (round: string): Promise<Draw | undefined> => {
    const cached = announced.get(round);
    if (cached) return cached;
    const draw = await outbox.draw(round);
    return draw && remember(announced, round, draw);
  };
  let correctedAt = Number.NEGATIVE_INFINITY;

  const generic = async (round: string): Promise<Reply | undefined> => {
    const cached = replies.get(round);
    if (cached) return cached;
    const draw = await drawOf(round);
    if (!draw) return undefined;
    if (isPoolKey(round)) {
      const before = (await outbox.poolBefore(round)) ?? previousPool(draws(), draw.pool!.asOf);
      return remember(replies, round, poolAlertReply(draw, before));
    }
    return remember(replies, round, alertReply(draw, previousInCategory(draws(), draw)));
  };

  /**
   * The alert for one chat: the round's generic alert, plus — in a private chat (or DM) whose owner
   * has a profile, for a draw in their lanes — the owner's verdict. Groups and channels have no
   * owner and stay generic. A lookup or two per delivery, each one indexed statement.
   */
  const personal = async (
    shared: Reply | undefined,
    round: string,
    to?: { platform: AlertPlatform; chatId: string },
  ): Promise<Reply | undefined> => {
    if (!shared || !to) return shared;
    const owner = await subscriptions.owner(to.platform, to.chatId);
    const profile = owner === undefined ? undefined : await profiles.get(to.platform, owner);
    const draw = profile && (await drawOf(round));
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
  const reply = async (round: string, to?: { platform: AlertPlatform; chatId: string }) => personal(await generic(round), round, to);

  const correctedGeneric = async (round: string): Promise<Reply | undefined> => {
    const cached = correctedReplies.get(round);
    if (cached) return cached;
    const draw = await drawOf(round);
    if (!draw) return undefined;
    const first = await outbox.firstDraw(round);
    const note = first ? corrections(first, draw) : [];
    return remember(correctedReplies, round, alertReply(draw, previousInCategory(draws(), draw), note));
  };
  const correctedReply = async (round: string, to?: { platform: AlertPlatform; chatId: string }) =>
    personal(await correctedGeneric(round), round, to);

  /** A new pool distribution goes to the chats that asked for it (the first one seen is only remembered). */
  const announcePool = async (held: readonly Draw[]) => {
    const announced = await outbox.announcePool(held);
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

  const correct = async (held: readonly Draw[]) => {
    const corrected = await outbox.correct(held);
    if (corrected.length === 0) return;
    for (const { round } of corrected) {
      replies.delete(round);
      correctedReplies.delete(round);
      announced.delete(round);
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
    storage,
    outbox,
    reply,
    correctedReply,
    async onNewDraws(newDraws) {
      if (newDraws.length === 0) return;
      const created = await outbox.enqueue(newDraws);
      log.info(
        { rounds: newDraws.map((d) => d.round), deliveries: created },
        `alerts: ${created} message(s) to send for ${newDraws.length} new round(s)`,
      );
      for (const sender of senders) sender.wake();
    },
    async catchUp() {
      const released = await outbox.releaseClaims(claimant);
      if (released > 0) onClaimsTakenOver?.(released);
      if (released > 0)
        log.warn(
          { deliveries: released },
          `alerts: ${released} alert(s) were on the wire when the last run stopped; they are sent again (a chat may see one twice)`,
        );
      const { enqueued, tooOld } = await outbox.catchUp(draws());
      if (enqueued.length > 0)
        log.warn(
          { rounds: enqueued.map((d) => d.round) },
          'alerts: announcing rounds found in the dataset but never enqueued (the bot stopped in between)',
        );
      if (tooOld.length > 0) log.warn({ rounds: tooOld.map((d) => d.round) }, 'alerts: rounds never announced are too old to announce now');
      // Corrections published while the bot was off; the pool distribution it starts with.
      await correct(draws());
      await announcePool(draws());
      for (const sender of senders) sender.wake();
    },
    onDataset(held) {
      const check = async () => {
        await correct(held);
        await announcePool(held);
      };
      check().catch((error: unknown) => {
        // The store refused (busy, full, unreachable): the dataset is still taken; the next one, or
        // the next start's catch-up, compares again.
        log.error({ err: error }, 'alerts: could not check the new dataset for corrected rounds or a new pool distribution');
      });
    },
    async editsSettled() {
      await Promise.all(editors.map((editor) => editor.run()));
    },
    startSender(transport, options = {}) {
      const limiter = options.limiter ?? options.dispatcher?.limiter ?? transport.limiter ?? new RateLimiter({}, now);
      // The sender's and the editor's requests: an edit never goes to a chat whose alert is on the wire, nor the reverse.
      const dispatcher = options.dispatcher ?? new PacedDispatcher({ limiter, maxInFlight: options.maxInFlight, sleep: options.sleep });
      const sender = new AlertSender({
        claimant,
        keyPrefix,
        ...options,
        dispatcher,
        onDelivery: observing(options.onDelivery ?? onDelivery),
        mayAct,
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
        const editor = new AlertEditor({
          outbox,
          transport,
          reply: correctedReply,
          limiter,
          dispatcher,
          log,
          now,
          sleep: options.sleep,
          mayAct,
        });
        editors.push(editor);
        void editor.run(); // what a previous run left owed
      }
      return sender;
    },
    async close() {
      // Forgotten once stopped: a new lead starts senders of its own (startSender again).
      const stopping = [...senders.splice(0).map((sender) => sender.stop()), ...editors.splice(0).map((editor) => editor.stop())];
      await Promise.all(stopping);
    },
  };
}
