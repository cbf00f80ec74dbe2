import { performance } from 'node:perf_hooks';
import { Outbox } from '../src/alerts/outbox.js';
import { openPostgres } from '../src/storage/postgres/openPostgres.js';
import { createStorage } from '../src/storage/storage.js';
import { feedServer } from '../test/app/appFixtures.js';
import { freePort, type InstanceProcess, startInstance } from '../test/app/instanceProcess.js';
import { makeDraw } from '../test/fixtures/draws.js';
import { freshDatabaseUrl } from '../test/storage/postgresTestDatabase.js';
import { peakWindow } from '../test/telegram/budgetScenario.js';
import { type ApiCall, FakeBotApi, textMessage } from '../test/telegram/fakeBotApi.js';
import { percentiles } from './stats.js';

const FIRST_CHAT = 5000;
const RUNS = 10;
const isAlert = (call: ApiCall) => call.method === 'sendMessage' && Number(call.payload.chat_id) >= FIRST_CHAT;
const tookTheLead = (entry: { msg: string }) => entry.msg.startsWith('took the lead');

/** A fresh database with `subscribers` chats owed round 435's alert, a fake Bot API and a quiet feed. */
async function world(subscribers: number) {
  const database = await freshDatabaseUrl();
  const db = await openPostgres(database.url, { max: 2 });
  const storage = createStorage(db);
  await storage.transaction(async ({ subscriptions }) => {
    for (let i = 0; i < subscribers; i++) await subscriptions.subscribe('telegram', String(FIRST_CHAT + i), 'all');
  });
  await new Outbox(storage).enqueue([makeDraw({ round: '435', date: '2026-08-20', category: 'healthcare', crs: 462 })]);
  const telegram = await FakeBotApi.start();
  const feed = await feedServer();
  return {
    database,
    telegram,
    feed,
    async close(instances: InstanceProcess[]) {
      await Promise.all(instances.map((instance) => instance.dispose()));
      await telegram.close();
      await feed.close();
      await db.close();
      await database.drop();
    },
  };
}

/** SIGKILL the leader once it has sent some alerts: ms until the first alert from the instance that takes over. */
async function failoverOnce(leaseTtl: string): Promise<number> {
  const w = await world(200);
  const env = { apiRoot: w.telegram.apiRoot, DATABASE_URL: w.database.url, FEED_URL: w.feed.url, LEASE_TTL: leaseTtl };
  const instances: InstanceProcess[] = [];
  try {
    const a = await startInstance('a', env);
    instances.push(a);
    await a.waitForLog(tookTheLead);
    const b = await startInstance('b', env);
    instances.push(b);
    await b.waitForLog((entry) => entry.msg.startsWith('following'));
    await w.telegram.waitFor((calls) => calls.filter(isAlert).length >= 20, 30_000);
    const killedAt = performance.now();
    a.signal('SIGKILL');
    await a.exited;
    const before = w.telegram.calls.filter(isAlert).length;
    await w.telegram.waitFor((calls) => calls.filter(isAlert).length > before, 60_000);
    return w.telegram.calls.filter(isAlert)[before]!.at - killedAt;
  } finally {
    await w.close(instances);
  }
}

/**
 * Two instances in webhook mode: the leader broadcasts to `subscribers` chats while both answer a
 * steady stream of questions posted straight to their webhooks. What reached the Bot API, per second.
 */
export async function broadcastWithAnswers(subscribers: number, questionsPerSecond: number) {
  const w = await world(subscribers);
  const secret = 'bench-Secret_1';
  const ports = [await freePort(), await freePort()];
  const instances: InstanceProcess[] = [];
  try {
    const begun = performance.now();
    for (const [i, name] of ['a', 'b'].entries()) {
      const instance = await startInstance(name, {
        apiRoot: w.telegram.apiRoot,
        DATABASE_URL: w.database.url,
        FEED_URL: w.feed.url,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.test/telegram/hook',
        TELEGRAM_WEBHOOK_SECRET: secret,
        PORT: String(ports[i]),
        WEBHOOK_HOST: '127.0.0.1',
      });
      instances.push(instance);
      await instance.waitForLog(i === 0 ? tookTheLead : (entry) => entry.msg.startsWith('following'));
    }
    // Timed from the second instance's start, while the leader broadcasts at its whole budget: the
    // newcomer holds its sends until the leader has counted it and halved its own.
    const started = performance.now();
    let asked = 0;
    const asking = setInterval(() => {
      for (let k = 0; k < questionsPerSecond / 10; k++) {
        const n = asked++;
        void fetch(`http://127.0.0.1:${ports[n % 2]}/telegram/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret },
          body: JSON.stringify({ update_id: 900_000 + n, ...textMessage({ id: 100 + (n % 400) }, '/latest') }),
        })
          .then((response) => response.arrayBuffer())
          .catch(() => undefined); // instances stopping at the end
      }
    }, 100);
    await w.telegram.waitFor((calls) => calls.filter(isAlert).length >= subscribers, 300_000);
    clearInterval(asking);
    const ms = performance.now() - started;
    // Every message since the leader started: alone at the whole budget, then beside the newcomer.
    const sends = w.telegram.calls.filter((call) => call.method === 'sendMessage' && call.at >= begun);
    const times = (pick: (call: ApiCall) => boolean) => sends.filter(pick).map((call) => call.at);
    const fromA = (call: ApiCall) => isAlert(call) || Number(call.payload.chat_id) % 2 === 0;
    return {
      /** Both together from the newcomer's start on (before it, the leader alone at its whole budget). */
      peakTogether: peakWindow(times((call) => call.at >= started)),
      /** Each instance's own peak: the leader sends the alerts and answers the even chats (the balancer's first). */
      peaks: [peakWindow(times(fromA)), peakWindow(times((call) => !fromA(call)))],
      ms,
      asked,
      answers: sends.filter((call) => !isAlert(call)).length,
      alerts: sends.filter(isAlert).length,
      peak: peakWindow(sends.map((call) => call.at)),
    };
  } finally {
    await w.close(instances);
  }
}

export default async function bench(): Promise<string[]> {
  if (!process.env.TEST_DATABASE_URL)
    return ['(Skipped: several instances need PostgreSQL; set TEST_DATABASE_URL, e.g. `source .ci/postgres.sh; start_postgres`.)'];
  const lines = [
    'Two bot processes (tsx, from the source) on one local PostgreSQL 15 and the fake Bot API, as test/app/severalInstances.test.ts runs them.',
    '',
    '| measure | runs | median | min | max |',
    '|---|---|---|---|---|',
  ];
  for (const ttl of ['10s', '3s']) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(await failoverOnce(ttl));
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    lines.push(
      `| failover, LEASE_TTL=${ttl}: SIGKILL of the leader mid-broadcast → first alert from the new leader | ${RUNS} | ${s(percentiles(times).p50)} | ${s(Math.min(...times))} | ${s(Math.max(...times))} |`,
    );
  }
  const load = await broadcastWithAnswers(600, 20);
  lines.push(
    '',
    `Webhook mode, two instances, a broadcast to 600 chats from the leader while 20 questions a second go to the two webhooks in turn: ${load.alerts} alerts and ${load.answers} answers (of ${load.asked} asked) in ${(load.ms / 1000).toFixed(1)} s; **peak ${load.peak} messages in any 1 s window** at the Bot API, both instances together (Telegram's limit: 30); each instance's own peak ${load.peaks.join(' and ')} (its half: 15).`,
  );
  return lines;
}
