import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDraw } from '../fixtures/draws.js';
import { fakeClock, openStores, tempDir } from './helpers.js';

const healthcare = makeDraw({
  round: '435',
  date: '2026-08-07',
  category: 'healthcare',
  name: 'Healthcare and Social Services Occupations, 2026-Version 3',
  crs: 462,
});
const cec = makeDraw({ round: '436', date: '2026-08-08', crs: 520 });

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.remove());

function world() {
  const clock = fakeClock();
  const stores = openStores(temp.dbPath, clock.now);
  const { subscriptions } = stores;
  subscriptions.subscribe('telegram', '1', 'all');
  subscriptions.subscribe('telegram', '2', ['healthcare']);
  subscriptions.subscribe('telegram', '3', ['cec', 'stem']);
  subscriptions.subscribe('discord', '1', ['healthcare', 'pnp']);
  return { clock, ...stores };
}

const chatsFor = (rows: Array<{ chatId: string; round: string }>, round: string) =>
  rows
    .filter((r) => r.round === round)
    .map((r) => r.chatId)
    .sort();

describe('Outbox', () => {
  it('enqueues a delivery for every chat whose subscription matches, per platform', () => {
    const { outbox, clock, db } = world();
    expect(outbox.enqueue([healthcare, cec])).toBe(5);
    const due = outbox.claimDue('telegram', clock.now(), 100);
    expect(chatsFor(due, '435')).toEqual(['1', '2']);
    expect(chatsFor(due, '436')).toEqual(['1', '3']);
    expect(outbox.claimDue('discord', clock.now(), 100).map((d) => [d.chatId, d.round])).toEqual([['1', '435']]);
    expect(outbox.pendingCount('telegram')).toBe(4);
    expect(outbox.draw('435')).toEqual(healthcare);
    db.close();
  });

  it('enqueueing the same round again creates nothing, even after it was sent', () => {
    const { outbox, clock, db } = world();
    outbox.enqueue([healthcare]);
    for (const d of outbox.claimDue('telegram', clock.now(), 100)) outbox.markSent(d.id, clock.now());
    expect(outbox.enqueue([healthcare])).toBe(0);
    expect(outbox.pendingCount('telegram')).toBe(0);
    expect(outbox.counts('telegram')).toEqual({ pending: 0, sent: 2, gone: 0, failed: 0 });
    db.close();
  });

  it('hands out rows that are due, oldest first, and tells whether a claimed row still is', () => {
    const { outbox, clock, db } = world();
    outbox.enqueue([healthcare]);
    const [first, second] = outbox.claimDue('telegram', clock.now(), 100);
    outbox.markSent(first!.id, clock.now());
    outbox.retryLater(second!.id, clock.now() + 5000);
    expect(outbox.claimDue('telegram', clock.now(), 100)).toEqual([]);
    expect(outbox.isDue(first!.id, first!.chatId, clock.now())).toBe(false);
    expect(outbox.isDue(second!.id, second!.chatId, clock.now())).toBe(false);
    expect(outbox.nextDueAt('telegram')).toBe(clock.now() + 5000);
    expect(outbox.claimDue('telegram', clock.now() + 5000, 100).map((d) => d.id)).toEqual([second!.id]);
    expect(outbox.isDue(second!.id, second!.chatId, clock.now() + 5000)).toBe(true);
    expect(outbox.isDue(second!.id, 'another chat', clock.now() + 5000)).toBe(false);
    db.close();
  });

  it('counts failed tries but not rate-limit waits', () => {
    const { outbox, clock, db } = world();
    outbox.enqueue([cec]);
    const [row] = outbox.claimDue('telegram', clock.now(), 1);
    outbox.retryLater(row!.id, clock.now());
    outbox.retryLater(row!.id, clock.now(), 'HTTP 502');
    expect(outbox.claimDue('telegram', clock.now(), 1)[0]).toMatchObject({ id: row!.id, attempts: 1 });
    db.close();
  });

  it('resumes what is pending after the database file is re-opened, whatever was in flight', () => {
    const first = world();
    first.outbox.enqueue([healthcare, cec]);
    const [sent, failed] = first.outbox.claimDue('telegram', first.clock.now(), 100);
    first.outbox.markSent(sent!.id, first.clock.now());
    first.outbox.markFailed(failed!.id, '400 Bad Request');
    first.db.close(); // as if killed: the two others may have been on the wire

    const again = openStores(temp.dbPath, first.clock.now);
    expect(again.outbox.pendingCount('telegram')).toBe(2);
    const due = again.outbox.claimDue('telegram', first.clock.now(), 100).map((d) => d.id);
    expect(due).toHaveLength(2);
    expect(due).not.toContain(sent!.id);
    expect(due).not.toContain(failed!.id);
    expect(again.outbox.draw('436')).toEqual(cec);
    again.db.close();
  });

  it('a gone chat loses its pending alerts and its subscription', () => {
    const { outbox, subscriptions, clock, db } = world();
    outbox.enqueue([healthcare, cec]);
    outbox.markGone('telegram', '1');
    expect(subscriptions.list('telegram', '1')).toEqual([]);
    expect(
      outbox
        .claimDue('telegram', clock.now(), 100)
        .map((d) => d.chatId)
        .sort(),
    ).toEqual(['2', '3']);
    expect(outbox.counts('telegram').gone).toBe(2);
    db.close();
  });

  it('a moved chat takes its subscription and deliveries along, and what it got is not sent again', () => {
    const { outbox, subscriptions, clock, db } = world();
    subscriptions.subscribe('telegram', '-100', ['cec']);
    outbox.enqueue([healthcare, cec]);
    // chat 1 got #435 already; the new id has its own pending #436.
    const oldRows = outbox.claimDue('telegram', clock.now(), 100).filter((d) => d.chatId === '1');
    outbox.markSent(oldRows.find((d) => d.round === '435')!.id, clock.now());
    outbox.moveChat('telegram', '1', '-100');

    expect(subscriptions.list('telegram', '1')).toEqual([]);
    expect(subscriptions.list('telegram', '-100')).toBe('all');
    const due = outbox.claimDue('telegram', clock.now(), 100).filter((d) => d.chatId === '-100' || d.chatId === '1');
    expect(due.map((d) => [d.chatId, d.round])).toEqual([['-100', '436']]);
    // #435 now counts as delivered to the new id: enqueueing it again creates nothing for it.
    expect(outbox.enqueue([healthcare])).toBe(0);
    db.close();
  });

  it('catches up on rounds newer than the newest it saw, but never floods history on first start', () => {
    const { outbox, clock, db } = world();
    const older = makeDraw({ round: '430', date: '2026-07-20', crs: 530 });
    const oldest = makeDraw({ round: '400', date: '2026-03-01', crs: 530 });
    // First start: remember the newest round only.
    expect(outbox.catchUp([older, oldest])).toEqual({ enqueued: [], tooOld: [] });
    expect(outbox.pendingCount('telegram')).toBe(0);
    // The dataset gained #435 and #436 while no alert was recorded (killed in between).
    const { enqueued, tooOld } = outbox.catchUp([cec, healthcare, older, oldest]);
    expect(enqueued.map((d) => d.round)).toEqual(['435', '436']);
    expect(tooOld).toEqual([]);
    expect(outbox.pendingCount('telegram')).toBe(4);
    expect(outbox.catchUp([cec, healthcare, older, oldest]).enqueued).toEqual([]);
    // Far too old to be news.
    clock.t += 30 * 86_400_000;
    const late = makeDraw({ round: '437', date: '2026-08-09', crs: 500 });
    expect(outbox.catchUp([late, cec]).tooOld.map((d) => d.round)).toEqual(['437']);
    db.close();
  });

  it('a corrected round: stored as corrected, its sent alerts with a message id owed one edit each', () => {
    const { outbox, clock, db } = world();
    outbox.enqueue([healthcare, cec]);
    const due = outbox.claimDue('telegram', clock.now(), 100);
    const [first, second] = due.filter((d) => d.round === '435');
    outbox.markSent(first!.id, clock.now(), '71');
    outbox.markSent(second!.id, clock.now()); // sent before message ids were kept: cannot be edited
    for (const d of due.filter((d) => d.round === '436')) outbox.markSent(d.id, clock.now(), '90');
    expect(outbox.owedEdits('telegram', 100)).toEqual([]);

    // A rename is no correction; a new cut-off is, and only for the round it concerns.
    expect(outbox.correct([{ ...healthcare, name: 'Healthcare occupations' }, cec])).toEqual([]);
    const corrected = { ...healthcare, crs: 459 };
    expect(outbox.correct([corrected, cec])).toEqual([
      { round: '435', before: healthcare, after: corrected, changes: [{ field: 'crs', before: 462, after: 459 }] },
    ]);
    expect(outbox.draw('435')).toEqual(corrected);
    expect(outbox.firstDraw('435')).toEqual(healthcare);
    expect(outbox.firstDraw('436')).toBeUndefined();
    expect(outbox.revision('435')).toBe(1);
    expect(outbox.correct([corrected, cec])).toEqual([]); // the same dataset again: nothing new

    expect(outbox.owedEdits('telegram', 100)).toEqual([
      { id: first!.id, chatId: first!.chatId, round: '435', messageId: '71', revision: 1 },
    ]);
    expect(outbox.owedEdits('telegram', 100, first!.id)).toEqual([]);
    expect(outbox.owedEdits('discord', 100)).toEqual([]); // still pending there: goes out corrected
    outbox.markEdited(first!.id, 1);
    expect(outbox.owedEdits('telegram', 100)).toEqual([]);

    // Corrected again: owed again; an alert sent meanwhile shows the round as it then was.
    const [pending] = outbox.claimDue('discord', clock.now(), 100);
    outbox.markSent(pending!.id, clock.now(), '1300');
    expect(outbox.correct([{ ...corrected, invitations: 3000 }, cec])).toHaveLength(1);
    expect(outbox.firstDraw('435')).toEqual(healthcare);
    expect(outbox.owedEdits('telegram', 100).map((o) => [o.messageId, o.revision])).toEqual([['71', 2]]);
    expect(outbox.owedEdits('discord', 100).map((o) => [o.messageId, o.revision])).toEqual([['1300', 2]]);
    db.close();
  });
});
