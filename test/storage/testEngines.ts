import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openPostgres } from '../../src/storage/postgres/openPostgres.js';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.js';
import { openSqlite } from '../../src/storage/sqlite/openSqlite.js';
import { createStorage, type Storage } from '../../src/storage/storage.js';
import { freshDatabaseUrl } from './postgresTestDatabase.js';

/** A storage opened for one test, on one engine, and how to throw it away. */
export interface TestStorage {
  db: SqlDatabase;
  storage: Storage;
  /** Opens the same store again (a restart); the caller closes what it opens. */
  reopen(now?: () => number): Promise<{ db: SqlDatabase; storage: Storage }>;
  /** A SQLite file path or a PostgreSQL URL: what a child process would be given. */
  location: string;
  /** Closes every connection opened here and deletes the store. */
  dispose(): Promise<void>;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  open(now?: () => number): Promise<TestStorage>;
}

/** A store at `location` that `connect` opens (again, for a restart), and `remove` deletes once every connection is closed. */
async function testStorage(
  location: string,
  connect: () => Promise<SqlDatabase>,
  remove: () => Promise<void> | void,
  now?: () => number,
): Promise<TestStorage> {
  const opened: SqlDatabase[] = [];
  const open = async (clock?: () => number) => {
    const db = await connect();
    opened.push(db);
    return { db, storage: createStorage(db, clock) };
  };
  return {
    ...(await open(now)),
    reopen: open,
    location,
    async dispose() {
      for (const db of opened) await db.close();
      await remove();
    },
  };
}

const sqlite: TestEngine = {
  name: 'sqlite',
  open(now) {
    const dir = mkdtempSync(join(tmpdir(), 'ee-store-'));
    const path = join(dir, 'alerts.sqlite');
    return testStorage(
      path,
      async () => openSqlite(path),
      () => rmSync(dir, { recursive: true, force: true }),
      now,
    );
  },
};

const postgres: TestEngine = {
  name: 'postgres',
  async open(now) {
    const database = await freshDatabaseUrl();
    return testStorage(database.url, () => openPostgres(database.url, { max: 4 }), database.drop, now);
  },
};

/** SQLite always; PostgreSQL where TEST_DATABASE_URL names a server (.ci/run starts one). */
export const testEngines: readonly TestEngine[] = process.env.TEST_DATABASE_URL ? [sqlite, postgres] : [sqlite];
export const sqliteEngine = sqlite;

/** The same suite once per engine: the storage contract holds on both. */
export function describeEachEngine(title: string, suite: (engine: TestEngine) => void): void {
  for (const engine of testEngines) describe(`${title} (${engine.name})`, () => suite(engine));
}
