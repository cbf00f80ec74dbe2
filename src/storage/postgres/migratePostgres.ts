import { SchemaTooNewError } from '../schemaTooNewError.js';
import type { SqlDatabase, SqlExecutor } from '../sqlDatabase.js';
import { POSTGRES_MIGRATIONS } from './postgresMigrations.js';

/** Held for the migration's transaction: a second bot starting at once waits, then finds nothing left to do. */
const MIGRATION_LOCK = 0x6565_6d69_6772_6174n; // "eemigrat"

/** Brings the schema up to date, in one transaction: a failed migration leaves the database as it was. */
export async function migratePostgres(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    // Taken before anything is read or created: two bots racing to CREATE TABLE would otherwise collide.
    await tx.run(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // A migration may rewrite a large table; the pool's statement timeout is for the bot's own queries.
    await tx.run('SET LOCAL statement_timeout = 0');
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const current = await postgresSchemaVersion(tx);
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new SchemaTooNewError(
        `the database at DATABASE_URL is at schema version ${current}, newer than this bot knows (${POSTGRES_MIGRATIONS.length}); refusing to touch it`,
      );
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await tx.run(POSTGRES_MIGRATIONS[version - 1]!);
      await tx.run('INSERT INTO schema_migrations (version) VALUES (?)', [version]);
    }
  });
}

/** The schema version a database is at: the newest migration applied, 0 for an empty database. */
export async function postgresSchemaVersion(db: SqlExecutor): Promise<number> {
  const table = await db.get<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!table?.present) return 0;
  const row = await db.get<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return row?.version ?? 0;
}
