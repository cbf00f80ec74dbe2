import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openDatabase, SCHEMA_VERSION } from '../../src/alerts/openDatabase.js';
import { tempDir } from './helpers.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

/** A database as an older bot left it: the first `version` migrations only. */
function databaseAt(version: number): Database.Database {
  const db = new Database(temp.dbPath);
  for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
  db.pragma(`user_version = ${version}`);
  return db;
}

const tables = (db: Database.Database) =>
  db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('openDatabase', () => {
  it('creates the folder and a fresh database at the current schema version, in WAL mode', () => {
    const path = join(temp.dir, 'nested', 'var', 'alerts.sqlite');
    const db = openDatabase(path);
    expect(tables(db)).toEqual(['alert_rounds', 'alert_state', 'deliveries', 'profiles', 'subscriptions']);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('re-opens an existing database without touching its schema or data', () => {
    const first = openDatabase(temp.dbPath);
    first.prepare("INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ('telegram', '42', '*', 0)").run();
    first.close();
    const second = openDatabase(temp.dbPath);
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(second.prepare('SELECT COUNT(*) FROM subscriptions').pluck().get()).toBe(1);
    second.close();
  });

  it('brings a database of schema 1 up to date: the forum topic columns are added, the rows kept', () => {
    const v1 = databaseAt(1);
    v1.prepare("INSERT INTO subscriptions VALUES ('telegram', '42', '*', 0)").run(); // schema 1's four columns
    v1.close();
    const db = openDatabase(temp.dbPath);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT chat_id, thread_id FROM subscriptions').all()).toEqual([{ chat_id: '42', thread_id: null }]);
    expect(db.prepare("SELECT name FROM pragma_table_info('deliveries') WHERE name = 'thread_id'").pluck().get()).toBe('thread_id');
    db.close();
  });

  it('brings a database of schema 2 up to date: the pause columns are added, empty, the rows kept', () => {
    const v2 = databaseAt(2);
    v2.prepare("INSERT INTO subscriptions VALUES ('discord', '1300', '*', 0, NULL)").run(); // schema 2's five columns
    v2.close();
    const db = openDatabase(temp.dbPath);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT chat_id, paused_reason, paused_fix, paused_at FROM subscriptions').all()).toEqual([
      { chat_id: '1300', paused_reason: null, paused_fix: null, paused_at: null },
    ]);
    db.close();
  });

  it('brings a database of schema 3 up to date: the profiles table and the sent message ids, the rows kept', () => {
    const v3 = databaseAt(3);
    v3.prepare("INSERT INTO subscriptions VALUES ('telegram', '42', '*', 0, NULL, NULL, NULL, NULL)").run(); // schema 3's eight columns
    v3.close();
    const db = openDatabase(temp.dbPath);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).toContain('profiles');
    expect(db.prepare('SELECT COUNT(*) FROM profiles').pluck().get()).toBe(0);
    expect(db.prepare("SELECT name FROM pragma_table_info('deliveries') WHERE name = 'message_id'").pluck().get()).toBe('message_id');
    expect(db.prepare('SELECT chat_id FROM subscriptions').pluck().all()).toEqual(['42']);
    db.close();
  });

  it('brings a database of schema 6 up to date: private chats get an owner column, empty', () => {
    const v6 = databaseAt(6);
    v6.prepare("INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ('telegram', '42', '*', 0)").run();
    v6.close();
    const db = openDatabase(temp.dbPath);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT chat_id, owner_id FROM subscriptions').all()).toEqual([{ chat_id: '42', owner_id: null }]);
    db.close();
  });

  it('refuses a database written by a newer version of the bot', () => {
    const raw = new Database(temp.dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(temp.dbPath)).toThrow(/newer than this bot knows/);
  });

  it('enforces one delivery per platform, chat and round', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO alert_rounds (round, draw, enqueued_at) VALUES ('435', '{}', 0)").run();
    const insert = db.prepare(
      "INSERT INTO deliveries (platform, chat_id, round, next_attempt_at, created_at) VALUES ('telegram', '42', '435', 0, 0)",
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    db.close();
  });
});
