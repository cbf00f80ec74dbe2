import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlertTransport } from '../alerts/alertTransport.js';
import type { Config } from '../config.js';
import type { PlatformDeps } from './platformDeps.js';

/** A platform's own view of its connection. */
export interface PlatformHealth {
  ok: boolean;
  /** Why not, in a few words: "polling stopped", "gateway not ready (shard 0 connecting)". */
  reason?: string;
}

/**
 * More paths for a platform's own HTTP server (Telegram's webhook server): the app's /healthz and
 * /metrics. Returns true when it answers the request; otherwise the server answers 404.
 */
export type HttpRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the composition root gives every platform it starts. */
export interface PlatformContext {
  deps: PlatformDeps;
  /** Served beside the platform's own HTTP endpoints, if it has any. */
  routes?: HttpRoutes;
  /** Whether this instance leads right now (several instances on one store; always true on SQLite). */
  isLeader(): boolean;
  /**
   * Whether other instances may run beside this one (PostgreSQL); false when the store makes it the
   * only one (SQLite's DATA_DIR lock).
   */
  shared: boolean;
  /**
   * A secret for `purpose`, the same on every instance of this install (derived from the store's
   * install secret), never the install secret itself: e.g. Telegram's webhook secret when none is
   * configured, which every instance behind the balancer must share.
   */
  installSecret(purpose: string): string;
}

/** A started platform, as the app keeps it. */
export interface RunningPlatform {
  name: string;
  /** Stops receiving, then lets answers in progress finish. */
  stop(): Promise<void>;
  /** Whether it is connected (or, on a follower, ready to be). */
  health(): PlatformHealth;
  /** Its alert transport: used by the leader alone. */
  alerts?: AlertTransport;
  /** The port its own HTTP server listens on (Telegram's webhook server). */
  port?: number;
  /**
   * Work only the leader may do on this platform (Telegram's long polling: two getUpdates at once
   * are refused): started when this instance takes the lead, stopped when it loses it.
   */
  lead?: { start(): Promise<void>; stop(): Promise<void> };
  /** Each instance's share of the token's outgoing budget (1 alone; 1/N when N instances all answer). */
  setBudgetShare?(share: number): void;
  /** Sends nothing for `ms` (what is asked meanwhile waits its turn): a newcomer, until the others have counted it. */
  holdSends?(ms: number): void;
}

/**
 * One platform, as the composition root sees it: adding a platform is a folder exporting one of
 * these, and a line in src/app/platforms.ts.
 */
export interface PlatformModule<C = unknown, Checked = unknown> {
  name: string;
  /** Its part of the config: set when its token is. */
  configOf(config: Config): C | undefined;
  /** The token and API checked (within 10 s, one line naming the variables when refused), before anything is written. */
  check(config: C): Promise<Checked>;
  start(config: C, context: PlatformContext, checked: Checked): Promise<RunningPlatform>;
  /**
   * Whether every instance receives this platform's updates (webhooks, gateway shards) rather than
   * the leader alone (long polling): then the instances share the send budget.
   */
  everyInstanceAnswers(config: C): boolean;
}
