import { expect, it } from 'vitest';
import { type Delivery, Outbox } from '../../src/alerts/outbox.js';
import type { AlertPlatform } from '../../src/domain/subscription.js';
import type { SqlExecutor } from '../../src/storage/sqlDatabase.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { useStores } from './helpers.js';

const healthcare = makeDraw({
  round: '435',
  date: '2026-08-07',
  category: 'healthcare',
  name: 'Healthcare and Social Services Occupations, 2026-Version 3',
  crs: 462,
});
const cec = makeDraw({ round: '436', date: '2026-08-08', crs: 520 });

const chatsFor = (rows: Array<{ chatId: string; round: string }>, round: string) =>
  rows
    .filter((r) => r.round === round)
    .map((r) => r.chatId)
    .sort();

/** The row as stored: what a claim or a settlement changed, or did not. */
function rowOf(sql: SqlExecutor, id: number) {
  return sql.get<{
    status: string;
    attempts: number;
    next: number;
    claimedBy: string | null;
    error: string | null;
    messageId: string | null;
  }>(
    `SELECT status, attempts, next_attempt_at AS next, claimed_by AS "claimedBy", last_error AS error, message_id AS "messageId"
     FROM deliveries WHERE id = ?`,
    [id],
  );
}

/** Every due row of the platform, each claimed by `claimant` (as a sender takes them, one by one). */
async function claimDue(outbox: Outbox, platform: AlertPlatform, now: number, claimant = 'run-1'): Promise<Delivery[]> {
  const due = await outbox.due(platform, now, 100);
  for (const row of due) expect(await outbox.claim(row, claimant, now)).toBe(true);
  return due;
}

