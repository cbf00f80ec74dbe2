import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { Outbox } from '../src/alerts/outbox.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { createAnswers } from '../src/commands/createAnswers.js';
import { parseCommandLine } from '../src/commands/parseCommandLine.js';
import { renderText } from '../src/console/renderText.js';
import type { Draw } from '../src/domain/drawSchema.js';
import { silentLogger } from '../src/lib/log.js';
import type { SqlDatabase } from '../src/storage/sqlDatabase.js';
import type { Storage } from '../src/storage/storage.js';
import { testChat } from '../test/commands/chats.js';
import { makeDraw } from '../test/fixtures/draws.js';
import { type TestEngine, testEngines } from '../test/storage/testEngines.js';
import { ms, percentiles } from './stats.js';

/** Chats a year of alerts goes to, and rounds in that year: 50,000 × 100 = 5 M delivery rows (the figure). */
const YEAR_CHATS = Number(process.env.BENCH_YEAR_CHATS ?? 50_000);
const YEAR_ROUNDS = 100;
const CLAIMED = 10_000;
const IN_FLIGHT = 30;
const DAY = 86_400_000;

/**
 * The storage on each engine (PostgreSQL when TEST_DATABASE_URL names a server: `source .ci/postgres.sh
 * && start_postgres` starts a throwaway one): an answer that looks a profile up, claim + settle
 * throughput at the sender's concurrency, and — with a year of delivery rows loaded — enqueueing a
 * round to every chat, the start-up scan, and pruning.
 */
export default async function benchStorage(): Promise<string[]> {
  const lines = [
    `Per engine: SQLite (WAL, on the OS temp folder) and, where TEST_DATABASE_URL is set, a local PostgreSQL 15 (pool of 10, on 127.0.0.1). A year of rows: ${YEAR_CHATS.toLocaleString('en-CA')} chats × ${YEAR_ROUNDS} rounds = ${(YEAR_CHATS * YEAR_ROUNDS).toLocaleString('en-CA')} deliveries, all sent, one round corrected and its alerts edited.`,
    '',
    `| measure | ${testEngines.map((e) => e.name).join(' | ')} |`,
    `|---|${testEngines.map(() => '---|').join('')}`,
  ];
  if (testEngines.length === 1) lines.unshift('(PostgreSQL skipped: set TEST_DATABASE_URL to run it.)', '');
  const columns = await Promise.all(testEngines.map(() => [] as string[]));
  for (const [i, engine] of testEngines.entries()) columns[i] = await measure(engine);
  const names = [
    'answer with a profile lookup (`/check`, private chat), p50 / p99',
    'profile lookup alone, p50 / p99',
    `claim + settle, ${CLAIMED.toLocaleString('en-CA')} deliveries, ${IN_FLIGHT} at a time`,
    'loading the year of rows (setup, not a goal)',
    `enqueue one round to ${YEAR_CHATS.toLocaleString('en-CA')} chats, over the year of rows`,
    'start-up scan (release claims, pending count, next due, owed edits), over the year of rows',
    'prune the rows older than 90 days (the first prune of a year of rows)',
  ];
  for (const [row, name] of names.entries()) lines.push(`| ${name} | ${columns.map((c) => c[row]).join(' | ')} |`);
  return lines;
}

async function measure(engine: TestEngine): Promise<string[]> {
  const opened = await engine.open();
  try {
    const { storage, db } = opened;
    return [...(await answers(storage)), await claimAndSettle(storage), ...(await yearOfRows(storage, db))];
  } finally {
    await opened.dispose();
  }
}

async function answers(storage: Storage): Promise<string[]> {
  const data = (await openDrawStore(['data/draws.json'])).current;
  const { chat } = testChat('telegram', { id: '123456789', isPrivate: true });
  await storage.profiles.set('telegram', chat.userId!, {
    crs: 481,
    categories: ['cec', 'healthcare'],
    submittedAt: '2025-01-31T10:15:00Z',
    timeZone: 'America/Toronto',
  });
  const answer = createAnswers({
    data,
    clock: () => DateTime.fromISO('2026-11-25T12:00:00Z'),
    log: silentLogger,
    commands,
    profiles: storage.profiles,
  });
  const line = parseCommandLine('/check', { requireSlash: true });
  const check = await timed(2000, async () => {
    renderText(await answer.line(line, chat));
  });
  const lookup = await timed(5000, async () => {
    await storage.profiles.get('telegram', chat.userId!);
  });
  return [`${ms(check.p50)} / **${ms(check.p99)}**`, `${ms(lookup.p50)} / ${ms(lookup.p99)}`];
}

