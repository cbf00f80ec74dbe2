import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { readDataset } from '../feed/datasetFile.js';
import { CopyRefusedError, copyDatabase } from '../storage/copyDatabase.js';
import { DatabaseInUseError, lockPostgres } from '../storage/postgres/lockPostgres.js';
import { openPostgres } from '../storage/postgres/openPostgres.js';
import { alertsDbPath } from '../storage/sqlite/alertsDbPath.js';
import { DataDirInUseError, lockDataDir } from '../storage/sqlite/lockDataDir.js';
import { openSqlite } from '../storage/sqlite/openSqlite.js';
import { createStorage } from '../storage/storage.js';
import { LEADER_LEASE } from './leadership.js';

const USAGE =
  'Usage: npm run db:copy -- --to postgres://user:password@host:5432/database   (copies DATA_DIR/alerts.sqlite into an empty PostgreSQL database; stop the bot first)';

/**
 * `npm run db:copy -- --to postgres://…`: moving up from SQLite. Copies what the bot keeps in the
 * DATA_DIR it uses (`.env` included) — subscriptions, profiles, deliveries, announced rounds, state
 * and the live sync's dataset (draws.json) — into an empty PostgreSQL database, in one transaction, and says what it copied. Running
 * it again after a copy changes nothing; a non-empty target, or a bot running on either side, is
 * refused. One line on stdout when done; one sentence on stderr and exit 1 otherwise.
 */
async function main(): Promise<number> {
  let to: string;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new Error(`Unexpected "${positionals[0]!.slice(0, 30)}".`);
    if (!values.to) throw new Error('Name the PostgreSQL database to copy into with --to.');
    if (!/^postgres(ql)?:\/\//.test(values.to)) throw new Error('--to must be a postgres:// URL.');
    to = values.to;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }

  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const { dataDir } = loadConfig();
    const path = alertsDbPath(dataDir);
    if (!existsSync(path)) {
      console.error(
        `Copy failed: there is no alerts database at ${path} (DATA_DIR is ${dataDir}); set DATA_DIR to the folder the bot uses.`,
      );
      return 1;
    }
    // The bot's own locks, on both sides: a bot writing meanwhile would be copied half-way.
    const sourceLock = await lockDataDir(dataDir);
    try {
      const source = openSqlite(path);
      try {
        await createStorage(source).secret(); // a source from before secrets gets one: a second run then knows its copy
        const target = await openPostgres(to);
        try {
          const targetLock = await lockPostgres(target, 'ee-draw-bot db:copy');
          try {
            // Bots take no lock there: one leading holds the lease (and has written its secret: not empty either).
            const leader = await createStorage(target).leases.read(LEADER_LEASE);
            if (leader && leader.remainingMs > 0)
              throw new CopyRefusedError('a bot runs on the target database (it holds the leader lease); stop every instance first');
            const report = await copyDatabase(source, target, await readDataset(join(dataDir, 'draws.json')));
            const where = new URL(to);
            const into = `PostgreSQL ${where.hostname}:${where.port || 5432}${where.pathname}`;
            const { counts } = report;
            const what =
              `${counts.subscriptions} subscription row(s) in ${report.chats} chat(s), ${counts.profiles} profile(s), ` +
              `${counts.deliveries} deliveries (${report.pending} pending), ${counts.alert_rounds} announced round(s), ${counts.alert_state} state entries` +
              (report.rounds > 0 ? `, the live sync's dataset (${report.rounds} rounds)` : '');
            console.log(
              report.alreadyCopied
                ? `Nothing to do: ${into} already holds this copy of ${path} (${what}).`
                : `Copied ${path} to ${into}: ${what}; counts verified. Set DATABASE_URL to it and start the bot.`,
            );
            return 0;
          } finally {
            await targetLock.release();
          }
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
    } finally {
      await sourceLock.release();
    }
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof DataDirInUseError) console.error(`Copy refused: ${error.message}.`);
    else if (error instanceof DatabaseInUseError) console.error(`Copy refused: ${error.message}.`);
    else if (error instanceof CopyRefusedError) console.error(`Copy refused: ${error.message}.`);
    else console.error(`Copy failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return 1;
  }
}

process.exitCode = await main();
