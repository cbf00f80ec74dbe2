import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/sqlite/openSqlite.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/sqliteMigrations.js';
import { createStorage } from '../../src/storage/storage.js';
import { tempDir } from '../alerts/helpers.js';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

/** `npm run backup -- …` as the lead's script runs it, from source, with DATA_DIR set. */
const backup = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/app/backupCli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: temp.dir, LOG_LEVEL: 'silent' },
  });

// Each run starts a Node process with the TypeScript loader: about a second each, more on a busy machine.
describe('npm run backup', { timeout: 60_000 }, () => {
  it('refuses a missing database, naming DATA_DIR, and an existing file unless --force', async () => {
    const target = join(temp.dir, 'backup.sqlite');
    const missing = backup(target);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      `Backup failed: there is no alerts database at ${join(temp.dir, 'alerts.sqlite')} (DATA_DIR is ${temp.dir}); set DATA_DIR to the folder the bot uses, or start the bot once to create it.\n`,
    );
    expect(existsSync(target)).toBe(false);

    const db = openSqlite(temp.dbPath);
    await createStorage(db).subscriptions.subscribe('telegram', '42', ['healthcare', 'cec']);
    await db.close();
    const made = backup(target);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(
      /^Backed up \S+alerts\.sqlite to \S+backup\.sqlite \(\d+\.\d KB\): schema version \d+, 2 subscriptions in 1 chat, 0 deliveries \(0 pending\)\.\n$/,
    );
    expect(made.stdout).toContain(`: schema version ${SQLITE_MIGRATIONS.length}, `);

    writeFileSync(target, 'an older backup');
    const refused = backup(target);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`Backup failed: ${target} already exists (use --force to replace it).\n`);
    expect(readFileSync(target, 'utf8')).toBe('an older backup');

    const forced = backup(target, '--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('2 subscriptions in 1 chat');
    expect(readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('points at pg_dump when DATABASE_URL is set, writing nothing', () => {
    const target = join(temp.dir, 'backup.sqlite');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/app/backupCli.ts', target], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: temp.dir, LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://bot:s3cret@db.example/eebot' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^Backup not taken: DATABASE_URL is set, so the bot keeps its state in PostgreSQL; back it up with pg_dump/,
    );
    expect(result.stderr).not.toContain('s3cret');
    expect(existsSync(target)).toBe(false);
  });

  it('asks for a file name', () => {
    const result = backup();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Name the file to write the copy to.\nUsage: npm run backup -- <file> [--force]');
  });
});
