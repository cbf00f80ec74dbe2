import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { alertsDbPath } from '../storage/sqlite/alertsDbPath.js';
import { BackupError, backupSqlite as backupAlerts, describeBackup } from '../storage/sqlite/backupSqlite.js';

const USAGE = 'Usage: npm run backup -- <file> [--force]   (copies DATA_DIR/alerts.sqlite to <file>; safe while the bot runs)';

/**
 * `npm run backup -- /backups/alerts-2026-08-07.sqlite`: an online, consistent copy of the alerts
 * database (subscriptions and outbox) of the DATA_DIR the bot uses, `.env` included. One line on
 * stdout when done; one sentence on stderr and exit 1 on any failure.
 */
async function main(): Promise<number> {
  let target: string;
  let force: boolean;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { force: { type: 'boolean', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'Name the file to write the copy to.' : 'Give one file name.');
    target = positionals[0]!;
    force = values.force ?? false;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }

  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const config = loadConfig();
    if (config.databaseUrl) {
      console.error(
        'Backup not taken: DATABASE_URL is set, so the bot keeps its state in PostgreSQL; back it up with pg_dump, e.g. pg_dump --format=custom --file=eebot.dump "$DATABASE_URL" (docs/scaling.md, "SQLite or PostgreSQL").',
      );
      return 1;
    }
    const dbPath = alertsDbPath(config.dataDir);
    if (!existsSync(dbPath)) {
      console.error(
        `Backup failed: there is no alerts database at ${dbPath} (DATA_DIR is ${config.dataDir}); set DATA_DIR to the folder the bot uses, or start the bot once to create it.`,
      );
      return 1;
    }
    const result = await backupAlerts(dbPath, target, { force });
    console.log(describeBackup(dbPath, result));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof BackupError) console.error(`Backup failed: ${error.message}.`);
    else console.error(`Backup failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return 1;
  }
}

process.exitCode = await main();
