import { randomBytes } from 'node:crypto';
import type { DatasetStore } from '../domain/datasetStore.js';
import type { AlertPlatform } from '../domain/subscription.js';
import { type DeliveryStore, SqlDeliveryStore } from './deliveryStore.js';
import { type LeaseStore, SqlLeaseStore } from './leaseStore.js';
import { type ProfileStore, SqlProfileStore } from './profileStore.js';
import { type RoundStore, SqlRoundStore } from './roundStore.js';
import type { Engine, SqlDatabase, SqlExecutor } from './sqlDatabase.js';
import { SqlDatasetStore } from './sqlDatasetStore.js';
import { SqlStateStore, type StateStore } from './stateStore.js';
import { SqlSubscriptionStore, type SubscriptionStore } from './subscriptionStore.js';
import { SqlUpdateStore, type UpdateStore } from './updateStore.js';

/** Everything the bot keeps, one store per kind of thing. */
export interface Stores {
  subscriptions: SubscriptionStore;
  profiles: ProfileStore;
  /** The alerts owed (the queue the senders drain). */
  deliveries: DeliveryStore;
  /** The rounds announced, and IRCC's corrections to them. */
  rounds: RoundStore;
  state: StateStore;
  /** The live sync's dataset (the composition root uses it on PostgreSQL; SQLite keeps a file). */
  dataset: DatasetStore;
  /** The leader lease and the instances alive. */
  leases: LeaseStore;
  /** The platform updates taken (webhook mode): a redelivered one is answered once, by one instance. */
  updates: UpdateStore;
}

/** What /forget deleted. */
export interface Forgotten {
  profile: boolean;
  /** Chats whose subscriptions were deleted (every delivery naming them went too, as did those of the chats given). */
  chats: number;
}

/** The stores on one engine, and what spans them. */
export interface Storage extends Stores {
  readonly engine: Engine;
  /** The stores inside one transaction: all of `work`'s changes, or none. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  /**
   * Everything stored about a user, in one transaction: their profile, and their private chats'
   * alerts — `privateChatIds` (the one-to-one chat /forget was sent in) and every chat whose
   * subscription they own — with every delivery row naming those chats, pending ones included.
   */
  forget(platform: AlertPlatform, userId: string, privateChatIds: readonly string[]): Promise<Forgotten>;
  /**
   * This install's secret (made at the first call, then kept in the store): keys the chat-id hashes
   * in the logs, so that they cannot be reversed by trying every id.
   */
  secret(): Promise<string>;
  close(): Promise<void>;
}

const SECRET = 'install_secret';

function storesOn(sql: SqlExecutor, now: () => number): Stores {
  return {
    subscriptions: new SqlSubscriptionStore(sql, now),
    profiles: new SqlProfileStore(sql, now),
    deliveries: new SqlDeliveryStore(sql),
    rounds: new SqlRoundStore(sql),
    state: new SqlStateStore(sql),
    dataset: new SqlDatasetStore(sql, now),
    leases: new SqlLeaseStore(sql),
    updates: new SqlUpdateStore(sql),
  };
}

/** The stores over an engine's database (the engine folders open it); `now` in ms since the epoch. */
export function createStorage(db: SqlDatabase, now: () => number = Date.now): Storage {
  const transaction = <T>(work: (stores: Stores) => Promise<T>) => db.transaction((tx) => work(storesOn(tx, now)));
  return {
    ...storesOn(db, now),
    engine: db.engine,
    transaction,
    forget: (platform, userId, privateChatIds) =>
      transaction(async (stores) => {
        const chats = new Set([...privateChatIds, ...(await stores.subscriptions.ownedBy(platform, userId))]);
        let cleared = 0;
        for (const chatId of chats) {
          if (await stores.subscriptions.removeChat(platform, chatId)) cleared++;
          await stores.deliveries.forgetChat(platform, chatId);
        }
        return { profile: await stores.profiles.forget(platform, userId), chats: cleared };
      }),
    // Insert-if-absent, then read: two instances making it at once agree on the first one written.
    secret: () => new SqlStateStore(db).setOnce(SECRET, randomBytes(32).toString('hex')),
    close: () => db.close(),
  };
}
