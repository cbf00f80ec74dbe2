import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/alerts/outbox.js';
import { lockPostgres } from '../../src/storage/postgres/lockPostgres.js';
import { openPostgres } from '../../src/storage/postgres/openPostgres.js';
import { lockDataDir } from '../../src/storage/sqlite/lockDataDir.js';
import { openSqlite } from '../../src/storage/sqlite/openSqlite.js';
import { createStorage } from '../../src/storage/storage.js';
import { tempDir } from '../alerts/helpers.js';
import { makeDraw } from '../fixtures/draws.js';
import { describePostgres, freshDatabaseUrl } from '../storage/postgresTestDatabase.js';

let temp: ReturnType<typeof tempDir>;
let target: Awaited<ReturnType<typeof freshDatabaseUrl>> | undefined;
beforeEach(() => {
  temp = tempDir();
});
afterEach(async () => {
  temp.remove();
  await target?.drop();
  target = undefined;
});

/** `npm run db:copy -- …` from source, with DATA_DIR set; async, so that this process can hold a lock meanwhile. */
function copy(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/copyCli.ts', ...args], {
      env: { ...process.env, DATA_DIR: temp.dir, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A DATA_DIR as a bot leaves it: subscriptions, a profile, a round announced with one alert sent and two pending. */
async function botState(): Promise<void> {
  const db = openSqlite(temp.dbPath);
  const storage = createStorage(db);
  await storage.subscriptions.subscribe('telegram', '1', 'all');
  await storage.subscriptions.subscribe('telegram', '2', ['healthcare'], '7');
  await storage.subscriptions.subscribe('discord', '3', ['healthcare'], undefined, '99');
  await storage.profiles.set('discord', '99', { crs: 481, categories: ['healthcare'], timeZone: 'America/Toronto' });
  const outbox = new Outbox(storage);
  await outbox.enqueue([makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare' })]);
  const [first] = await outbox.due('telegram', Date.now(), 1);
  await outbox.claim(first!, 'bot', Date.now());
  await outbox.markSent(first!.id, 'bot', Date.now(), '555');
  await db.close();
}

// Each run starts a Node process with the TypeScript loader: about a second each.
describe('npm run db:copy', { timeout: 60_000 }, () => {
  it('refuses without --to, with a URL that is not postgres://, and without an alerts database', async () => {
    const none = await copy();
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('Name the PostgreSQL database to copy into with --to.');
    const wrong = await copy('--to', 'mysql://x');
    expect(wrong.stderr).toContain('--to must be a postgres:// URL.');
    const missing = await copy('--to', 'postgres://127.0.0.1:1/none');
    expect(missing.stderr).toContain(`there is no alerts database at ${temp.dbPath}`);
  });

  describePostgres('into PostgreSQL', () => {
    it("copies everything, the live sync's dataset included, says what, and a second run changes nothing", async () => {
      await botState();
      copyFileSync('test/fixtures/dataset.json', join(temp.dir, 'draws.json'));
      target = await freshDatabaseUrl();
      const first = await copy('--to', target.url);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(
        /^Copied .*alerts\.sqlite to PostgreSQL 127\.0\.0\.1:\d+\/ee_test_\w+: 3 subscription row\(s\) in 3 chat\(s\), 1 profile\(s\), 3 deliveries \(2 pending\), 1 announced round\(s\), \d+ state entries, the live sync's dataset \(\d+ rounds\); counts verified\./,
      );

      const db = await openPostgres(target.url);
      try {
        const storage = createStorage(db);
        expect(await storage.subscriptions.list('telegram', '2')).toEqual(['healthcare']);
        expect(await storage.subscriptions.thread('telegram', '2')).toBe('7');
        expect(await storage.subscriptions.owner('discord', '3')).toBe('99');
        expect(await storage.profiles.get('discord', '99')).toEqual({ crs: 481, categories: ['healthcare'], timeZone: 'America/Toronto' });
        expect(await storage.deliveries.counts('telegram')).toEqual({ pending: 1, sent: 1, gone: 0, failed: 0 });
        expect((await storage.rounds.draw('435'))?.category).toBe('healthcare');
        const dataset = await storage.dataset.read();
        expect(dataset?.draws.length).toBeGreaterThan(10);
        // New rows are numbered after the copied ones.
        const before = await db.get<{ n: number }>('SELECT MAX(id) AS n FROM deliveries');
        await new Outbox(storage).enqueue([makeDraw({ round: '436', date: '2026-08-08', category: 'cec' })]);
        const after = await db.all<{ id: number }>(`SELECT id FROM deliveries WHERE round = '436'`);
        expect(after.every((row) => row.id > before!.n)).toBe(true);
        await db.run(`DELETE FROM deliveries WHERE round = '436'`);
        await db.run(`DELETE FROM alert_rounds WHERE round = '436'`);
      } finally {
        await db.close();
      }

      const again = await copy('--to', target.url);
      expect(again.status).toBe(0);
      expect(again.stdout).toMatch(/^Nothing to do: PostgreSQL .* already holds this copy of .*alerts\.sqlite/);
    });

    it('refuses a target that holds anything else, and writes nothing', async () => {
      await botState();
      target = await freshDatabaseUrl();
      const db = await openPostgres(target.url);
      await createStorage(db).subscriptions.subscribe('telegram', '777', 'all');
      await db.close();
      const refused = await copy('--to', target.url);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe(
        'Copy refused: the target database is not empty (1 subscriptions); copy only into a new, empty database.\n',
      );
      const check = await openPostgres(target.url);
      expect((await check.get<{ n: number }>('SELECT COUNT(*) AS n FROM deliveries'))?.n).toBe(0);
      await check.close();
    });

    it('refuses while a bot runs on either side', async () => {
      await botState();
      target = await freshDatabaseUrl();
      const held = await lockDataDir(temp.dir);
      const sqliteBusy = await copy('--to', target.url);
      await held.release();
      expect(sqliteBusy.status).toBe(1);
      expect(sqliteBusy.stderr).toMatch(/^Copy refused: DATA_DIR .* is in use by another bot process/);

      const db = await openPostgres(target.url);
      const lock = await lockPostgres(db);
      const postgresBusy = await copy('--to', target.url);
      await lock.release();
      await db.close();
      expect(postgresBusy.status).toBe(1);
      expect(postgresBusy.stderr).toMatch(/^Copy refused: the database at DATABASE_URL is in use by another bot process/);
      expect(postgresBusy.stderr).not.toContain(target.url);
    });
  });
});
