import { Client, Pool, type PoolClient, type QueryResult, TypeOverrides } from 'pg';
import type { SqlDatabase, SqlExecutor } from '../sqlDatabase.js';
import { migratePostgres } from './migratePostgres.js';

/** The PostgreSQL engine's database: a connection pool, as a SqlDatabase. */
export interface PostgresDatabase extends SqlDatabase {
  readonly engine: 'postgres';
  /** The pool itself, for what only PostgreSQL does (advisory locks, tests killing its connections). */
  readonly pool: Pool;
}

export interface PostgresOptions {
  /** The longest one statement may run, server-side (10 s): a stuck query fails rather than hangs the bot. */
  statementTimeoutMs?: number;
  /** How long an unused connection stays open (30 s). */
  idleTimeoutMs?: number;
  /** Connections at most (10). */
  max?: number;
  /** A pooled connection failed while idle (the server restarted, the network dropped it); the pool has discarded it. */
  onError?: (error: Error) => void;
  /** How the bot's connections are named in pg_stat_activity. */
  applicationName?: string;
  /**
   * How long a transaction may sit idle before the server ends it (30 s). A transaction left open by
   * a stuck process (SIGSTOP, a frozen VM) holds its row locks, the leader lease's among them, so the
   * bot sets it to the lease's TTL: a takeover then waits no longer than the lease itself.
   */
  idleInTransactionMs?: number;
}

// Our transactions never wait on anything but their own statements.
const IDLE_IN_TRANSACTION_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

const INT8 = 20;
/**
 * Our BIGINTs (ms timestamps, ids) and COUNT(*) are read as numbers, like SQLite's integers. Per pool,
 * not pg.types: another library's pool in the same process keeps pg's strings. A value a double
 * cannot hold fails its query instead of coming back rounded.
 */
const types = new TypeOverrides();
types.setTypeParser(INT8, 'text', (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a BIGINT beyond 2^53 (${text}) cannot be read as a number`);
  return value;
});

/**
 * Opens a pool on a PostgreSQL database (a `postgres://` URL: DATABASE_URL), checks that it answers
 * and brings its schema up to date. Rejects with an Error naming DATABASE_URL, never the password.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    // Notices a dead peer on an idle connection (a firewall dropping it) instead of at the next query.
    keepAlive: true,
    application_name: options.applicationName ?? 'ee-draw-bot',
    // Small, frequent statements: JIT compiling a large plan (a broadcast's enqueue) costs more than it saves.
    options: '-c jit=off',
    types,
  });
  // Without a listener, an idle connection the server closes is an uncaught 'error': the process would exit.
  pool.on('error', (error) => options.onError?.(error));
  const db = new PoolDatabase(pool);
  try {
    try {
      (await pool.connect()).release();
    } catch (error) {
      throw new Error(`could not connect to PostgreSQL at ${addressOf(url)} (DATABASE_URL): ${redact(reasonOf(error), url)}`);
    }
    await migratePostgres(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

/** The `?` placeholders of the shared SQL, numbered once per statement text. */
const positional = new Map<string, string>();

/**
 * `?` → `$1, $2…` in order, skipping single-quoted literals (a doubled `''` closes and reopens one,
 * so it needs no case of its own). The statements are the code's constants: the cache stays small.
 */
function toPositional(sql: string): string {
  let text = positional.get(sql);
  if (text === undefined) {
    text = '';
    let next = 1;
    let quoted = false;
    for (const char of sql) {
      if (char === "'") quoted = !quoted;
      text += char === '?' && !quoted ? `$${next++}` : char;
    }
    positional.set(sql, text);
  }
  return text;
}

function query(target: Queryable, sql: string, params: readonly unknown[]): Promise<QueryResult> {
  // Without parameters pg sends the text as a simple query, which is what lets a migration hold
  // several statements; its comments and literals are then left exactly as written.
  if (params.length === 0) return target.query(sql);
  return target.query(
    toPositional(sql),
    params.map((value) => (value === undefined ? null : value)),
  );
}

function executorOn(target: Queryable): SqlExecutor {
  return {
    engine: 'postgres',
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await query(target, sql, params)).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await query(target, sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => (await query(target, sql, params)).rowCount ?? 0,
  };
}

class PoolDatabase implements PostgresDatabase {
  readonly engine = 'postgres' as const;
  private readonly direct: SqlExecutor;
  private ended: Promise<void> | undefined;

  constructor(readonly pool: Pool) {
    this.direct = executorOn(pool);
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    // Set when the connection dies or a ROLLBACK fails: the client is then discarded, never handed
    // to the next caller in an unknown state.
    let broken: Error | undefined;
    // A checked-out client has no pool listener: its connection dying between two statements would
    // otherwise be an uncaught 'error'. The next statement rejects instead, and so does the work.
    const onError = (error: Error) => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(executorOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // After a failed BEGIN or COMMIT there is no transaction left: ROLLBACK only warns.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.ended ??= this.pool.end();
    return this.ended;
  }
}

/** `host:port/database` as pg reads the URL (its defaults and PG* variables included); no user, no password. */
function addressOf(url: string): string {
  try {
    const target = new Client({ connectionString: url });
    return `${target.host}:${target.port}/${target.database}`;
  } catch {
    return 'an address pg cannot read';
  }
}

function reasonOf(error: unknown): string {
  // Node reports a refused `localhost` (both ::1 and 127.0.0.1 tried) as an AggregateError without a message.
  if (error instanceof AggregateError && !error.message) return error.errors.map(reasonOf).join('; ');
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

/** Whatever the driver or the OS put in the reason, the URL and its password do not reach a log. */
function redact(reason: string, url: string): string {
  let password: string | undefined;
  try {
    password = new Client({ connectionString: url }).password ?? undefined;
  } catch {
    password = undefined;
  }
  let text = reason.split(url).join('DATABASE_URL');
  if (password) text = text.split(password).join('***');
  return text;
}
