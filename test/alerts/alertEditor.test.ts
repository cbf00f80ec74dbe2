import { Api } from 'grammy';
import { afterEach, beforeEach, expect, it, type MockInstance, vi } from 'vitest';
import { type Alerts, createAlerts } from '../../src/alerts/createAlerts.js';
import type { Draw } from '../../src/domain/drawSchema.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import type { Storage } from '../../src/storage/storage.js';
import { alertHtml, telegramLimits, telegramTransport } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine, type TestStorage } from '../storage/testEngines.js';
import { type FakeTelegram, startFakeTelegram } from './fakeTelegramServer.js';

const previous = makeDraw({ round: '422', date: '2026-06-25', category: 'healthcare', crs: 470 });
const announced = makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 475, name: 'Healthcare occupations' });
const chats = ['1001', '1002', '-1003'];

describeEachEngine('a corrected round edits its alerts in place', (engine) => {
  let server: FakeTelegram;
  let store: TestStorage;
  let held: Draw[];
  let alerts: Alerts;

  const open = (storage: Storage) => createAlerts({ storage, log: silentLogger, draws: () => held });
  /** Telegram's limits ×10, as a fast test can bear: a chat's edit still waits its turn after its alert. */
  const transport = () =>
    telegramTransport(new Api(server.token, { apiRoot: server.apiRoot }), alertHtml, { limiter: new RateLimiter(telegramLimits(10)) });
  const rows = () =>
    store.db.all<{ chatId: string; messageId: string | null; revision: number }>(
      'SELECT chat_id AS "chatId", message_id AS "messageId", revision FROM deliveries ORDER BY chat_id',
    );

  /** The round announced to every chat, each alert recorded as sent with its message id. */
  async function announce(): Promise<void> {
    for (const chat of chats) await store.storage.subscriptions.subscribe('telegram', chat, ['healthcare']);
    alerts.startSender(transport(), { idleMs: 10_000 });
    held = [announced, previous];
    await alerts.onNewDraws([announced]);
    await vi.waitFor(async () => expect((await alerts.outbox.counts('telegram')).sent).toBe(chats.length), { timeout: 5000, interval: 5 });
  }

  /** The alert as edited. */
  async function alertsReply() {
    const reply = await alerts.correctedReply('435');
    if (!reply) throw new Error('round 435 is not known');
    return reply;
  }

  /** Waits until the dataset check onDataset started is done (`count` of them in all, so far). */
  async function datasetChecked(count: number): Promise<void> {
    await vi.waitFor(() => expect(checks).toHaveBeenCalledTimes(count), { timeout: 5000, interval: 5 });
    await Promise.all(checks.mock.results.map((result) => result.value));
  }
  let checks: MockInstance<Alerts['outbox']['announcePool']>;

  beforeEach(async () => {
    server = await startFakeTelegram();
    store = await engine.open();
    held = [previous];
    alerts = open(store.storage);
    checks = vi.spyOn(alerts.outbox, 'announcePool');
  });
  afterEach(async () => {
    await alerts.close();
    await server.close();
    await store.dispose();
  });

  it('a corrected cut-off: the three alerts sent are edited once, with the note; nothing new is sent', async () => {
    await announce();
    // Each alert's message_id, as Telegram answered it, is kept with its delivery.
    expect((await rows()).map((r) => r.messageId).sort()).toEqual(
      server
        .delivered()
        .map((m) => String(m.messageId))
        .sort(),
    );

    const corrected = { ...announced, crs: 472 };
    held = [corrected, previous];
    alerts.onDataset(held);
    await datasetChecked(1);
    await alerts.editsSettled();

    expect(server.received).toHaveLength(3);
    expect(server.edits.map((e) => e.chatId).sort()).toEqual([...chats].sort());
    expect(server.edits.every((e) => e.answer === 'ok' && e.parseMode === 'HTML')).toBe(true);
    const html = alertHtml(await alertsReply());
    expect(html).toContain('Corrected by IRCC: cut-off 475 → 472.');
    expect(html).toContain('Cut-off 472, 2 higher than the previous healthcare draw');
    for (const sent of server.delivered()) expect(server.textOf(sent.chatId, sent.messageId!)).toBe(html);
    expect((await rows()).map((r) => r.revision)).toEqual([1, 1, 1]);

    // The same dataset again, and a restart (a connection of its own): nothing more is edited, nothing sent.
    alerts.onDataset(held);
    await datasetChecked(2);
    await alerts.editsSettled();
    await alerts.close();
    alerts = open((await store.reopen()).storage);
    alerts.startSender(transport(), { idleMs: 10_000 });
    await alerts.editsSettled();
    expect(server.edits).toHaveLength(3);
    expect(server.received).toHaveLength(3);
  });

  it('a rename alone changes nothing: no edit, the round kept as announced', async () => {
    await announce();
    held = [{ ...announced, name: 'Healthcare and social services occupations (Version 2)', categoryVersion: 2 }, previous];
    alerts.onDataset(held);
    await datasetChecked(1);
    await alerts.editsSettled();
    expect(server.edits).toHaveLength(0);
    expect((await alerts.outbox.draw('435'))?.name).toBe('Healthcare occupations');
    expect(await alerts.outbox.revision('435')).toBe(0);
  });

  it('a message deleted is skipped, one already reading so counts as edited; each is tried once', async () => {
    await announce();
    // One chat deleted its alert (unknown to the fake server from now on).
    await store.db.run("UPDATE deliveries SET message_id = '999999' WHERE chat_id = '1002'");
    held = [{ ...announced, invitations: 3100 }, previous];
    alerts.onDataset(held);
    await datasetChecked(1);
    await alerts.editsSettled();
    expect(server.edits.map((e) => [e.chatId, e.answer]).sort()).toEqual([
      ['-1003', 'ok'],
      ['1001', 'ok'],
      ['1002', 400],
    ]);
    expect((await rows()).map((r) => r.revision)).toEqual([1, 1, 1]);

    // An edit made but not recorded (the bot killed with it on the wire): made again, "not modified", done.
    await store.db.run("UPDATE deliveries SET revision = 0 WHERE chat_id = '1001'");
    await alerts.editsSettled();
    expect(server.edits.slice(3).map((e) => [e.chatId, e.answer])).toEqual([['1001', 400]]);
    expect((await rows()).map((r) => r.revision)).toEqual([1, 1, 1]);
    await alerts.editsSettled();
    expect(server.edits).toHaveLength(4);
  });

  it('an alert still pending goes out with the corrected figures and is never edited', async () => {
    for (const chat of chats) await store.storage.subscriptions.subscribe('telegram', chat, ['healthcare']);
    held = [announced, previous];
    await alerts.onNewDraws([announced]); // no sender yet: all three pending
    held = [{ ...announced, crs: 472 }, previous];
    alerts.onDataset(held);
    await datasetChecked(1);
    alerts.startSender(transport(), { idleMs: 10_000 });
    await vi.waitFor(async () => expect((await alerts.outbox.counts('telegram')).sent).toBe(3), { timeout: 5000, interval: 5 });
    await alerts.editsSettled();
    expect(server.edits).toHaveLength(0);
    const text = server.delivered()[0]!.text;
    expect(text).toContain('Cut-off 472');
    expect(text).not.toContain('Corrected');
    expect((await rows()).map((r) => r.revision)).toEqual([1, 1, 1]);
  });
});
