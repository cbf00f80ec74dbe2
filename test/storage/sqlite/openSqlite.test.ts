import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError } from '../../../src/storage/schemaTooNewError.js';
import { openSqlite, type SqliteDatabase, sqliteSchemaVersion } from '../../../src/storage/sqlite/openSqlite.js';
import { SQLITE_MIGRATIONS } from '../../../src/storage/sqlite/sqliteMigrations.js';
import { createStorage } from '../../../src/storage/storage.js';
import { tempDir } from '../../alerts/helpers.js';
import { makeDraw } from '../../fixtures/draws.js';
import { scriptChild } from '../scriptChild.js';

const LATEST = SQLITE_MIGRATIONS.length;
/** Every table of the current schema. */
const TABLES = ['alert_rounds', 'alert_state', 'dataset', 'deliveries', 'instances', 'leases', 'profiles', 'seen_updates', 'subscriptions'];

let temp: ReturnType<typeof tempDir>;
/** Connections a test opened, closed after it whatever it asserted. */
let opened: Array<{ close(): unknown }>;
beforeEach(() => {
  temp = tempDir();
  opened = [];
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  temp.remove();
});

function open(path = temp.dbPath): SqliteDatabase {
  const db = openSqlite(path);
  opened.push(db);
  return db;
}

/** A database as an older bot left it: the first `version` migrations only. */
function databaseAt(version: number): Database.Database {
  const db = new Database(temp.dbPath);
  for (const migration of SQLITE_MIGRATIONS.slice(0, version)) db.exec(migration);
  db.pragma(`user_version = ${version}`);
  return db;
}

const tables = (db: Database.Database) =>
  db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('openSqlite', () => {
  it('creates the folder and a fresh database at the current schema version, in WAL mode, deleting securely', () => {
    const path = join(temp.dir, 'nested', 'var', 'alerts.sqlite');
    const { raw } = open(path);
    expect(tables(raw)).toEqual(TABLES);
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    expect(LATEST).toBe(9);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    // What /forget deletes is overwritten in the file, not left in free pages.
    expect(raw.pragma('secure_delete', { simple: true })).toBe(1);
  });

  it('re-opens an existing database without touching its schema or data', async () => {
    const first = open();
    await first.run("INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ('telegram', '42', '*', 0)");
    await first.close();
    const second = open();
    expect(sqliteSchemaVersion(second.raw)).toBe(LATEST);
    expect(await second.get('SELECT COUNT(*) AS n FROM subscriptions')).toEqual({ n: 1 });
  });

  it('brings a database of schema 1 up to date: the forum topic columns are added, the rows kept', () => {
    const v1 = databaseAt(1);
    v1.prepare("INSERT INTO subscriptions VALUES ('telegram', '42', '*', 0)").run(); // schema 1's four columns
    v1.close();
    const { raw } = open();
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    expect(raw.prepare('SELECT chat_id, thread_id FROM subscriptions').all()).toEqual([{ chat_id: '42', thread_id: null }]);
    expect(raw.prepare("SELECT name FROM pragma_table_info('deliveries') WHERE name = 'thread_id'").pluck().get()).toBe('thread_id');
  });

  it('brings a database of schema 2 up to date: the pause columns are added, empty, the rows kept', () => {
    const v2 = databaseAt(2);
    v2.prepare("INSERT INTO subscriptions VALUES ('discord', '1300', '*', 0, NULL)").run(); // schema 2's five columns
    v2.close();
    const { raw } = open();
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    expect(raw.prepare('SELECT chat_id, paused_reason, paused_fix, paused_at FROM subscriptions').all()).toEqual([
      { chat_id: '1300', paused_reason: null, paused_fix: null, paused_at: null },
    ]);
  });

  it('brings a database of schema 3 up to date: the profiles table and the sent message ids, the rows kept', () => {
    const v3 = databaseAt(3);
    v3.prepare("INSERT INTO subscriptions VALUES ('telegram', '42', '*', 0, NULL, NULL, NULL, NULL)").run(); // schema 3's eight columns
    v3.close();
    const { raw } = open();
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    expect(tables(raw)).toContain('profiles');
    expect(raw.prepare('SELECT COUNT(*) FROM profiles').pluck().get()).toBe(0);
    expect(raw.prepare("SELECT name FROM pragma_table_info('deliveries') WHERE name = 'message_id'").pluck().get()).toBe('message_id');
    expect(raw.prepare('SELECT chat_id FROM subscriptions').pluck().all()).toEqual(['42']);
  });

  it('brings a database of schema 6 up to date: private chats get an owner column, empty', () => {
    const v6 = databaseAt(6);
    v6.prepare("INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ('telegram', '42', '*', 0)").run();
    v6.close();
    const { raw } = open();
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    expect(raw.prepare('SELECT chat_id, owner_id FROM subscriptions').all()).toEqual([{ chat_id: '42', owner_id: null }]);
  });

  it('enforces one delivery per platform, chat and round', async () => {
    const db = open(':memory:');
    await db.run("INSERT INTO alert_rounds (round, draw, enqueued_at) VALUES ('435', '{}', 0)");
    const insert = "INSERT INTO deliveries (platform, chat_id, round, next_attempt_at, created_at) VALUES ('telegram', '42', '435', 0, 0)";
    await db.run(insert);
    await expect(db.run(insert)).rejects.toThrow(/UNIQUE/);
    await db.run(insert.replace("'telegram'", "'discord'"));
    expect(await db.get('SELECT COUNT(*) AS n FROM deliveries')).toEqual({ n: 2 });
  });
});

