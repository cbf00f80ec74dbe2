import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export interface BackupResult {
  /** The copy, as given. */
  path: string;
  bytes: number;
  /** The copy's `PRAGMA user_version`. */
  schemaVersion: number;
  /** Subscription rows (a chat has one per category, or one for every draw) and the chats they belong to. */
  subscriptions: number;
  chats: number;
  deliveries: number;
  pending: number;
}

/**
 * One step copies every page: a single `sqlite3_backup_step` runs in one read transaction, so the
 * copy is one consistent snapshot. Smaller steps would let the bot's writes between them restart
 * the copy from the first page, for ever if it keeps writing (SQLite restarts a backup whose source
 * another connection changed). The alerts database is small; in WAL mode the read blocks no writer.
 */
const EVERY_PAGE = 0x7fffffff;

/**
 * Copies the alerts database at `dbPath` to `target` while the bot may be running: an online,
 * consistent copy through SQLite's backup API, which reads committed data wherever it sits, the
 * `-wal` file included (copying `alerts.sqlite` alone misses whatever is not yet checkpointed). The
 * source is opened read-only and never checkpointed or changed.
 *
 * The copy is written beside `target` under a temporary name, read back (integrity check, schema
 * version, row counts), turned into a self-contained file (rollback journal, no `-wal` to carry) and
 * only then renamed into place, so `target` is either the old file or a complete copy. An existing
 * `target` is refused unless `force`. Failures throw a BackupError with one sentence.
 */
export async function backupSqlite(dbPath: string, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (!existsSync(dbPath)) throw new BackupError(`there is no alerts database at ${dbPath}`);
  const folder = dirname(resolve(target));
  if (!existsSync(folder)) throw new BackupError(`the folder ${folder} does not exist`);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new BackupError(`${target} is a folder; give a file name for the copy`);
    if (realpathSync(target) === realpathSync(dbPath)) throw new BackupError(`${target} is the alerts database itself`);
    if (!options.force) throw new BackupError(`${target} already exists (use --force to replace it)`);
  }

  const temp = join(folder, `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await copyDatabase(dbPath, temp);
    const counts = readBack(temp, dbPath);
    renameSync(temp, target);
    return { path: target, bytes: statSync(target).size, ...counts };
  } catch (error) {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`could not copy ${dbPath} to ${target}: ${firstLine(error)}`);
  }
}

async function copyDatabase(dbPath: string, temp: string): Promise<void> {
  let source: Database.Database;
  try {
    source = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`could not open ${dbPath}: ${firstLine(error)}`);
  }
  try {
    await source.backup(temp, { progress: () => EVERY_PAGE });
  } finally {
    source.close();
  }
}

function readBack(temp: string, dbPath: string): Omit<BackupResult, 'path' | 'bytes'> {
  const copy = new Database(temp, { fileMustExist: true });
  try {
    // The copy carries the source's WAL flag in its header; a backup is better as one plain file.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy of ${dbPath} failed SQLite's integrity check (${String(check)})`);
    const schemaVersion = copy.pragma('user_version', { simple: true }) as number;
    const tables = new Set(copy.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all());
    if (schemaVersion === 0 || !tables.has('subscriptions') || !tables.has('deliveries')) {
      throw new BackupError(`${dbPath} holds no alerts data yet (schema version ${schemaVersion}, no subscriptions table)`);
    }
    const count = (sql: string) => copy.prepare<[], number>(sql).pluck().get() ?? 0;
    return {
      schemaVersion,
      subscriptions: count('SELECT COUNT(*) FROM subscriptions'),
      chats: count('SELECT COUNT(*) FROM (SELECT DISTINCT platform, chat_id FROM subscriptions)'),
      deliveries: count('SELECT COUNT(*) FROM deliveries'),
      pending: count("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'"),
    };
  } finally {
    copy.close();
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/\.$/, '');
}

/** "48.0 KB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The CLI's one line: "Backed up var/alerts.sqlite to /backups/a.sqlite (48.0 KB): …". */
export function describeBackup(dbPath: string, result: BackupResult): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return (
    `Backed up ${dbPath} to ${result.path} (${formatBytes(result.bytes)}): schema version ${result.schemaVersion}, ` +
    `${plural(result.subscriptions, 'subscription')} in ${plural(result.chats, 'chat')}, ` +
    `${plural(result.deliveries, 'delivery', 'deliveries')} (${result.pending} pending).`
  );
}
