import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SchemaTooNewError } from '../schemaTooNewError.js';
import type { SqlDatabase, SqlExecutor } from '../sqlDatabase.js';
import { SQLITE_MIGRATIONS } from './sqliteMigrations.js';

/** The SQLite engine's database: one better-sqlite3 connection, as an async SqlDatabase. */
export interface SqliteDatabase extends SqlDatabase {
  readonly engine: 'sqlite';
  /** The connection itself, for what only SQLite does (the online backup, tests looking at the file). */
  readonly raw: Database.Database;
}

/**
 * Opens (creating it and its folder on first start) a SQLite database and brings its schema up to
 * date. `:memory:` works for throwaway use.
 *
 * better-sqlite3 is synchronous: every statement runs at once on the event loop, which is why a
 * profile lookup costs microseconds. What async adds is the gap between a transaction's statements:
 * while one transaction is open, every other statement of this process waits for it (they would
 * otherwise run inside it, and be rolled back with it).
 */
export function openSqlite(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // Before anything that writes the file (WAL's header flag): a newer bot's file stays as it is.
    refuseNewer(db);
    // WAL: readers never block the writer, and a commit is one append (no rollback journal).
    db.pragma('journal_mode = WAL');
    // NORMAL is durable against the process being killed (what "never two" must survive); only an
    // OS crash or power loss may drop the last commits, which would resend at most those alerts.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // What /forget deletes is overwritten in the file, not left readable in free pages (nor in backups).
    db.pragma('secure_delete = ON');
    migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new Connection(db);
}

/** The schema version a file is at (PRAGMA user_version; 0 for a new one). */
export function sqliteSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(db: Database.Database): void {
  const current = sqliteSchemaVersion(db);
  if (current > SQLITE_MIGRATIONS.length) {
    throw new SchemaTooNewError(
      `the alerts database is at schema version ${current}, newer than this bot knows (${SQLITE_MIGRATIONS.length}); refusing to touch it`,
    );
  }
}

function migrateSqlite(db: Database.Database): void {
  // IMMEDIATE: two processes starting at once cannot both read version N and both apply N+1.
  db.transaction(() => {
    refuseNewer(db);
    const current = sqliteSchemaVersion(db);
    for (let version = current + 1; version <= SQLITE_MIGRATIONS.length; version++) {
      db.exec(SQLITE_MIGRATIONS[version - 1]!);
      // user_version lives in the file header and is written in this same transaction.
      db.pragma(`user_version = ${version}`);
    }
  }).immediate();
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; undefined means null here. */
const bind = (params: readonly unknown[]): unknown[] => params.map((value) => (value === undefined ? null : value));

class Connection implements SqliteDatabase {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  /** Resolves when the open transaction ends; undefined while none is open. */
  private open: Promise<void> | undefined;
  private readonly direct: SqlExecutor;

  constructor(readonly raw: Database.Database) {
    this.direct = {
      engine: 'sqlite',
      all: async <T>(sql: string, params: readonly unknown[] = []) => this.statement(sql).all(...bind(params)) as T[],
      get: async <T>(sql: string, params: readonly unknown[] = []) => this.first<T>(sql, params),
      run: async (sql: string, params: readonly unknown[] = []) => this.changes(sql, params),
    };
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    while (this.open) await this.open;
    return this.statement(sql).all(...bind(params)) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    while (this.open) await this.open;
    return this.first<T>(sql, params);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    while (this.open) await this.open;
    return this.changes(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    while (this.open) await this.open;
    let end!: () => void;
    this.open = new Promise((resolve) => {
      end = resolve;
    });
    try {
      this.statement('BEGIN IMMEDIATE').run();
      try {
        const result = await work(this.direct);
        this.statement('COMMIT').run();
        return result;
      } catch (error) {
        if (this.raw.inTransaction) this.statement('ROLLBACK').run();
        throw error;
      }
    } finally {
      this.open = undefined;
      end();
    }
  }

  async close(): Promise<void> {
    if (this.raw.open) this.raw.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private first<T>(sql: string, params: readonly unknown[]): T | undefined {
    const statement = this.statement(sql);
    return (statement.reader ? statement.get(...bind(params)) : undefined) as T | undefined;
  }

  private changes(sql: string, params: readonly unknown[]): number {
    const statement = this.statement(sql);
    if (statement.reader) return statement.all(...bind(params)).length; // … RETURNING: one row per change
    return statement.run(...bind(params)).changes;
  }
}
