import { SchemaTooNewError } from '../schemaTooNewError.js';
import type { SqlDatabase, SqlExecutor } from '../sqlDatabase.js';
import { ADDITIVE_MIGRATIONS, POSTGRES_MIGRATIONS } from './postgresMigrations.js';

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
    // Whether an instance of the version before may run on the schema this one made (a rolling upgrade).
    await tx.run('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS older_may_run BOOLEAN NOT NULL DEFAULT false');
    const current = await postgresSchemaVersion(tx);
    const known = POSTGRES_MIGRATIONS.length;
    if (current > known) {
      // A newer instance migrated while this older one starts (an upgrade rolling through): fine when
      // every version it added leaves what this one reads and writes as it was.
      const newer = await tx.get<{ additive: boolean | null }>(
        'SELECT bool_and(older_may_run) AS additive FROM schema_migrations WHERE version > ?',
        [known],
      );
      if (newer?.additive) return;
      throw new SchemaTooNewError(
        `the database at DATABASE_URL is at schema version ${current}, newer than this bot knows (${known}); refusing to touch it`,
      );
    }
    for (let version = current + 1; version <= known; version++) {
      await tx.run(POSTGRES_MIGRATIONS[version - 1]!);
      await tx.run('INSERT INTO schema_migrations (version, older_may_run) VALUES (?, ?)', [version, ADDITIVE_MIGRATIONS.has(version)]);
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
