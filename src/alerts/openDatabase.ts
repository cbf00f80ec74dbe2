import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type AlertsDatabase = Database.Database;

/**
 * Schema versions, applied in order. A released migration is never edited: a change is a new entry,
 * so a database written by any earlier version of the bot can be brought up to date.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: subscriptions, the outbox, and the rounds it announces.
  `
  CREATE TABLE subscriptions (
    platform   TEXT NOT NULL,
    chat_id    TEXT NOT NULL,              -- text: Discord snowflakes do not fit a double
    category   TEXT NOT NULL,              -- a category slug, or '*' for every draw
    created_at INTEGER NOT NULL,           -- ms since the epoch
    PRIMARY KEY (platform, chat_id, category)
  ) WITHOUT ROWID;
  CREATE INDEX subscriptions_by_category ON subscriptions (category);

  -- The draw as it was announced, so pending alerts survive a restart whatever the dataset holds.
  CREATE TABLE alert_rounds (
    round       TEXT PRIMARY KEY,
    draw        TEXT NOT NULL,             -- the Draw as JSON
    enqueued_at INTEGER NOT NULL
  );

  CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    round           TEXT NOT NULL REFERENCES alert_rounds (round),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'gone', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,   -- failed tries; waits asked by a 429 do not count
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT,
    UNIQUE (platform, chat_id, round)             -- one message per chat and round, whatever happens
  );
  CREATE INDEX deliveries_due ON deliveries (platform, next_attempt_at, id) WHERE status = 'pending';

  -- Small facts the engine keeps between runs (the newest round it has seen).
  CREATE TABLE alert_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: Telegram forum topics: where in the chat its alerts go (the topic /subscribe was sent in);
  // NULL for a chat without topics, or its General topic. Deliveries carry it from their enqueue.
  `
  ALTER TABLE subscriptions ADD COLUMN thread_id TEXT;
  ALTER TABLE deliveries ADD COLUMN thread_id TEXT;
  `,
  // 3: a chat's alerts paused (the bot lost permission to post there, the chat still exists): why,
  // what to do about it (both shown by /subscriptions) and since when; NULL when not paused. The
  // same on every row of the chat; no deliveries are enqueued for it until /subscribe clears them.
  `
  ALTER TABLE subscriptions ADD COLUMN paused_reason TEXT;
  ALTER TABLE subscriptions ADD COLUMN paused_fix TEXT;
  ALTER TABLE subscriptions ADD COLUMN paused_at INTEGER;
  `,
  // 4: personal profiles ("My lanes"): a user's score and lanes, told privately, per platform user
  // (Telegram user id, Discord user id). Never logged; /forget deletes the row.
  `
  CREATE TABLE profiles (
    platform     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    crs          INTEGER NOT NULL CHECK (crs BETWEEN 0 AND 1200),
    categories   TEXT NOT NULL,            -- JSON array of category slugs (the lanes); [] when none named
    submitted_at TEXT,                     -- when the Express Entry profile was submitted (UTC instant): tie-breaks
    time_zone    TEXT,                     -- IANA zone for showing times, e.g. America/Toronto
    updated_at   INTEGER NOT NULL,         -- ms since the epoch
    PRIMARY KEY (platform, user_id)
  ) WITHOUT ROWID;
  `,
  // 5: the platform's id of each alert sent (Telegram message_id, Discord message id), so that an
  // alert can be edited in place when IRCC corrects the round; NULL until sent, or for alerts sent
  // before this version.
  `
  ALTER TABLE deliveries ADD COLUMN message_id TEXT;
  `,
  // 6: IRCC's corrections to a round after its alert went out. alert_rounds.draw becomes the round
  // as corrected, first_draw keeps it as first announced (for the "corrected" note; NULL until a
  // correction) and revision counts the corrections; a delivery's revision is the one its message
  // shows, so each sent alert is edited once per correction.
  `
  ALTER TABLE alert_rounds ADD COLUMN first_draw TEXT;
  ALTER TABLE alert_rounds ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE deliveries ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX deliveries_editable ON deliveries (round, platform) WHERE message_id IS NOT NULL;
  `,
  // 7: whose private chat (or DM) a subscription is: the user who sent /subscribe there, whose
  // profile puts a personal verdict in its alerts. NULL in groups and channels, which stay generic.
  `
  ALTER TABLE subscriptions ADD COLUMN owner_id TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating it and its folder on first start) the alerts database and brings its schema up
 * to date. `:memory:` works for throwaway use.
 */
export function openDatabase(path: string): AlertsDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL: readers never block the writer, and a commit is one append (no rollback journal).
    db.pragma('journal_mode = WAL');
    // NORMAL is durable against the process being killed (what "never two" must survive); only an
    // OS crash or power loss may drop the last commits, which would resend at most those alerts.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: AlertsDatabase): void {
  // IMMEDIATE: two processes starting at once cannot both read version N and both apply N+1.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `the alerts database is at schema version ${current}, newer than this bot knows (${MIGRATIONS.length}); refusing to touch it`,
      );
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1]!);
      // user_version lives in the file header and is written in this same transaction.
      db.pragma(`user_version = ${version}`);
    }
  }).immediate();
}
