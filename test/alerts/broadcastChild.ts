import { Api } from 'grammy';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramTransport } from '../../src/telegram/telegramTransport.js';
import { openStores } from './helpers.js';

/**
 * A bot process for killMidBroadcast.test.ts: drains the outbox of the database file it is given
 * against the Bot API root it is given, with at most `maxInFlight` requests awaiting an answer,
 * until it is killed.
 */
const [dbPath, apiRoot, token, maxInFlight] = process.argv.slice(2) as [string, string, string, string];
const { outbox } = openStores(dbPath);
const sender = new AlertSender({
  outbox,
  transport: telegramTransport(new Api(token, { apiRoot }), (reply) => reply.title),
  reply: (round) => alertReply(outbox.draw(round)!, undefined),
  limiter: new RateLimiter({ perSecond: 1000 }),
  log: silentLogger,
  maxInFlight: Number(maxInFlight),
});
sender.start();
