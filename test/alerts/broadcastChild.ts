import { Api } from 'grammy';
import { createAlerts } from '../../src/alerts/createAlerts.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { openPostgres } from '../../src/storage/postgres/openPostgres.js';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.js';
import { openSqlite } from '../../src/storage/sqlite/openSqlite.js';
import { createStorage } from '../../src/storage/storage.js';
import { telegramTransport } from '../../src/telegram/telegramTransport.js';

/**
 * A bot process for killMidBroadcast.test.ts: opens the store at `location` (a SQLite file, or a
 * PostgreSQL URL), catches up and drains its outbox as the bot does — claiming rows as `claimant` —
 * against the Bot API root it is given, with at most `maxInFlight` requests awaiting an answer,
 * until it is killed.
 */
const [location, apiRoot, token, maxInFlight, claimant] = process.argv.slice(2) as [string, string, string, string, string];
const db: SqlDatabase = /^postgres(ql)?:\/\//.test(location) ? await openPostgres(location, { max: 4 }) : openSqlite(location);
const alerts = createAlerts({ storage: createStorage(db), log: silentLogger, draws: () => [], claimant });
await alerts.catchUp();
alerts.startSender(
  telegramTransport(new Api(token, { apiRoot }), (reply) => reply.title),
  { limiter: new RateLimiter({ perSecond: 1000 }), maxInFlight: Number(maxInFlight) },
);
