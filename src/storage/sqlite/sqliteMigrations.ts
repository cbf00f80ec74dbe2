/**
 * The SQLite schema's versions, applied in order (PRAGMA user_version). A released migration is never
 * edited: a change is a new entry, so a database written by any earlier version of the bot is brought
 * up to date. PostgreSQL's list (../postgres/postgresMigrations.ts) reaches the same tables.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
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
  // 8: claims, and indexes that stay small as deliveries grow. A delivery is claimed (by an
  // instance, at a time) before its request and settled after it, so a crash leaves exactly the
  // requests on the wire claimed. The table is rebuilt because its UNIQUE key changes order: keyed
  // by (platform, round, chat), a new round's rows are appended in one place, where (platform,
  // chat, round) scattered them over the whole index (a year of rows: one enqueue dirtied most of
  // it). Lookups by chat use two partial indexes instead: pending rows (small: the broadcast under
  // way) and settled ones (a row enters it when its answer is recorded). Settled rows are pruned
  // after the retention by their enqueue time. A round's category ('pool' for a pool alert), so
  // that /unsubscribe cancels what is still pending for what the chat no longer wants.
  `
  CREATE TABLE deliveries_v8 (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    round           TEXT NOT NULL REFERENCES alert_rounds (round),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'gone', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT,
    thread_id       TEXT,
    message_id      TEXT,
    revision        INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT,
    claimed_at      INTEGER,
    UNIQUE (platform, round, chat_id)
  );
  INSERT INTO deliveries_v8 (id, platform, chat_id, round, status, attempts, next_attempt_at, created_at, sent_at, last_error,
                             thread_id, message_id, revision)
    SELECT id, platform, chat_id, round, status, attempts, next_attempt_at, created_at, sent_at, last_error,
           thread_id, message_id, revision FROM deliveries;
  DROP TABLE deliveries;
  ALTER TABLE deliveries_v8 RENAME TO deliveries;
  CREATE INDEX deliveries_due ON deliveries (platform, next_attempt_at, id) WHERE status = 'pending';
  CREATE INDEX deliveries_pending_by_chat ON deliveries (platform, chat_id) WHERE status = 'pending';
  CREATE INDEX deliveries_settled_by_chat ON deliveries (platform, chat_id) WHERE status <> 'pending';
  CREATE INDEX deliveries_settled ON deliveries (created_at) WHERE status <> 'pending';
  CREATE INDEX deliveries_editable ON deliveries (round, platform, revision) WHERE message_id IS NOT NULL;
  CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE claimed_by IS NOT NULL;

  ALTER TABLE alert_rounds ADD COLUMN category TEXT;
  UPDATE alert_rounds SET category = CASE WHEN round LIKE 'pool:%' THEN 'pool' ELSE json_extract(draw, '$.category') END;
  CREATE INDEX subscriptions_by_owner ON subscriptions (platform, owner_id) WHERE owner_id IS NOT NULL;

  -- The live sync's dataset, one row (a SQLite bot keeps DATA_DIR/draws.json; npm run db:copy moves it here).
  CREATE TABLE dataset (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 9: several instances. The leader lease (one row per lease name: who holds it, its epoch — the
  // fencing token every leader write checks — and until when, on the database's clock); the instances
  // alive (heartbeats: the send budget is shared out among them); the Telegram updates already taken
  // (webhook mode: a redelivered update is answered once). Tables only: a bot of version 8 still runs.
  `
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    epoch       INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,  -- ms since the epoch, database clock
    acquired_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE instances (
    id         TEXT PRIMARY KEY,
    seen_at    INTEGER NOT NULL,
    started_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE seen_updates (
    key     TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX seen_updates_by_time ON seen_updates (seen_at);
  `,
];
