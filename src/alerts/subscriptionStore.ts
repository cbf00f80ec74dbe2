import { CATEGORY_SLUGS, type CategorySlug } from '../domain/drawSchema.js';
import type { AlertsDatabase } from './openDatabase.js';

/** The platform's name ('telegram', 'discord'), as rows are keyed by it. */
export type AlertPlatform = string;

/** What a chat receives: every draw, some categories, or nothing (`[]`). */
export type Subscription = 'all' | CategorySlug[];

/** Why a chat's alerts are paused (the bot may not post there for now), what to do, and since when (ms since the epoch). */
export interface Pause {
  reason: string;
  fix?: string;
  at: number;
}

/** The row that stands for "every draw". */
const ALL = '*';
/** The row of a chat that asked for pool-distribution alerts (/subscribe pool): not a draw category. */
export const POOL = 'pool';
const KNOWN: ReadonlySet<string> = new Set(CATEGORY_SLUGS);

/**
 * Which chats want which alerts: a row per (platform, chat, category), or one '*' row for every
 * draw. A chat never holds '*' beside category rows, so `list` needs no interpretation.
 */
export class SubscriptionStore {
  private readonly insert;
  private readonly deleteOne;
  private readonly deleteChat;
  private readonly select;
  private readonly countChats;
  private readonly copyChat;
  private readonly deleteCategories;
  private readonly setThread;
  private readonly selectThread;
  private readonly setPause;
  private readonly selectPause;
  private readonly deleteDraws;
  private readonly selectPool;
  private readonly setOwner;
  private readonly selectOwner;

  constructor(
    private readonly db: AlertsDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare<[AlertPlatform, string, string, number]>(
      'INSERT OR IGNORE INTO subscriptions (platform, chat_id, category, created_at) VALUES (?, ?, ?, ?)',
    );
    this.deleteOne = db.prepare<[AlertPlatform, string, string]>(
      'DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND category = ?',
    );
    this.deleteChat = db.prepare<[AlertPlatform, string]>('DELETE FROM subscriptions WHERE platform = ? AND chat_id = ?');
    this.select = db
      .prepare<[AlertPlatform, string], string>('SELECT category FROM subscriptions WHERE platform = ? AND chat_id = ? ORDER BY category')
      .pluck();
    this.countChats = db.prepare<[AlertPlatform], number>('SELECT COUNT(DISTINCT chat_id) FROM subscriptions WHERE platform = ?').pluck();
    this.copyChat = db.prepare<[string, AlertPlatform, string]>(
      `INSERT OR IGNORE INTO subscriptions (platform, chat_id, category, created_at, thread_id, paused_reason, paused_fix, paused_at, owner_id)
       SELECT platform, ?, category, created_at, thread_id, paused_reason, paused_fix, paused_at, owner_id
       FROM subscriptions WHERE platform = ? AND chat_id = ?`,
    );
    this.deleteCategories = db.prepare<[AlertPlatform, string]>(
      `DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND category NOT IN ('${ALL}', '${POOL}')`,
    );
    this.setThread = db.prepare<[string | null, AlertPlatform, string]>(
      'UPDATE subscriptions SET thread_id = ? WHERE platform = ? AND chat_id = ?',
    );
    this.selectThread = db
      .prepare<[AlertPlatform, string], string | null>('SELECT thread_id FROM subscriptions WHERE platform = ? AND chat_id = ? LIMIT 1')
      .pluck();
    this.setPause = db.prepare<[string | null, string | null, number | null, AlertPlatform, string]>(
      'UPDATE subscriptions SET paused_reason = ?, paused_fix = ?, paused_at = ? WHERE platform = ? AND chat_id = ?',
    );
    // Every row but the pool one: what "every draw" replaces, and what narrowing it rewrites.
    this.deleteDraws = db.prepare<[AlertPlatform, string]>(
      `DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND category <> '${POOL}'`,
    );
    this.selectPool = db
      .prepare<[AlertPlatform, string], number>(`SELECT 1 FROM subscriptions WHERE platform = ? AND chat_id = ? AND category = '${POOL}'`)
      .pluck();
    this.setOwner = db.prepare<[string | null, AlertPlatform, string]>(
      'UPDATE subscriptions SET owner_id = ? WHERE platform = ? AND chat_id = ?',
    );
    this.selectOwner = db
      .prepare<[AlertPlatform, string], string | null>('SELECT owner_id FROM subscriptions WHERE platform = ? AND chat_id = ? LIMIT 1')
      .pluck();
    this.selectPause = db.prepare<[AlertPlatform, string], { reason: string; fix: string | null; at: number }>(
      `SELECT paused_reason AS reason, paused_fix AS fix, paused_at AS at FROM subscriptions
       WHERE platform = ? AND chat_id = ? AND paused_at IS NOT NULL LIMIT 1`,
    );
  }

