import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Alerts, createAlerts } from '../../../src/alerts/createAlerts.js';
import { silentLogger } from '../../../src/lib/log.js';
import { BackupError, backupSqlite, describeBackup } from '../../../src/storage/sqlite/backupSqlite.js';
import { openSqlite, type SqliteDatabase, sqliteSchemaVersion } from '../../../src/storage/sqlite/openSqlite.js';
import { SQLITE_MIGRATIONS } from '../../../src/storage/sqlite/sqliteMigrations.js';
import { createStorage } from '../../../src/storage/storage.js';
import { tempDir } from '../../alerts/helpers.js';
import { makeDraw } from '../../fixtures/draws.js';

const SCHEMA_VERSION = SQLITE_MIGRATIONS.length;
const TABLES = ['subscriptions', 'alert_rounds', 'deliveries', 'alert_state', 'profiles'] as const;
const ORDER = { subscriptions: '1, 2, 3', alert_rounds: '1', deliveries: '1', alert_state: '1', profiles: '1, 2' };
const rows = (db: Database.Database, table: (typeof TABLES)[number]) => db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER[table]}`).all();
const open = (path: string) => new Database(path, { readonly: true, fileMustExist: true });

let temp: ReturnType<typeof tempDir>;
/** The running bot: the alerts engine over the SQLite storage holding the database open, as createApp makes it. */
let bot: Alerts;
/** The bot's database (`db.raw`: its better-sqlite3 connection). */
let db: SqliteDatabase;
let target: string;
beforeEach(() => {
  temp = tempDir();
  target = join(temp.dir, 'backup.sqlite');
  db = openSqlite(temp.dbPath);
  bot = createAlerts({ storage: createStorage(db), log: silentLogger, draws: () => [] });
  // Everything stays in the -wal file (a busy bot's newest commits always do): no automatic checkpoint.
  db.raw.pragma('wal_autocheckpoint = 0');
});
afterEach(async () => {
  await bot.close();
  await db.close();
  temp.remove();
});

/** Chats on both platforms, every draw or healthcare only, and two rounds enqueued for them. */
async function fillBot(chats = 30): Promise<void> {
  const { subscriptions } = bot.storage;
  for (let i = 1; i <= chats; i++) {
    await subscriptions.subscribe('telegram', String(i), i % 3 === 0 ? ['healthcare'] : 'all');
    await subscriptions.subscribe('discord', String(100_000_000_000_000_000n + BigInt(i)), i % 2 === 0 ? ['healthcare', 'cec'] : 'all');
  }
  await bot.onNewDraws([
    makeDraw({ round: '430', date: '2026-08-01', category: 'healthcare' }),
    makeDraw({ round: '431', date: '2026-08-05', category: 'pnp' }),
  ]);
}

/** What copying alerts.sqlite (or `path`) as a file gets. */
function fileCopySchema(path = temp.dbPath): { version: number; tables: string[] } {
  const folder = join(temp.dir, 'file-copy');
  mkdirSync(folder);
  const naive = join(folder, 'alerts.sqlite');
  copyFileSync(path, naive);
  const db = open(naive);
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      tables: db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(),
    };
  } finally {
    db.close();
    rmSync(folder, { recursive: true });
  }
}

describe('backupSqlite', () => {
  it("copies a running bot's database whose data is all in the -wal file, without checkpointing it", async () => {
    await fillBot();
    const walBytes = statSync(`${temp.dbPath}-wal`).size;
    expect(walBytes).toBeGreaterThan(0);
    // A file copy of alerts.sqlite is empty: schema and rows are still in the -wal file.
    expect(fileCopySchema()).toEqual({ version: 0, tables: [] });

    const result = await backupSqlite(temp.dbPath, target);

    expect(result).toEqual({
      path: target,
      bytes: statSync(target).size,
      schemaVersion: SCHEMA_VERSION,
      subscriptions: 30 + 15 * 2 + 15,
      chats: 60,
      deliveries: rows(db.raw, 'deliveries').length,
      pending: rows(db.raw, 'deliveries').length,
    });
    expect(result.deliveries).toBeGreaterThan(40);
    const copy = open(target);
    try {
      expect(copy.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      for (const table of TABLES) expect(rows(copy, table), table).toEqual(rows(db.raw, table));
    } finally {
      copy.close();
    }
    // One self-contained file, no temporary left beside it.
    expect(readdirSync(temp.dir).sort()).toEqual(['alerts.sqlite', 'alerts.sqlite-shm', 'alerts.sqlite-wal', 'backup.sqlite']);
    // The live database was only read: nothing was checkpointed into it, and the bot goes on.
    expect(statSync(`${temp.dbPath}-wal`).size).toBe(walBytes);
    expect(fileCopySchema()).toEqual({ version: 0, tables: [] });
    expect(await bot.storage.subscriptions.subscribe('telegram', 'later', 'all')).toBe('all');
  });

  it('takes one consistent snapshot while the bot and another connection keep writing', async () => {
    await fillBot();
    // Another connection writing all the time on its own thread (IMMEDIATE, as the bot writes: a
    // deferred one may fail at once with SQLITE_BUSY under the bot's writes): each transaction adds a row
    // and records how many it has added, so a torn copy would show the two disagreeing.
    const control = new Int32Array(new SharedArrayBuffer(8)); // [stop, written]
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const Database = require(workerData.sqlite);
       const db = new Database(workerData.dbPath);
       db.pragma('busy_timeout = 5000');
       db.pragma('wal_autocheckpoint = 0');
       const add = db.prepare("INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ('worker', ?, 'none', 0)");
       const mark = db.prepare("INSERT OR REPLACE INTO alert_state (key, value) VALUES ('worker_rows', ?)");
       const write = db.transaction((i) => { add.run('w' + i); mark.run(String(i)); });
       const control = new Int32Array(workerData.control);
       const nap = new Int32Array(new SharedArrayBuffer(4));
       for (let i = 1; Atomics.load(control, 0) === 0; i++) {
         write.immediate(i);
         Atomics.store(control, 1, i);
         Atomics.wait(nap, 0, 0, 0.2); // a breath between writes, or the bot's waits for the lock starve
       }
       db.close();`,
      {
        eval: true,
        workerData: { dbPath: temp.dbPath, sqlite: createRequire(import.meta.url).resolve('better-sqlite3'), control: control.buffer },
      },
    );
    const workerDone = new Promise((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    try {
      await vi.waitFor(() => expect(Atomics.load(control, 1)).toBeGreaterThan(100), { timeout: 10_000, interval: 5 });

      // The bot enqueues a new round at every turn of the event loop, between the backup's steps too.
      let nextRound = 1000;
      let writing = true;
      const enqueued: Promise<void>[] = [];
      const enqueue = () => {
        if (!writing) return;
        enqueued.push(bot.onNewDraws([makeDraw({ round: String(nextRound++), date: '2026-08-12', category: 'cec' })]));
        setImmediate(enqueue);
      };
      enqueue();
      const workerBefore = Atomics.load(control, 1);
      const roundsBefore = nextRound;
      const result = await backupSqlite(temp.dbPath, target);
      writing = false;
      await Promise.all(enqueued); // each one committed, none refused
      expect(result.schemaVersion).toBe(SCHEMA_VERSION);
      const roundsAfter = nextRound;
      Atomics.store(control, 0, 1);
      await workerDone;
      const workerAfter = Atomics.load(control, 1);
      expect(roundsAfter).toBeGreaterThan(roundsBefore);

      const copy = open(target);
      try {
        expect(copy.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        // The other connection's rows: a whole number of its transactions, 1..n without a gap.
        const workerRows = copy.prepare<[], string>("SELECT chat_id FROM subscriptions WHERE platform = 'worker'").pluck().all();
        const marked = Number(copy.prepare("SELECT value FROM alert_state WHERE key = 'worker_rows'").pluck().get());
        expect(workerRows).toHaveLength(marked);
        expect(new Set(workerRows)).toEqual(new Set(Array.from({ length: marked }, (_, i) => `w${i + 1}`)));
        expect(marked).toBeGreaterThanOrEqual(workerBefore);
        expect(marked).toBeLessThanOrEqual(workerAfter);
        // The bot's rounds: those enqueued before the backup began and maybe some after, each with
        // every delivery it was enqueued with.
        const copiedRounds = copy.prepare<[], string>('SELECT round FROM alert_rounds WHERE CAST(round AS INTEGER) >= 1000').pluck().all();
        const lastCopied = 999 + copiedRounds.length;
        expect(copiedRounds.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: copiedRounds.length }, (_, i) => 1000 + i));
        expect(lastCopied).toBeGreaterThanOrEqual(roundsBefore - 1);
        expect(lastCopied).toBeLessThan(roundsAfter);
        const perRound = 'SELECT round, COUNT(*) AS n FROM deliveries GROUP BY round ORDER BY round';
        const live = (db.raw.prepare(perRound).all() as Array<{ round: string; n: number }>).filter((r) => Number(r.round) <= lastCopied);
        expect(copy.prepare(perRound).all()).toEqual(live);
        // Everything from before the writers started is there as it was.
        for (const table of ['subscriptions', 'deliveries'] as const) {
          const earlier = (db: Database.Database) =>
            db
              .prepare(
                `SELECT * FROM ${table} WHERE platform != 'worker' AND ${table === 'deliveries' ? "round IN ('430', '431')" : '1'} ORDER BY 1, 2, 3`,
              )
              .all();
          expect(earlier(copy)).toEqual(earlier(db.raw));
        }
      } finally {
        copy.close();
      }
    } finally {
      Atomics.store(control, 0, 1);
      await workerDone;
    }
  });

  it('copies the database of a bot that exited without closing it (the schema only in the -wal file)', async () => {
    const crashed = join(temp.dir, 'crashed.sqlite');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { openSqlite } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../../src/storage/sqlite/openSqlite.ts')).href)});
         const db = openSqlite(${JSON.stringify(crashed)});
         db.raw.prepare("INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ('telegram', '42', '*', 0)").run();
         process.exit(0);`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(statSync(`${crashed}-wal`).size).toBeGreaterThan(0);
    expect(fileCopySchema(crashed)).toEqual({ version: 0, tables: [] });
    const result = await backupSqlite(crashed, target);
    expect(result).toMatchObject({ schemaVersion: SCHEMA_VERSION, subscriptions: 1, chats: 1, deliveries: 0 });
  });

  it('refuses an existing file unless forced, then replaces it whole', async () => {
    await fillBot(3);
    writeFileSync(target, 'an older backup');
    await expect(backupSqlite(temp.dbPath, target)).rejects.toThrow(
      new BackupError(`${target} already exists (use --force to replace it)`),
    );
    expect(readFileSync(target, 'utf8')).toBe('an older backup');
    const result = await backupSqlite(temp.dbPath, target, { force: true });
    expect(result.subscriptions).toBe(3 + 1 + 2 + 1);
    const copy = open(target);
    expect(rows(copy, 'subscriptions')).toEqual(rows(db.raw, 'subscriptions'));
    copy.close();
  });

  it('refuses the database itself, a folder, a missing folder and a missing database', async () => {
    await fillBot(1);
    await expect(backupSqlite(temp.dbPath, temp.dbPath, { force: true })).rejects.toThrow(`${temp.dbPath} is the alerts database itself`);
    await expect(backupSqlite(temp.dbPath, temp.dir, { force: true })).rejects.toThrow(`${temp.dir} is a folder`);
    const nowhere = join(temp.dir, 'no', 'such', 'folder');
    await expect(backupSqlite(temp.dbPath, join(nowhere, 'b.sqlite'))).rejects.toThrow(`the folder ${nowhere} does not exist`);
    await expect(backupSqlite(join(temp.dir, 'missing.sqlite'), target)).rejects.toThrow(
      `there is no alerts database at ${join(temp.dir, 'missing.sqlite')}`,
    );
    expect(rows(db.raw, 'subscriptions')).toHaveLength(2);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a file that is no alerts database, leaving nothing behind', async () => {
    const garbage = join(temp.dir, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database at all, but long enough to look like a header to a careless reader'.repeat(80));
    const error = await backupSqlite(garbage, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toMatch(/^could not copy .*garbage\.sqlite to .*backup\.sqlite: file is not a database$/);

    const empty = join(temp.dir, 'empty.sqlite');
    new Database(empty).close();
    await expect(backupSqlite(empty, target)).rejects.toThrow(
      `${empty} holds no alerts data yet (schema version 0, no subscriptions table)`,
    );
    expect(readdirSync(temp.dir).sort()).toEqual([
      'alerts.sqlite',
      'alerts.sqlite-shm',
      'alerts.sqlite-wal',
      'empty.sqlite',
      'garbage.sqlite',
    ]);
  });

  it('describes a backup in one line', () => {
    const line = describeBackup('var/alerts.sqlite', {
      path: '/backups/a.sqlite',
      bytes: 49_152,
      schemaVersion: 1,
      subscriptions: 12,
      chats: 9,
      deliveries: 1,
      pending: 0,
    });
    expect(line).toBe(
      'Backed up var/alerts.sqlite to /backups/a.sqlite (48.0 KB): schema version 1, 12 subscriptions in 9 chats, 1 delivery (0 pending).',
    );
  });
});

describe('the database a backup restores', () => {
  it('opens as the bot opens it, with its rows', async () => {
    await fillBot(2);
    await backupSqlite(temp.dbPath, target);
    const restored = openSqlite(target);
    try {
      expect(restored.raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqliteSchemaVersion(restored.raw)).toBe(SCHEMA_VERSION);
      for (const table of TABLES) expect(rows(restored.raw, table), table).toEqual(rows(db.raw, table));
    } finally {
      await restored.close();
    }
  });
});