describeEachEngine('Outbox', (engine) => {
  const env = useStores(engine);

  async function world() {
    const { subscriptions } = env.stores;
    await subscriptions.subscribe('telegram', '1', 'all');
    await subscriptions.subscribe('telegram', '2', ['healthcare']);
    await subscriptions.subscribe('telegram', '3', ['cec', 'stem']);
    await subscriptions.subscribe('discord', '1', ['healthcare', 'pnp']);
    return { clock: env.clock, ...env.stores };
  }

  it('enqueues a delivery for every chat whose subscription matches, per platform', async () => {
    const { outbox, clock } = await world();
    expect(await outbox.enqueue([healthcare, cec])).toBe(5);
    const due = await outbox.due('telegram', clock.now(), 100);
    expect(chatsFor(due, '435')).toEqual(['1', '2']);
    expect(chatsFor(due, '436')).toEqual(['1', '3']);
    expect((await outbox.due('discord', clock.now(), 100)).map((d) => [d.chatId, d.round])).toEqual([['1', '435']]);
    expect(await outbox.pendingCount('telegram')).toBe(4);
    expect(await outbox.draw('435')).toEqual(healthcare);
    // `due` only reads: the rows are still there for whoever claims them.
    expect(await outbox.due('telegram', clock.now(), 100)).toEqual(due);
  });

  it('enqueueing the same round again creates nothing, even after it was sent', async () => {
    const { outbox, clock } = await world();
    await outbox.enqueue([healthcare]);
    for (const d of await claimDue(outbox, 'telegram', clock.now())) await outbox.markSent(d.id, 'run-1', clock.now());
    expect(await outbox.enqueue([healthcare])).toBe(0);
    expect(await outbox.pendingCount('telegram')).toBe(0);
    expect(await outbox.counts('telegram')).toEqual({ pending: 0, sent: 2, gone: 0, failed: 0 });
  });

  it('hands out rows that are due, oldest first; a row is claimed once, and only while pending, due, for its chat and held by nobody', async () => {
    const { outbox, clock } = await world();
    const now = clock.now();
    await outbox.enqueue([healthcare]);
    const [first, second] = await outbox.due('telegram', now, 100);
    expect([first!.chatId, second!.chatId].sort()).toEqual(['1', '2']);

    expect(await outbox.claim(first!, 'run-1', now)).toBe(true);
    expect(await outbox.claim(first!, 'run-1', now)).toBe(false); // once
    expect(await outbox.claim(first!, 'run-2', now)).toBe(false); // already held
    // `due` skips what is claimed, and so does `nextDueAt`.
    expect((await outbox.due('telegram', now, 100)).map((d) => d.id)).toEqual([second!.id]);
    expect(await outbox.claim({ ...second!, chatId: 'another chat' }, 'run-1', now)).toBe(false);

    // Parked without a claim (not sent: retried later), then due again at its time, not before.
    await outbox.retryLater(second!.id, undefined, now + 5000);
    expect(await outbox.due('telegram', now, 100)).toEqual([]);
    expect(await outbox.nextDueAt('telegram')).toBe(now + 5000);
    expect(await outbox.claim(second!, 'run-1', now)).toBe(false);
    expect(await outbox.claim(second!, 'run-1', now + 4999)).toBe(false);
    expect((await outbox.due('telegram', now + 5000, 100)).map((d) => d.id)).toEqual([second!.id]);
    expect(await outbox.claim({ ...second!, chatId: 'another chat' }, 'run-1', now + 5000)).toBe(false);
    expect(await outbox.claim(second!, 'run-2', now + 5000)).toBe(true);
    expect(await outbox.nextDueAt('telegram')).toBeUndefined(); // both pending rows are held

    // Settled rows are never claimed again: sent, or given up.
    await outbox.markSent(first!.id, 'run-1', now);
    expect(await outbox.claim(first!, 'run-1', now + 5000)).toBe(false);
    await outbox.markFailed(second!.id, 'run-2', '400 Bad Request');
    expect(await outbox.claim(second!, 'run-2', now + 5000)).toBe(false);
    expect(await outbox.due('telegram', now + 60_000, 100)).toEqual([]);
    expect(await outbox.counts('telegram')).toEqual({ pending: 0, sent: 1, gone: 0, failed: 1 });
  });

  it('nextDueAt is the earliest pending row nobody holds', async () => {
    const { outbox, clock } = await world();
    const now = clock.now();
    await outbox.enqueue([healthcare]);
    const [first, second] = await outbox.due('telegram', now, 100);
    await outbox.retryLater(second!.id, undefined, now + 5000);
    expect(await outbox.nextDueAt('telegram')).toBe(now);
    // The claimed row is due earlier, but it is on the wire: not what the sender should wake up for.
    expect(await outbox.claim(first!, 'run-1', now)).toBe(true);
    expect(await outbox.nextDueAt('telegram')).toBe(now + 5000);
    // Released to try again later: it counts again, at its new time.
    await outbox.retryLater(first!.id, 'run-1', now + 2000);
    expect(await outbox.nextDueAt('telegram')).toBe(now + 2000);
    expect(await outbox.nextDueAt('discord')).toBe(now);
  });

  it('settling with the wrong claimant, or without one on a held row, changes nothing', async () => {
    const { outbox, clock, db } = await world();
    const now = clock.now();
    await outbox.enqueue([cec]);
    const [row] = await outbox.due('telegram', now, 1);
    expect(await outbox.claim(row!, 'run-1', now)).toBe(true);
    const held = { status: 'pending', attempts: 0, next: now, claimedBy: 'run-1', error: null, messageId: null };
    expect(await rowOf(db, row!.id)).toEqual(held);

    await outbox.markSent(row!.id, 'run-2', now + 1, '99');
    await outbox.retryLater(row!.id, 'run-2', now + 5000, 'HTTP 502');
    await outbox.retryLater(row!.id, undefined, now + 5000, 'HTTP 502');
    await outbox.markFailed(row!.id, 'run-2', '400 Bad Request');
    await outbox.markFailed(row!.id, undefined, '400 Bad Request');
    expect(await rowOf(db, row!.id)).toEqual(held);

    // The claimant itself settles it; after that, nobody else can.
    await outbox.markSent(row!.id, 'run-1', now + 1, '71');
    const sent = { status: 'sent', attempts: 0, next: now, claimedBy: null, error: null, messageId: '71' };
    expect(await rowOf(db, row!.id)).toEqual(sent);
    await outbox.markSent(row!.id, 'run-1', now + 2, '72');
    await outbox.retryLater(row!.id, undefined, now + 5000, 'HTTP 502');
    await outbox.markFailed(row!.id, undefined, '400 Bad Request');
    expect(await rowOf(db, row!.id)).toEqual(sent);
  });

  it('counts failed tries but not rate-limit waits', async () => {
    const { outbox, clock } = await world();
    await outbox.enqueue([cec]);
    const [row] = await claimDue(outbox, 'telegram', clock.now());
    await outbox.retryLater(row!.id, 'run-1', clock.now());
    expect(await outbox.claim(row!, 'run-1', clock.now())).toBe(true);
    await outbox.retryLater(row!.id, 'run-1', clock.now(), 'HTTP 502');
    expect((await outbox.due('telegram', clock.now(), 1))[0]).toMatchObject({ id: row!.id, attempts: 1 });
  });

  it('resumes what is pending after the store is re-opened; what was on the wire goes again once the dead run’s claims are released', async () => {
    const first = await world();
    const now = first.clock.now();
    await first.outbox.enqueue([healthcare, cec]);
    const [sent, failed, ...inFlight] = await claimDue(first.outbox, 'telegram', now, 'dead-run');
    await first.outbox.markSent(sent!.id, 'dead-run', now);
    await first.outbox.markFailed(failed!.id, 'dead-run', '400 Bad Request');
    await first.db.close(); // as if killed: the two others were on the wire

    const again = await env.store.reopen(first.clock.now);
    const outbox = new Outbox(again.storage, first.clock.now);
    expect(await outbox.pendingCount('telegram')).toBe(2);
    // Still held by the run that died: nobody sends them until the new run releases its claims.
    expect(await outbox.due('telegram', now, 100)).toEqual([]);
    expect(await again.storage.deliveries.releaseClaims('new-run')).toBe(2);
    const due = (await outbox.due('telegram', now, 100)).map((d) => d.id);
    expect(due.sort()).toEqual(inFlight.map((d) => d.id).sort());
    expect(due).not.toContain(sent!.id);
    expect(due).not.toContain(failed!.id);
    expect(await outbox.draw('436')).toEqual(cec);
    // Settling a row of the dead run fails now that it is released.
    await outbox.markSent(due[0]!, 'dead-run', now);
    expect(await outbox.pendingCount('telegram')).toBe(2);
  });

  it('a gone chat loses its pending alerts and its subscription', async () => {
    const { outbox, subscriptions, clock } = await world();
    await outbox.enqueue([healthcare, cec]);
    await outbox.markGone('telegram', '1');
    expect(await subscriptions.list('telegram', '1')).toEqual([]);
    expect((await outbox.due('telegram', clock.now(), 100)).map((d) => d.chatId).sort()).toEqual(['2', '3']);
    expect((await outbox.counts('telegram')).gone).toBe(2);
  });

  it('a moved chat takes its subscription and deliveries along, and what it got is not sent again', async () => {
    const { outbox, subscriptions, clock } = await world();
    await subscriptions.subscribe('telegram', '-100', ['cec']);
    await outbox.enqueue([healthcare, cec]);
    // chat 1 got #435 already; the new id has its own pending #436.
    const got = (await outbox.due('telegram', clock.now(), 100)).find((d) => d.chatId === '1' && d.round === '435')!;
    expect(await outbox.claim(got, 'run-1', clock.now())).toBe(true);
    await outbox.markSent(got.id, 'run-1', clock.now());
    await outbox.moveChat('telegram', '1', '-100');

    expect(await subscriptions.list('telegram', '1')).toEqual([]);
    expect(await subscriptions.list('telegram', '-100')).toBe('all');
    const due = (await outbox.due('telegram', clock.now(), 100)).filter((d) => d.chatId === '-100' || d.chatId === '1');
    expect(due.map((d) => [d.chatId, d.round])).toEqual([['-100', '436']]);
    // #435 now counts as delivered to the new id: enqueueing it again creates nothing for it.
    expect(await outbox.enqueue([healthcare])).toBe(0);
  });

  it('catches up on rounds newer than the newest it saw, but never floods history on first start', async () => {
    const { outbox, clock } = await world();
    const older = makeDraw({ round: '430', date: '2026-07-20', crs: 530 });
    const oldest = makeDraw({ round: '400', date: '2026-03-01', crs: 530 });
    // First start: remember the newest round only.
    expect(await outbox.catchUp([older, oldest])).toEqual({ enqueued: [], tooOld: [] });
    expect(await outbox.pendingCount('telegram')).toBe(0);
    // The dataset gained #435 and #436 while no alert was recorded (killed in between).
    const { enqueued, tooOld } = await outbox.catchUp([cec, healthcare, older, oldest]);
    expect(enqueued.map((d) => d.round)).toEqual(['435', '436']);
    expect(tooOld).toEqual([]);
    expect(await outbox.pendingCount('telegram')).toBe(4);
    expect((await outbox.catchUp([cec, healthcare, older, oldest])).enqueued).toEqual([]);
    // Far too old to be news.
    clock.t += 30 * 86_400_000;
    const late = makeDraw({ round: '437', date: '2026-08-09', crs: 500 });
    expect((await outbox.catchUp([late, cec])).tooOld.map((d) => d.round)).toEqual(['437']);
  });

  it('a corrected round: stored as corrected, its sent alerts with a message id owed one edit each', async () => {
    const { outbox, clock } = await world();
    await outbox.enqueue([healthcare, cec]);
    const due = await claimDue(outbox, 'telegram', clock.now());
    const [first, second] = due.filter((d) => d.round === '435');
    await outbox.markSent(first!.id, 'run-1', clock.now(), '71');
    await outbox.markSent(second!.id, 'run-1', clock.now()); // sent before message ids were kept: cannot be edited
    for (const d of due.filter((d) => d.round === '436')) await outbox.markSent(d.id, 'run-1', clock.now(), '90');
    expect(await outbox.owedEdits('telegram', 100)).toEqual([]);

    // A rename is no correction; a new cut-off is, and only for the round it concerns.
    expect(await outbox.correct([{ ...healthcare, name: 'Healthcare occupations' }, cec])).toEqual([]);
    const corrected = { ...healthcare, crs: 459 };
    expect(await outbox.correct([corrected, cec])).toEqual([
      { round: '435', before: healthcare, after: corrected, changes: [{ field: 'crs', before: 462, after: 459 }] },
    ]);
    expect(await outbox.draw('435')).toEqual(corrected);
    expect(await outbox.firstDraw('435')).toEqual(healthcare);
    expect(await outbox.firstDraw('436')).toBeUndefined();
    expect(await outbox.revision('435')).toBe(1);
    expect(await outbox.correct([corrected, cec])).toEqual([]); // the same dataset again: nothing new

    expect(await outbox.owedEdits('telegram', 100)).toEqual([
      { id: first!.id, chatId: first!.chatId, round: '435', messageId: '71', revision: 1 },
    ]);
    expect(await outbox.owedEdits('telegram', 100, first!.id)).toEqual([]);
    expect(await outbox.owedEdits('discord', 100)).toEqual([]); // still pending there: goes out corrected
    await outbox.markEdited(first!.id, 1);
    expect(await outbox.owedEdits('telegram', 100)).toEqual([]);

    // Corrected again: owed again; an alert sent meanwhile shows the round as it then was.
    const [pending] = await claimDue(outbox, 'discord', clock.now());
    await outbox.markSent(pending!.id, 'run-1', clock.now(), '1300');
    expect(await outbox.correct([{ ...corrected, invitations: 3000 }, cec])).toHaveLength(1);
    expect(await outbox.firstDraw('435')).toEqual(healthcare);
    expect((await outbox.owedEdits('telegram', 100)).map((o) => [o.messageId, o.revision])).toEqual([['71', 2]]);
    expect((await outbox.owedEdits('discord', 100)).map((o) => [o.messageId, o.revision])).toEqual([['1300', 2]]);
  });
});
