import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatabaseInUseError, lockPostgres } from '../../../src/storage/postgres/lockPostgres.js';
import { postgresSchemaVersion } from '../../../src/storage/postgres/migratePostgres.js';
import { openPostgres, type PostgresDatabase } from '../../../src/storage/postgres/openPostgres.js';
import { ADDITIVE_MIGRATIONS, POSTGRES_MIGRATIONS } from '../../../src/storage/postgres/postgresMigrations.js';
import { SchemaTooNewError } from '../../../src/storage/schemaTooNewError.js';
import { openSqlite } from '../../../src/storage/sqlite/openSqlite.js';
import { describePostgres, freshDatabaseUrl } from '../postgresTestDatabase.js';

/** Databases and pools a test made, dropped and closed after it whatever it asserted. */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fresh(): Promise<string> {
  const { url, drop } = await freshDatabaseUrl();
  cleanups.push(drop);
  return url;
}

async function open(url: string, options?: Parameters<typeof openPostgres>[1]): Promise<PostgresDatabase> {
  const db = await openPostgres(url, options);
  cleanups.push(() => db.close());
  return db;
}

/** Runs one statement on a connection of its own, outside the pool under test. */
async function outside<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describePostgres('openPostgres: the schema', () => {
  it('creates the tables, at the newest version', async () => {
    const db = await open(await fresh());
    const tables = await db.all<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'alert_rounds',
      'alert_state',
      'dataset',
      'deliveries',
      'instances',
      'leases',
      'profiles',
      'schema_migrations',
      'seen_updates',
      'subscriptions',
    ]);
    const columns = await db.all<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'deliveries' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'platform',
      'chat_id',
      'round',
      'status',
      'attempts',
      'next_attempt_at',
      'created_at',
      'sent_at',
      'last_error',
      'thread_id',
      'message_id',
      'revision',
      'claimed_by',
      'claimed_at',
    ]);
    const indexes = await db.all<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'deliveries' AND indexdef LIKE '% WHERE %' ORDER BY indexname",
    );
    // The same partial indexes as SQLite's schema: the shared SQL is planned on both.
    const sqlite = openSqlite(':memory:');
    const sqliteIndexes = sqlite.raw
      .prepare<[], string>(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND sql LIKE '% WHERE %' ORDER BY name`,
      )
      .pluck()
      .all();
    await sqlite.close();
    expect(indexes.map((i) => i.indexname)).toEqual(sqliteIndexes);
    expect(sqliteIndexes).toContain('deliveries_pending_by_chat');
    expect(await postgresSchemaVersion(db)).toBe(POSTGRES_MIGRATIONS.length);
  });

  it("enforces the constraints SQLite does (but deliveries' round key: the store writes the round first)", async () => {
    const db = await open(await fresh());
    await expect(db.run("INSERT INTO profiles VALUES ('telegram', '1', 1300, '[]', NULL, NULL, 0)")).rejects.toThrow(/check/);
    await db.run("INSERT INTO alert_rounds (round, draw, enqueued_at) VALUES ('300', '{}', 0)");
    await expect(
      db.run(
        "INSERT INTO deliveries (platform, chat_id, round, status, next_attempt_at, created_at) VALUES ('t', '1', '300', 'lost', 0, 0)",
      ),
    ).rejects.toThrow(/check/);
    // BY DEFAULT: an explicit id (a copy from SQLite) is kept.
    await db.run("INSERT INTO deliveries (id, platform, chat_id, round, next_attempt_at, created_at) VALUES (41, 't', '1', '300', 0, 0)");
    expect(await db.get('SELECT id FROM deliveries')).toEqual({ id: 41 });
  });

  it('reopening is a no-op', async () => {
    const url = await fresh();
    await (await openPostgres(url)).close();
    const db = await open(url);
    expect(await postgresSchemaVersion(db)).toBe(POSTGRES_MIGRATIONS.length);
    expect(await db.get('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual({ n: POSTGRES_MIGRATIONS.length });
  });

  it('two bots starting at once on an empty database both open it, migrated once', async () => {
    const url = await fresh();
    const [a, b] = await Promise.all([open(url), open(url)]);
    expect(await postgresSchemaVersion(a)).toBe(POSTGRES_MIGRATIONS.length);
    expect(await postgresSchemaVersion(b)).toBe(POSTGRES_MIGRATIONS.length);
    expect(await a.get('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual({ n: POSTGRES_MIGRATIONS.length });
  });

  it('refuses a database a newer bot migrated', async () => {
    const url = await fresh();
    const newer = POSTGRES_MIGRATIONS.length + 1;
    const db = await openPostgres(url);
    await db.run('INSERT INTO schema_migrations (version) VALUES (?)', [newer]);
    await db.close();
    const refused = openPostgres(url);
    await expect(refused).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(refused).rejects.toThrow(`schema version ${newer}, newer than this bot knows (${POSTGRES_MIGRATIONS.length})`);
  });

  it('starts beside a newer schema whose versions it does not know are all additive (an upgrade rolling through)', async () => {
    const url = await fresh();
    const newer = POSTGRES_MIGRATIONS.length + 1;
    const db = await openPostgres(url);
    await db.run('INSERT INTO schema_migrations (version, older_may_run) VALUES (?, true)', [newer]);
    await db.close();
    const older = await openPostgres(url);
    expect(await postgresSchemaVersion(older)).toBe(newer);
    await older.run('INSERT INTO schema_migrations (version) VALUES (?)', [newer + 1]); // not additive
    await older.close();
    await expect(openPostgres(url)).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('marks which of its own migrations an older instance may run beside', async () => {
    const db = await openPostgres(await fresh());
    const rows = await db.all<{ version: number; older_may_run: boolean }>(
      'SELECT version, older_may_run FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.older_may_run)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => ADDITIVE_MIGRATIONS.has(i + 1)));
    expect(rows[0]!.older_may_run).toBe(false); // the first schema: nothing older ran on it
    await db.close();
  });
});

// No server needed: nothing listens on port 1.
describe('openPostgres: an unreachable server', () => {
  it('names DATABASE_URL, never the password, when the server cannot be reached', async () => {
    const password = `pw${randomBytes(8).toString('hex')}`;
    const refused = openPostgres(`postgres://bot:${password}@127.0.0.1:1/alerts`);
    await expect(refused).rejects.toThrow(/^could not connect to PostgreSQL at 127\.0\.0\.1:1\/alerts \(DATABASE_URL\): .+/);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).not.toContain(password);
  });
});