describe('openSqlite: from schema 7 to 8, nothing lost', () => {
  const t = Date.UTC(2026, 7, 7, 12);
  const healthcare = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', name: 'Healthcare occupations', crs: 462 });
  const corrected = { ...healthcare, crs: 459 };
  const pool = { asOf: '2026-08-01', total: 200_000, bands: [{ min: 0, max: 1200, count: 200_000 }] };
  const cec = makeDraw({ round: '436', date: '2026-08-08', crs: 520, pool });
  const pause = { reason: 'Missing Access', fix: 'give the bot Send Messages', at: t - 5000 };
  const profile = { crs: 481, categories: ['healthcare'], submittedAt: '2025-01-31T10:15:00Z', timeZone: 'America/Toronto' };

  /** A schema-7 file with rows in every table, every column used: what the bot of version 7 left. */
  function fillSchema7(): void {
    const v7 = databaseAt(7);
    const exec = (sql: string, ...params: unknown[]) => v7.prepare(sql).run(...params);
    const subscription = 'INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
    exec(subscription, 'telegram', '-1001', '*', t - 9000, '42', null, null, null, null);
    exec(subscription, 'telegram', '7001', 'healthcare', t - 8000, null, null, null, null, '7001');
    exec(subscription, 'telegram', '7001', 'pool', t - 8000, null, null, null, null, '7001');
    exec(subscription, 'telegram', '7002', 'healthcare', t - 7000, null, null, null, null, null);
    exec(subscription, 'telegram', '7002', 'cec', t - 7000, null, null, null, null, null);
    exec(subscription, 'discord', '1300', 'cec', t - 6000, null, pause.reason, pause.fix, pause.at, null);
    const round = 'INSERT INTO alert_rounds VALUES (?, ?, ?, ?, ?)';
    exec(round, '435', JSON.stringify(corrected), t - 4000, JSON.stringify(healthcare), 1);
    exec(round, '436', JSON.stringify(cec), t - 3000, null, 0);
    exec(round, 'pool:2026-08-01', JSON.stringify(cec), t - 3000, null, 0);
    // id, platform, chat, round, status, attempts, next attempt, created, sent, error, thread, message id, revision
    const delivery = 'INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    exec(delivery, 1, 'telegram', '-1001', '435', 'sent', 0, t - 4000, t - 4000, t - 3990, null, '42', '71', 1);
    exec(delivery, 2, 'telegram', '7001', '435', 'pending', 1, t + 60_000, t - 4000, null, 'HTTP 502', null, null, 0);
    exec(delivery, 3, 'telegram', '7001', 'pool:2026-08-01', 'pending', 0, t - 3000, t - 3000, null, null, null, null, 0);
    exec(delivery, 4, 'discord', '1300', '436', 'failed', 1, t - 3000, t - 3000, null, '403 Missing Access', null, null, 0);
    exec(delivery, 5, 'telegram', '-1001', '436', 'gone', 0, t - 3000, t - 3000, null, null, '42', null, 0);
    exec(delivery, 6, 'telegram', '7002', '435', 'pending', 0, t - 4000, t - 4000, null, null, null, null, 0);
    exec(delivery, 7, 'telegram', '7002', '436', 'pending', 0, t - 3000, t - 3000, null, null, null, null, 0);
    exec(delivery, 8, 'telegram', '7001', '436', 'sent', 0, t - 3000, t - 3000, t - 2990, null, null, '88', 0);
    const state = 'INSERT INTO alert_state VALUES (?, ?)';
    exec(state, 'newest_round', JSON.stringify({ round: '436', date: '2026-08-08' }));
    exec(state, 'pool_as_of', JSON.stringify(pool));
    exec(state, 'install_secret', 'ab'.repeat(32));
    const profileRow = 'INSERT INTO profiles VALUES (?, ?, ?, ?, ?, ?, ?)';
    exec(profileRow, 'telegram', '7001', 481, '["healthcare"]', profile.submittedAt, profile.timeZone, t - 10_000);
    exec(profileRow, 'discord', '55', 300, '[]', null, null, t - 11_000);
    v7.close();
  }

  const ORDER = {
    subscriptions: 'platform, chat_id, category',
    alert_rounds: 'round',
    deliveries: 'id',
    alert_state: 'key',
    profiles: 'platform, user_id',
  } as const;
  type Table = keyof typeof ORDER;
  const rowsOf = (db: Database.Database, table: Table) =>
    db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER[table]}`).all() as Array<Record<string, unknown>>;
  const everything = (db: Database.Database) =>
    Object.fromEntries(Object.keys(ORDER).map((table) => [table, rowsOf(db, table as Table)])) as Record<
      Table,
      Array<Record<string, unknown>>
    >;

  it('keeps every row and column, adds the claim columns empty and backfills each round’s category', () => {
    fillSchema7();
    const reader = new Database(temp.dbPath, { readonly: true });
    const before = everything(reader);
    reader.close();
    expect(before.deliveries).toHaveLength(8);

    const { raw } = open();
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    const after = everything(raw);
    expect(after.subscriptions).toEqual(before.subscriptions);
    expect(after.alert_state).toEqual(before.alert_state);
    expect(after.profiles).toEqual(before.profiles);
    expect(after.deliveries).toEqual(before.deliveries.map((row) => ({ ...row, claimed_by: null, claimed_at: null })));
    const categories: Record<string, string> = { '435': 'healthcare', '436': 'cec', 'pool:2026-08-01': 'pool' };
    expect(tables(raw)).toEqual(TABLES);
    expect(raw.prepare('SELECT COUNT(*) FROM dataset').pluck().get()).toBe(0);
    expect(after.alert_rounds).toEqual(before.alert_rounds.map((row) => ({ ...row, category: categories[row.round as string] })));
    // The same indexes as a database made new.
    const indexes = (db: Database.Database) =>
      db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes(raw)).toEqual(expect.arrayContaining(['deliveries_claimed', 'deliveries_settled', 'subscriptions_by_owner']));
    expect(indexes(raw)).toEqual(indexes(open(join(temp.dir, 'new.sqlite')).raw));
  });

  it('the stores work on what was migrated: claims, settling, the backfilled categories cancelling what is no longer wanted', async () => {
    fillSchema7();
    const db = open();
    const storage = createStorage(db, () => t);
    const { subscriptions, deliveries, profiles, rounds, state } = storage;

    expect(await profiles.get('telegram', '7001')).toEqual(profile);
    expect(await subscriptions.list('telegram', '7001')).toEqual(['healthcare']);
    expect(await subscriptions.hasPool('telegram', '7001')).toBe(true);
    expect(await subscriptions.owner('telegram', '7001')).toBe('7001');
    expect(await subscriptions.ownedBy('telegram', '7001')).toEqual(['7001']);
    expect(await subscriptions.thread('telegram', '-1001')).toBe('42');
    expect(await subscriptions.paused('discord', '1300')).toEqual(pause);
    expect(await rounds.draw('435')).toEqual(corrected);
    expect(await rounds.firstDraw('435')).toEqual(healthcare);
    expect(await rounds.revision('435')).toBe(1);
    expect(await state.get('newest_round')).toBe(JSON.stringify({ round: '436', date: '2026-08-08' }));
    expect(await storage.secret()).toBe('ab'.repeat(32)); // an install's secret is kept, not remade
    expect(await deliveries.counts('telegram')).toEqual({ pending: 4, sent: 2, gone: 1, failed: 0 });
    // The row retried after a 502 is due at its time; claimed, sent, it shows the round's revision.
    expect((await deliveries.due('telegram', t + 60_000, 10)).map((d) => [d.id, d.attempts])).toEqual([
      [6, 0],
      [3, 0],
      [7, 0],
      [2, 1],
    ]);
    expect(await deliveries.claim(2, '7001', 'run', t)).toBe(false); // not due yet
    expect(await deliveries.claim(2, '7001', 'run', t + 60_000)).toBe(true);
    expect(await deliveries.claim(2, '7001', 'other-run', t + 60_000)).toBe(false);
    await deliveries.markSent(2, 'run', t + 60_000, '95');
    expect(await db.get('SELECT status, message_id, revision, claimed_by FROM deliveries WHERE id = 2')).toEqual({
      status: 'sent',
      message_id: '95',
      revision: 1,
      claimed_by: null,
    });
    // Cancelling reads the backfilled category: 7002's healthcare alert stays when it drops cec, and
    // 7001's pool alert stays when it drops healthcare.
    await subscriptions.unsubscribe('telegram', '7002', ['cec']);
    await subscriptions.unsubscribe('telegram', '7001', ['healthcare']);
    const pending = async () => (await deliveries.due('telegram', t + 60_000, 10)).map((d) => d.id);
    expect(await pending()).toEqual([6, 3]);
    await subscriptions.unsubscribePool('telegram', '7001');
    expect(await pending()).toEqual([6]);
    // Sent alerts of the corrected round are owed their edit as before.
    expect((await deliveries.owedEdits('telegram', 10)).map((o) => [o.id, o.revision])).toEqual([]);
    await rounds.correct('435', { ...corrected, crs: 458 });
    expect((await deliveries.owedEdits('telegram', 10)).map((o) => [o.id, o.revision])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('openSqlite: refusals and races', () => {
  it('refuses a database written by a newer version of the bot, and leaves the file as it was', () => {
    const raw = new Database(temp.dbPath);
    raw.pragma('journal_mode = WAL'); // as every version of the bot leaves it
    raw.exec("CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES ('kept')");
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.close();
    const bytes = readFileSync(temp.dbPath);
    const files = readdirSync(temp.dir).sort();

    let refusal: unknown;
    try {
      open();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(SchemaTooNewError);
    expect((refusal as Error).message).toBe(
      `the alerts database is at schema version ${LATEST + 1}, newer than this bot knows (${LATEST}); refusing to touch it`,
    );
    expect(readdirSync(temp.dir).sort()).toEqual(files);
    expect(readFileSync(temp.dbPath).equals(bytes)).toBe(true);
    const check = new Database(temp.dbPath, { readonly: true });
    expect(sqliteSchemaVersion(check)).toBe(LATEST + 1);
    expect(tables(check)).toEqual(['from_the_future']);
    check.close();
  });

  it('several bots opening the same new file at once: each opens it, the schema made once', async () => {
    const path = join(temp.dir, 'fresh', 'alerts.sqlite');
    const children = Array.from({ length: 4 }, () => opener(path));
    try {
      await Promise.all(children.map((c) => c.line('ready')));
      for (const c of children) c.child.stdin.write('go\n');
      const versions = await Promise.all(children.map((c) => c.line('version ')));
      expect(versions).toEqual(children.map(() => `version ${LATEST}`));
      expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0, 0, 0]);
    } finally {
      for (const c of children) if (c.child.exitCode === null) c.child.kill();
    }
    const { raw } = open(path);
    expect(sqliteSchemaVersion(raw)).toBe(LATEST);
    expect(tables(raw)).toEqual(TABLES);
  });
});

describe('openSqlite: what /forget deletes', () => {
  it('is not readable in the file afterwards, nor in its write-ahead log', async () => {
    const db = open();
    const storage = createStorage(db);
    const zone = `Forgotten/Zone_${randomBytes(8).toString('hex')}`;
    await storage.profiles.set('telegram', '7001', { crs: 481, categories: ['cec'], timeZone: zone });
    await storage.profiles.set('telegram', '7002', { crs: 455, categories: [], timeZone: 'America/Toronto' });
    await storage.subscriptions.subscribe('telegram', '7001', 'all', undefined, '7001');
    const contains = (text: string) =>
      [temp.dbPath, `${temp.dbPath}-wal`].some((file) => existsSync(file) && readFileSync(file).includes(text));
    // The control: written out to the file, the zone is there to be read.
    db.raw.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(temp.dbPath).includes(zone)).toBe(true);

    expect(await storage.forget('telegram', '7001', ['7001'])).toEqual({ profile: true, chats: 1 });
    db.raw.pragma('wal_checkpoint(TRUNCATE)');
    await db.close();
    expect(contains(zone)).toBe(false);
    expect(readFileSync(temp.dbPath).includes('America/Toronto')).toBe(true); // the other profile, kept
  });
});

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Loads openSqlite, says `ready`, opens the file when told `go` and says its schema version. */
const OPENER = `
import { createInterface } from 'node:readline';
const { openSqlite, sqliteSchemaVersion } = await import(process.env.EE_OPEN_SQLITE);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\\n');
await lines.next();
const db = openSqlite(process.env.EE_DB);
process.stdout.write('version ' + sqliteSchemaVersion(db.raw) + '\\n');
await db.close();
process.exit(0);
`;

/** A bot process opening the file, and the lines it says. */
function opener(path: string) {
  return scriptChild(OPENER, { EE_DB: path, EE_OPEN_SQLITE: pathToFileURL(join(ROOT, 'src/storage/sqlite/openSqlite.ts')).href });
}
