import { CATEGORY_SLUGS, type CategorySlug } from '../domain/drawSchema.js';
import type { AlertPlatform, Pause, Subscription } from '../domain/subscription.js';
import { atomically } from './atomically.js';
import type { SqlExecutor } from './sqlDatabase.js';
import { ALL, cancelUnwanted, POOL } from './subscriptionRows.js';

const KNOWN: ReadonlySet<string> = new Set(CATEGORY_SLUGS);

/** Which chats want which alerts. */
export interface SubscriptionStore {
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
  ): Promise<Subscription>;
  /**
   * Removes categories, or everything. Removing a category from "every draw" leaves every other
   * category (what the user asked: everything but that). Alerts still pending for what was removed
   * are cancelled.
   */
  unsubscribe(platform: AlertPlatform, chatId: string, categories: readonly CategorySlug[] | 'all'): Promise<Subscription>;
  /** 'all', the categories (sorted), or [] when the chat gets nothing. */
  list(platform: AlertPlatform, chatId: string): Promise<Subscription>;
  /**
   * Pool-distribution alerts for the chat, beside whatever draw alerts it has (none included). The
   * thread, owner and pause are the chat's, as for subscribe.
   */
  subscribePool(platform: AlertPlatform, chatId: string, threadId?: string, ownerId?: string): Promise<void>;
  /** Stops the chat's pool alerts (pending ones cancelled); returns whether it had them. Its draw alerts stay. */
  unsubscribePool(platform: AlertPlatform, chatId: string): Promise<boolean>;
  /** Whether the chat gets pool-distribution alerts. */
  hasPool(platform: AlertPlatform, chatId: string): Promise<boolean>;
  /** The user whose private chat (or DM) this subscription is, if it is one. */
  owner(platform: AlertPlatform, chatId: string): Promise<string | undefined>;
  /** The forum topic the chat's alerts go to; undefined for the chat itself (or no subscription). */
  thread(platform: AlertPlatform, chatId: string): Promise<string | undefined>;
  /**
   * The bot may not post in the chat for now: it keeps its subscription, but gets no alerts until
   * someone sends /subscribe there again. A chat without a subscription is left as it is.
   */
  pause(platform: AlertPlatform, chatId: string, pause: Pause): Promise<void>;
  /** Why and since when the chat's alerts are paused; undefined when they are not. */
  paused(platform: AlertPlatform, chatId: string): Promise<Pause | undefined>;
  /** The chat is gone (bot blocked or kicked, channel deleted), or its owner asked to be forgotten; whether it had any alert. */
  removeChat(platform: AlertPlatform, chatId: string): Promise<boolean>;
  /** The private chats (or DMs) whose subscription the user owns. */
  ownedBy(platform: AlertPlatform, userId: string): Promise<string[]>;
  /**
   * The chat changed id (a Telegram group upgraded to a supergroup). What the old id had is merged
   * into what the new one may already have; '*' on either side wins.
   */
  moveChat(platform: AlertPlatform, fromId: string, toId: string): Promise<void>;
  /** How many chats of the platform get at least one kind of alert. */
  count(platform: AlertPlatform): Promise<number>;
}

/**
 * A row per (platform, chat, category), or one '*' row for every draw: a chat never holds '*'
 * beside category rows, so `list` needs no interpretation. The pool row stands beside either.
 */