describePostgres('openPostgres: statements', () => {
  let url: string;
  let drop: () => Promise<void>;
  let db: PostgresDatabase;
  beforeAll(async () => {
    ({ url, drop } = await freshDatabaseUrl());
    db = await openPostgres(url);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });
  // One database for the suite, emptied before each test so that they pass in any order.
  beforeEach(() => db.run('TRUNCATE subscriptions, alert_state'));

  it('ends a transaction left idle past idleInTransactionMs, releasing its locks (a leader frozen mid-transaction)', async () => {
    const url = await fresh();
    const db = await open(url, { idleInTransactionMs: 1500 });
    expect(await db.get<{ v: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).toEqual({ v: '1500ms' });
    const stuck = new Client({ connectionString: url, idle_in_transaction_session_timeout: 1500 });
    stuck.on('error', () => undefined);
    await stuck.connect();
    await stuck.query("BEGIN; INSERT INTO alert_state (key, value) VALUES ('frozen', 'x')");
    // The lock it holds is released once the server ends the idle transaction, not after 30 s.
    const started = Date.now();
    await db.run("INSERT INTO alert_state (key, value) VALUES ('frozen', 'y') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await db.get<{ value: string }>("SELECT value FROM alert_state WHERE key = 'frozen'")).toEqual({ value: 'y' });
    await stuck.end().catch(() => undefined);
  });

  it('numbers ? placeholders in order, leaving those in quotes', async () => {
    expect(await db.get("SELECT ? AS a, '?' AS q, 'it''s ?' AS s, ? AS b", ['x', 'y'])).toEqual({ a: 'x', q: '?', s: "it's ?", b: 'y' });
    expect(await db.get('SELECT ?::text AS missing', [undefined])).toEqual({ missing: null });
  });

  it('reads BIGINT and COUNT(*) as numbers', async () => {
    const now = Date.now();
    await db.run('INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES (?, ?, ?, ?)', ['telegram', '-100', '*', now]);
    expect(await db.get('SELECT COUNT(*) AS n FROM subscriptions')).toEqual({ n: 1 });
    expect(await db.get('SELECT created_at FROM subscriptions')).toEqual({ created_at: now });
    await expect(db.get('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(RangeError);
  });

  it('run counts the rows changed; get is undefined when there are none', async () => {
    await db.run("INSERT INTO alert_state (key, value) VALUES ('a', '1'), ('b', '2'), ('c', '3')");
    expect(await db.run("UPDATE alert_state SET value = 'x' WHERE key IN (?, ?)", ['a', 'b'])).toBe(2);
    expect(await db.run("UPDATE alert_state SET value = 'x' WHERE key = 'nothing'")).toBe(0);
    expect(await db.get("SELECT value FROM alert_state WHERE key = 'nothing'")).toBeUndefined();
    expect(await db.run('DELETE FROM alert_state')).toBe(3);
  });

  it('commits a transaction, and rolls one back when its work throws', async () => {
    const result = await db.transaction(async (tx) => {
      expect(tx.engine).toBe('postgres');
      await tx.run('INSERT INTO alert_state (key, value) VALUES (?, ?)', ['kept', '1']);
      return tx.get<{ value: string }>('SELECT value FROM alert_state WHERE key = ?', ['kept']);
    });
    expect(result).toEqual({ value: '1' });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO alert_state (key, value) VALUES (?, ?)', ['undone', '1']);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await db.all('SELECT key FROM alert_state ORDER BY key')).toEqual([{ key: 'kept' }]);
    // The rolled-back client went back to the pool clean: nothing of the failed transaction lingers.
    expect(await db.get("SELECT COUNT(*) AS n FROM alert_state WHERE key = 'undone'")).toEqual({ n: 0 });
  });
});

describePostgres('openPostgres: lost connections', () => {
  it('survives the server killing its idle connections, and reconnects', async () => {
    const url = await fresh();
    const applicationName = `ee_test_${randomBytes(4).toString('hex')}`;
    const errors: Error[] = [];
    const db = await open(url, { max: 2, applicationName, onError: (error) => errors.push(error) });
    // Two idle connections in the pool.
    await Promise.all([db.run('SELECT pg_sleep(0.05)'), db.run('SELECT pg_sleep(0.05)')]);
    expect(db.pool.idleCount).toBe(2);
    const killed = await outside(url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      applicationName,
    ]);
    expect(killed).toHaveLength(2);
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(await db.get('SELECT COUNT(*) AS n FROM alert_state')).toEqual({ n: 0 });
  });

  it('a transaction whose connection is killed fails; the pool carries on', async () => {
    const url = await fresh();
    const db = await open(url, { max: 1 });
    const work = db.transaction(async (tx) => {
      const self = await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await outside(url, 'SELECT pg_terminate_backend($1)', [self!.pid]);
      // The connection dies between two statements, while the transaction waits on this process.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await tx.run("INSERT INTO alert_state (key, value) VALUES ('never', '1')");
    });
    await expect(work).rejects.toThrow();
    // The dead client was discarded, not handed back: with max 1 this query needs a new connection.
    expect(await db.get('SELECT COUNT(*) AS n FROM alert_state')).toEqual({ n: 0 });
  });
});

describePostgres('lockPostgres', () => {
  it('refuses a second holder (a second db:copy) until the first releases it', async () => {
    const url = await fresh();
    const first = await open(url);
    const second = await open(url);
    const lock = await lockPostgres(first, 'ee-draw-bot test-host pid 1');
    expect(lock.lost).toBe(false);
    const refused = lockPostgres(second);
    await expect(refused).rejects.toBeInstanceOf(DatabaseInUseError);
    await expect(refused).rejects.toThrow(
      /^the database at DATABASE_URL is in use by another bot process \("ee-draw-bot test-host pid 1", backend pid \d+, from 127\.0\.0\.1\); stop it first \(a bot whose machine was lost lets go within about 30 s\)$/,
    );
    await lock.release();
    await lock.release();
    const again = await lockPostgres(second);
    await again.release();
  });

  it('marks the lock lost when its connection is killed', async () => {
    const url = await fresh();
    const db = await open(url);
    const lock = await lockPostgres(db, 'ee_test_lock');
    await outside(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ee_test_lock'");
    await vi.waitFor(() => expect(lock.lost).toBe(true));
    await lock.release();
    // The server let go with the session: another bot may take the database.
    await (await lockPostgres(db)).release();
  });
});
