import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A DATA_DIR held by one bot process. */
export interface DataDirLock {
  /** Lets another process take DATA_DIR. Idempotent; the process exiting does the same. */
  release(): Promise<void>;
}

/** Another live process holds DATA_DIR: its message is the one line to print before exiting non-zero. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    /** The holder's pid, as it wrote it in DATA_DIR/bot.pid; undefined when unknown. */
    readonly pid: number | undefined,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another bot process (pid ${pid ?? 'unknown'}); stop it first, or give this one a DATA_DIR of its own`,
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Makes this process the only bot using `dataDir`, or throws a DataDirInUseError at once. The lock
 * is SQLite's exclusive lock on DATA_DIR/bot.lock, which the operating system drops when the process
 * ends however it ends (a SIGKILL, a power cut): a stale lock is never left to take over, and a pid
 * reused by another program after a restart cannot hold it. DATA_DIR/bot.pid names the holder, for
 * the refusal and for people. Call it before anything is written in DATA_DIR.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const pidFile = join(dataDir, 'bot.pid');
  // timeout 0: refused at once rather than after a wait for the holder.
  const db = new Database(join(dataDir, 'bot.lock'), { timeout: 0 });
  try {
    // Nothing in this file is worth a journal on disk (better-sqlite3's defensive mode refuses OFF);
    // in EXCLUSIVE mode the connection keeps the exclusive lock its first write takes until it closes.
    db.pragma('journal_mode = MEMORY');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec(`BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL); DELETE FROM holder;
      INSERT INTO holder (pid) VALUES (${process.pid}); COMMIT;`);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir, await holderPid(pidFile));
    throw error;
  }
  try {
    await writeFile(pidFile, `${process.pid}\n`);
  } catch (error) {
    db.close();
    throw error;
  }

  let released = false;
  /** Synchronous, so it also runs from the 'exit' event; the pid file is removed only if it is still ours. */
  const releaseNow = (): void => {
    if (released) return;
    released = true;
    process.off('exit', releaseNow);
    try {
      if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(pidFile);
    } catch {
      // Gone already: nothing to tidy.
    }
    db.close();
  };
  process.once('exit', releaseNow);
  return { release: async () => releaseNow() };
}

/** The pid the holder wrote; undefined while it has not written it yet, or if the file is odd. */
async function holderPid(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