export class SqlSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe(
    platform: AlertPlatform,
    chatId: string,
    categories: readonly CategorySlug[] | 'all',
    threadId?: string,
    ownerId?: string,
  ): Promise<Subscription> {
    return atomically(this.sql, async (tx) => {
      const store = new SqlSubscriptionStore(tx, this.now);
      const current = await store.list(platform, chatId);
      if (current !== 'all') {
        const at = this.now();
        if (categories === 'all') {
          await store.deleteDraws(platform, chatId);
          await store.insert(platform, chatId, ALL, at);
        } else {
          for (const category of categories) await store.insert(platform, chatId, category, at);
        }
      }
      await store.setChat(platform, chatId, threadId, ownerId);
      return store.list(platform, chatId);
    });
  }

  unsubscribe(platform: AlertPlatform, chatId: string, categories: readonly CategorySlug[] | 'all'): Promise<Subscription> {
    return atomically(this.sql, async (tx) => {
      const store = new SqlSubscriptionStore(tx, this.now);
      if (categories === 'all') {
        await store.removeChat(platform, chatId);
        await cancelUnwanted(tx, platform, chatId);
        return [];
      }
      if ((await store.list(platform, chatId)) === 'all') {
        const at = this.now();
        const thread = await store.thread(platform, chatId);
        const owner = await store.owner(platform, chatId);
        const pause = await store.paused(platform, chatId);
        await store.deleteDraws(platform, chatId);
        for (const slug of CATEGORY_SLUGS) if (!categories.includes(slug)) await store.insert(platform, chatId, slug, at);
        await store.setChat(platform, chatId, thread, owner);
        if (pause) await store.pause(platform, chatId, pause);
      } else {
        for (const category of categories) await store.deleteOne(platform, chatId, category);
      }
      await cancelUnwanted(tx, platform, chatId);
      return store.list(platform, chatId);
    });
  }

  async list(platform: AlertPlatform, chatId: string): Promise<Subscription> {
    const rows = await this.sql.all<{ category: string }>(
      'SELECT category FROM subscriptions WHERE platform = ? AND chat_id = ? ORDER BY category',
      [platform, chatId],
    );
    if (rows.some((row) => row.category === ALL)) return 'all';
    // A slug a later version dropped would mean nothing to the caller; enqueue still matches it.
    return rows.map((row) => row.category).filter((row): row is CategorySlug => KNOWN.has(row));
  }

  subscribePool(platform: AlertPlatform, chatId: string, threadId?: string, ownerId?: string): Promise<void> {
    return atomically(this.sql, async (tx) => {
      const store = new SqlSubscriptionStore(tx, this.now);
      await store.insert(platform, chatId, POOL, this.now());
      await store.setChat(platform, chatId, threadId, ownerId);
    });
  }

  unsubscribePool(platform: AlertPlatform, chatId: string): Promise<boolean> {
    return atomically(this.sql, async (tx) => {
      const had = (await new SqlSubscriptionStore(tx, this.now).deleteOne(platform, chatId, POOL)) > 0;
      await cancelUnwanted(tx, platform, chatId);
      return had;
    });
  }

  async hasPool(platform: AlertPlatform, chatId: string): Promise<boolean> {
    const row = await this.sql.get('SELECT 1 AS one FROM subscriptions WHERE platform = ? AND chat_id = ? AND category = ?', [
      platform,
      chatId,
      POOL,
    ]);
    return row !== undefined;
  }

  async owner(platform: AlertPlatform, chatId: string): Promise<string | undefined> {
    return (await this.chatColumn<string>('owner_id', platform, chatId)) ?? undefined;
  }

  async thread(platform: AlertPlatform, chatId: string): Promise<string | undefined> {
    return (await this.chatColumn<string>('thread_id', platform, chatId)) ?? undefined;
  }

  async pause(platform: AlertPlatform, chatId: string, pause: Pause): Promise<void> {
    await this.setPause(platform, chatId, pause);
  }

  async paused(platform: AlertPlatform, chatId: string): Promise<Pause | undefined> {
    const row = await this.sql.get<{ reason: string; fix: string | null; at: number }>(
      `SELECT paused_reason AS reason, paused_fix AS fix, paused_at AS at FROM subscriptions
       WHERE platform = ? AND chat_id = ? AND paused_at IS NOT NULL LIMIT 1`,
      [platform, chatId],
    );
    if (!row) return undefined;
    return row.fix === null ? { reason: row.reason, at: row.at } : { reason: row.reason, fix: row.fix, at: row.at };
  }

  async removeChat(platform: AlertPlatform, chatId: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM subscriptions WHERE platform = ? AND chat_id = ?', [platform, chatId])) > 0;
  }

  async ownedBy(platform: AlertPlatform, userId: string): Promise<string[]> {
    const rows = await this.sql.all<{ chatId: string }>(
      'SELECT DISTINCT chat_id AS "chatId" FROM subscriptions WHERE platform = ? AND owner_id = ?',
      [platform, userId],
    );
    return rows.map((row) => row.chatId);
  }

  moveChat(platform: AlertPlatform, fromId: string, toId: string): Promise<void> {
    if (fromId === toId) return Promise.resolve();
    return atomically(this.sql, async (tx) => {
      const store = new SqlSubscriptionStore(tx, this.now);
      await tx.run(
        `INSERT INTO subscriptions (platform, chat_id, category, created_at, thread_id, paused_reason, paused_fix, paused_at, owner_id)
         SELECT platform, ?, category, created_at, thread_id, paused_reason, paused_fix, paused_at, owner_id
         FROM subscriptions WHERE platform = ? AND chat_id = ?
         ON CONFLICT DO NOTHING`,
        [toId, platform, fromId],
      );
      await store.removeChat(platform, fromId);
      if ((await store.list(platform, toId)) === 'all') {
        await tx.run('DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND category NOT IN (?, ?)', [
          platform,
          toId,
          ALL,
          POOL,
        ]);
      }
    });
  }

  async count(platform: AlertPlatform): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(DISTINCT chat_id) AS n FROM subscriptions WHERE platform = ?', [platform]);
    return row?.n ?? 0;
  }

  private insert(platform: AlertPlatform, chatId: string, category: string, at: number): Promise<number> {
    return this.sql.run('INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      platform,
      chatId,
      category,
      at,
    ]);
  }

  private deleteOne(platform: AlertPlatform, chatId: string, category: string): Promise<number> {
    return this.sql.run('DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND category = ?', [platform, chatId, category]);
  }

  /** Every row but the pool one: what "every draw" replaces, and what narrowing it rewrites. */
  private deleteDraws(platform: AlertPlatform, chatId: string): Promise<number> {
    return this.sql.run('DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND category <> ?', [platform, chatId, POOL]);
  }

  /** The topic and owner asked from, on every row of the chat; asking clears a pause. */
  private async setChat(platform: AlertPlatform, chatId: string, threadId: string | undefined, ownerId: string | undefined) {
    await this.sql.run(
      `UPDATE subscriptions SET thread_id = ?, owner_id = ?, paused_reason = NULL, paused_fix = NULL, paused_at = NULL
       WHERE platform = ? AND chat_id = ?`,
      [threadId ?? null, ownerId ?? null, platform, chatId],
    );
  }

  private async setPause(platform: AlertPlatform, chatId: string, pause: Pause): Promise<void> {
    await this.sql.run('UPDATE subscriptions SET paused_reason = ?, paused_fix = ?, paused_at = ? WHERE platform = ? AND chat_id = ?', [
      pause.reason,
      pause.fix ?? null,
      Math.round(pause.at), // whole ms, as every instant in the store
      platform,
      chatId,
    ]);
  }

  private async chatColumn<T>(column: 'owner_id' | 'thread_id', platform: AlertPlatform, chatId: string): Promise<T | null | undefined> {
    const row = await this.sql.get<{ value: T | null }>(
      `SELECT ${column} AS value FROM subscriptions WHERE platform = ? AND chat_id = ? LIMIT 1`,
      [platform, chatId],
    );
    return row?.value;
  }
}