async function timed(runs: number, work: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < runs / 10; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return percentiles(samples);
}

const round = (n: number, date: string): Draw => makeDraw({ round: String(n), date });

/** The sender's pattern: read what is due, then claim and settle row by row, IN_FLIGHT at a time. */
async function claimAndSettle(storage: Storage): Promise<string> {
  await storage.transaction(async ({ subscriptions }) => {
    for (let i = 0; i < CLAIMED; i++) await subscriptions.subscribe('bench', String(i), 'all');
  });
  const outbox = new Outbox(storage);
  await outbox.enqueue([round(9000, '2026-12-01')]);
  const start = performance.now();
  let settled = 0;
  for (;;) {
    const due = await outbox.due('bench', Date.now(), 200);
    if (due.length === 0) break;
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < due.length) {
          const delivery = due[next++]!;
          if (!(await outbox.claim(delivery, 'bench', Date.now()))) continue;
          await outbox.markSent(delivery.id, 'bench', Date.now(), '1');
          settled++;
        }
      }),
    );
  }
  const perSecond = (settled / (performance.now() - start)) * 1000;
  return `**${Math.round(perSecond).toLocaleString('en-CA')} /s** (${settled.toLocaleString('en-CA')} settled)`;
}

async function yearOfRows(storage: Storage, db: SqlDatabase): Promise<string[]> {
  const now = Date.UTC(2026, 11, 1);
  const loadStart = performance.now();
  await db.run(`DELETE FROM deliveries`);
  await db.run(`DELETE FROM subscriptions`);
  await db.transaction(async (tx) => {
    const numbers = (n: number) =>
      tx.engine === 'postgres'
        ? `SELECT generate_series(0, ${n - 1}) AS i`
        : `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1}) SELECT i FROM s`;
    await tx.run(
      `INSERT INTO subscriptions (platform, chat_id, category, created_at) SELECT 'telegram', CAST(1000000 + i AS TEXT), '*', ${now} FROM (${numbers(YEAR_CHATS)}) AS chats`,
    );
    for (let r = 0; r < YEAR_ROUNDS; r++) {
      const at = now - (YEAR_ROUNDS - r) * 3.65 * DAY;
      const draw = round(8000 + r, new Date(at).toISOString().slice(0, 10));
      await tx.run('INSERT INTO alert_rounds (round, draw, category, enqueued_at, revision) VALUES (?, ?, ?, ?, ?)', [
        draw.round,
        JSON.stringify(draw),
        'cec',
        Math.round(at),
        r === YEAR_ROUNDS - 1 ? 1 : 0,
      ]);
      await tx.run(
        `INSERT INTO deliveries (platform, chat_id, round, status, next_attempt_at, created_at, sent_at, message_id, revision)
         SELECT platform, chat_id, ?, 'sent', ?, ?, ?, '42', ? FROM subscriptions WHERE platform = 'telegram'`,
        [draw.round, Math.round(at), Math.round(at), Math.round(at), r === YEAR_ROUNDS - 1 ? 1 : 0],
      );
    }
  });
  if (db.engine === 'postgres') await db.run('ANALYZE');
  const loadMs = performance.now() - loadStart;

  const outbox = new Outbox(storage, () => now);
  const enqueueStart = performance.now();
  const created = await outbox.enqueue([round(9999, '2026-12-01')]);
  const enqueueMs = performance.now() - enqueueStart;

  const scanStart = performance.now();
  await storage.deliveries.releaseClaims('bench');
  await storage.deliveries.pendingCount('telegram');
  await storage.deliveries.nextDueAt('telegram');
  await storage.deliveries.owedEdits('telegram', 100);
  const scanMs = performance.now() - scanStart;

  const pruneStart = performance.now();
  let pruned = 0;
  let slowest = 0;
  for (let batch = 500; batch === 500; ) {
    const start = performance.now();
    batch = await storage.deliveries.prune(now - 90 * DAY, 500);
    slowest = Math.max(slowest, performance.now() - start);
    pruned += batch;
  }
  const pruneMs = performance.now() - pruneStart;
  return [
    `${(loadMs / 1000).toFixed(1)} s`,
    `**${ms(enqueueMs)}** (${created.toLocaleString('en-CA')} rows)`,
    `**${ms(scanMs)}**`,
    `${(pruneMs / 1000).toFixed(1)} s for ${pruned.toLocaleString('en-CA')} rows, in batches of 500: the longest ${ms(slowest)}`,
  ];
}