  /**
   * Adds categories, or every draw. A chat that already gets every draw keeps that: asking for
   * one category more changes nothing (to narrow down, unsubscribe all first). Returns the result.
   * `threadId`: the forum topic it was asked in; the chat's alerts go there from now on (all of
   * them: the last topic asked in wins; none, a chat without topics or its General topic).
   * Asking again is also how a paused chat resumes: the pause is cleared. `ownerId`: the user whose
   * private chat (or DM) this is, whose profile makes its alerts personal; none in a shared chat.
   */
  subscribe(
    platform: AlertPlatform,
    chatId: string,
    categories: readonly CategorySlug[] | 'all',
    threadId?: string,
    ownerId?: string,
  ): Subscription {
    return this.db
      .transaction(() => {
        const current = this.list(platform, chatId);
        if (current !== 'all') {
          const at = this.now();
          if (categories === 'all') {
            this.deleteDraws.run(platform, chatId);
            this.insert.run(platform, chatId, ALL, at);
          } else {
            for (const category of categories) this.insert.run(platform, chatId, category, at);
          }
        }
        this.setThread.run(threadId ?? null, platform, chatId);
        this.setOwner.run(ownerId ?? null, platform, chatId);
        this.setPause.run(null, null, null, platform, chatId);
        return this.list(platform, chatId);
      })
      .immediate();
  }

  /**
   * The bot may not post in the chat for now: it keeps its subscription, but gets no alerts until
   * someone sends /subscribe there again. A chat without a subscription is left as it is.
   */
  pause(platform: AlertPlatform, chatId: string, pause: Pause): void {
    this.setPause.run(pause.reason, pause.fix ?? null, pause.at, platform, chatId);
  }

  /** Why and since when the chat's alerts are paused; undefined when they are not. */
  paused(platform: AlertPlatform, chatId: string): Pause | undefined {
    const row = this.selectPause.get(platform, chatId);
    if (!row) return undefined;
    return row.fix === null ? { reason: row.reason, at: row.at } : { reason: row.reason, fix: row.fix, at: row.at };
  }

  /** The forum topic the chat's alerts go to; undefined for the chat itself (or no subscription). */
  thread(platform: AlertPlatform, chatId: string): string | undefined {
    return this.selectThread.get(platform, chatId) ?? undefined;
  }

  /**
   * Pool-distribution alerts for the chat, beside whatever draw alerts it has (none included): a
   * message when IRCC publishes a new distribution of the pool. The thread, owner and pause are
   * the chat's, as for /subscribe.
   */
  subscribePool(platform: AlertPlatform, chatId: string, threadId?: string, ownerId?: string): void {
    this.db
      .transaction(() => {
        this.insert.run(platform, chatId, POOL, this.now());
        this.setThread.run(threadId ?? null, platform, chatId);
        this.setOwner.run(ownerId ?? null, platform, chatId);
        this.setPause.run(null, null, null, platform, chatId);
      })
      .immediate();
  }

  /** Stops the chat's pool alerts; returns whether it had them. Its draw alerts stay. */
  unsubscribePool(platform: AlertPlatform, chatId: string): boolean {
    return this.deleteOne.run(platform, chatId, POOL).changes > 0;
  }

  /** Whether the chat gets pool-distribution alerts. */
  hasPool(platform: AlertPlatform, chatId: string): boolean {
    return this.selectPool.get(platform, chatId) !== undefined;
  }

  /** The user whose private chat (or DM) this subscription is, if it is one. */
  owner(platform: AlertPlatform, chatId: string): string | undefined {
    return this.selectOwner.get(platform, chatId) ?? undefined;
  }

  /**
   * Removes categories, or everything. Removing a category from "every draw" leaves every other
   * category (what the user asked: everything but that), so the '*' row becomes one row per slug.
   */
  unsubscribe(platform: AlertPlatform, chatId: string, categories: readonly CategorySlug[] | 'all'): Subscription {
    return this.db
      .transaction(() => {
        if (categories === 'all') {
          this.deleteChat.run(platform, chatId);
          return [];
        }
        if (this.list(platform, chatId) === 'all') {
          const at = this.now();
          const thread = this.thread(platform, chatId);
          const owner = this.owner(platform, chatId);
          const pause = this.paused(platform, chatId);
          this.deleteDraws.run(platform, chatId);
          for (const slug of CATEGORY_SLUGS) if (!categories.includes(slug)) this.insert.run(platform, chatId, slug, at);
          this.setThread.run(thread ?? null, platform, chatId);
          this.setOwner.run(owner ?? null, platform, chatId);
          if (pause) this.pause(platform, chatId, pause);
        } else {
          for (const category of categories) this.deleteOne.run(platform, chatId, category);
        }
        return this.list(platform, chatId);
      })
      .immediate();
  }

  /** 'all', the categories (sorted), or [] when the chat gets nothing. */
  list(platform: AlertPlatform, chatId: string): Subscription {
    const rows = this.select.all(platform, chatId);
    if (rows.includes(ALL)) return 'all';
    // A slug a later version dropped would mean nothing to the caller; enqueue still matches it.
    return rows.filter((row): row is CategorySlug => KNOWN.has(row));
  }

  /** The chat is gone (bot blocked or kicked, channel deleted). */
  removeChat(platform: AlertPlatform, chatId: string): void {
    this.deleteChat.run(platform, chatId);
  }

  /**
   * The chat changed id (a Telegram group upgraded to a supergroup). What the old id had is merged
   * into what the new one may already have; '*' on either side wins.
   */
  moveChat(platform: AlertPlatform, fromId: string, toId: string): void {
    if (fromId === toId) return;
    this.db
      .transaction(() => {
        this.copyChat.run(toId, platform, fromId);
        this.deleteChat.run(platform, fromId);
        if (this.list(platform, toId) === 'all') this.deleteCategories.run(platform, toId);
      })
      .immediate();
  }

  /** How many chats of the platform get at least one kind of alert. */
  count(platform: AlertPlatform): number {
    return this.countChats.get(platform) ?? 0;
  }
}
