import { afterEach, beforeEach, expect, it, type MockInstance, vi } from 'vitest';
import type { AlertTransport } from '../../src/alerts/alertTransport.js';
import { type Alerts, createAlerts } from '../../src/alerts/createAlerts.js';
import { PacedDispatcher } from '../../src/alerts/pacedDispatcher.js';
import type { Reply } from '../../src/core/reply.js';
import type { OwedEdit } from '../../src/domain/delivery.js';
import type { Draw } from '../../src/domain/drawSchema.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import type { Storage } from '../../src/storage/storage.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine, type TestStorage } from '../storage/testEngines.js';
import { fakeTransport } from './helpers.js';

const previous = makeDraw({ round: '422', date: '2026-06-25', category: 'healthcare', crs: 475 });
const next = makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 462 });

describeEachEngine('createAlerts', (engine) => {
  let store: TestStorage;
  let storage: Storage;
  let held: Draw[];
  let alerts: Alerts;
  /** A real, moving clock (the sender paces by it), set to the day of the new round. */
  let now: () => number;
  /** Answers a request a test holds on the wire, should it fail first (close() waits for it). */
  let unblock: () => void;
  beforeEach(async () => {
    unblock = () => undefined;
    held = [previous];
    const offset = Date.UTC(2026, 7, 12, 15) - Date.now();
    now = () => Date.now() + offset;
    store = await engine.open(now);
    storage = store.storage;
    alerts = createAlerts({ storage, log: silentLogger, draws: () => held, now });
  });
  afterEach(async () => {
    unblock();
    await alerts.close();
    await store.dispose();
  });

  /** Waits until the dataset checks onDataset started (`count` of them in all, so far) are done. */
  async function datasetChecked(spy: MockInstance<Alerts['outbox']['announcePool']>, count: number): Promise<void> {
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(count), { timeout: 5000, interval: 5 });
    await Promise.all(spy.mock.results.map((result) => result.value));
  }

  it('wires subscriptions, the outbox and a sender: a new round reaches the chats that asked', async () => {
    await storage.subscriptions.subscribe('telegram', '1', ['healthcare']);
    await storage.subscriptions.subscribe('telegram', '2', ['cec']);
    const fake = fakeTransport();
    alerts.startSender(fake.transport, { idleMs: 10_000 });
    held = [next, previous];
    await alerts.onNewDraws([next]);
    await vi.waitFor(() => expect(fake.sends).toHaveLength(1), { timeout: 5000, interval: 5 });
    expect(fake.sends[0]).toEqual({ chatId: '1', title: 'New draw #435: Healthcare and social services' });
    expect((await alerts.reply('435'))?.lines).toEqual([
      'Cut-off 462, 13 lower than the previous healthcare draw (#422, Jun 25, 2026: 475).',
    ]);
    await vi.waitFor(async () => expect(await alerts.outbox.pendingCount('telegram')).toBe(0), { timeout: 5000, interval: 5 });
    expect(await alerts.outbox.counts('telegram')).toEqual({ pending: 0, sent: 1, gone: 0, failed: 0 });
  });

  it("holds a corrected alert's edit while the chat's next alert is on the wire: one request at a time per chat", async () => {
    const later = makeDraw({ round: '436', date: '2026-08-12', category: 'healthcare', crs: 470 });
    await storage.subscriptions.subscribe('telegram', '1', ['healthcare']);
    const events: string[] = [];
    let onWire = false;
    let answer: () => void = () => undefined;
    const transport: AlertTransport = {
      platform: 'telegram',
      async send(_chatId, reply) {
        const round = /#(\d+)/.exec(reply.title)?.[1];
        events.push(`send #${round}`);
        // The second round's alert stays on the wire until the test answers it.
        if (round === '436') {
          onWire = true;
          await new Promise<void>((resolve) => {
            answer = resolve;
            unblock = resolve;
          });
        }
        events.push(`sent #${round}`);
        return { status: 'sent', messageId: `m${round}` };
      },
      async edit(_chatId, messageId) {
        events.push(`edit ${messageId}`);
        return { status: 'edited' };
      },
    };
    alerts.startSender(transport, { idleMs: 10_000 });
    held = [next, previous];
    await alerts.onNewDraws([next]);
    await vi.waitFor(async () => expect((await alerts.outbox.counts('telegram')).sent).toBe(1), { timeout: 5000, interval: 5 });
    held = [later, next, previous];
    await alerts.onNewDraws([later]);
    await vi.waitFor(() => expect(onWire).toBe(true), { timeout: 5000, interval: 5 });

    // IRCC corrects #435 meanwhile: chat 1's message of it is owed an edit.
    const owed = vi.spyOn(alerts.outbox, 'owedEdits');
    const checked = vi.spyOn(alerts.outbox, 'announcePool');
    held = [later, { ...next, crs: 460 }, previous];
    alerts.onDataset(held);
    await datasetChecked(checked, 1);
    // The editor read the edit owed, then read on past it: an edit not held back would be on the wire by then.
    await vi.waitFor(() => expect(owed.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 5 });
    const batches: OwedEdit[][] = await Promise.all(owed.mock.results.map((result) => result.value));
    expect(batches[0]!.map((row) => [row.chatId, row.messageId])).toEqual([['1', 'm435']]);
    expect(events).toEqual(['send #435', 'sent #435', 'send #436']);

    // The alert's answer comes back: then, and only then, the edit goes.
    answer();
    await vi.waitFor(() => expect(events).toHaveLength(5), { timeout: 5000, interval: 5 });
    await alerts.editsSettled();
    expect(events).toEqual(['send #435', 'sent #435', 'send #436', 'sent #436', 'edit m435']);
    expect(await alerts.outbox.owedEdits('telegram', 10, 0)).toEqual([]);
  });

  it("holds a chat's next alert while an edit of its last one is on the wire; other chats' go", async () => {
    const later = makeDraw({ round: '436', date: '2026-08-12', category: 'healthcare', crs: 470 });
    for (const chat of ['1', '2']) await storage.subscriptions.subscribe('telegram', chat, ['healthcare']);
    const events: string[] = [];
    let onWire = false;
    let answer: () => void = () => undefined;
    const transport: AlertTransport = {
      platform: 'telegram',
      async send(chatId, reply) {
        const round = /#(\d+)/.exec(reply.title)?.[1];
        events.push(`send ${chatId} #${round}`);
        return { status: 'sent', messageId: `m${round}` };
      },
      async edit(chatId) {
        events.push(`edit ${chatId}`);
        // Chat 1's edit stays on the wire until the test answers it.
        if (chatId === '1') {
          onWire = true;
          await new Promise<void>((resolve) => {
            answer = resolve;
            unblock = resolve;
          });
        }
        events.push(`edited ${chatId}`);
        return { status: 'edited' };
      },
    };
    // The dispatcher the sender and the editor share, given here to watch what the sender waits for.
    const dispatcher = new PacedDispatcher({ limiter: new RateLimiter({}, now) });
    alerts.startSender(transport, { idleMs: 10_000, dispatcher });
    held = [next, previous];
    await alerts.onNewDraws([next]);
    await vi.waitFor(async () => expect((await alerts.outbox.counts('telegram')).sent).toBe(2), { timeout: 5000, interval: 5 });
    held = [{ ...next, crs: 460 }, previous];
    alerts.onDataset(held);
    await vi.waitFor(() => expect(onWire).toBe(true), { timeout: 5000, interval: 5 });

    // A new round while chat 1's edit is on the wire. The sender goes through both chats' rows, then
    // waits for a request to settle with chat 1's edit the only one left: by then chat 1's alert, had
    // it not been held back, would be on the wire too.
    const settleOne = dispatcher.settleOne.bind(dispatcher);
    let waitingOnEdit = false;
    vi.spyOn(dispatcher, 'settleOne').mockImplementation((signal) => {
      if (dispatcher.inFlight === 1 && dispatcher.busy('1')) waitingOnEdit = true;
      return settleOne(signal);
    });
    held = [later, { ...next, crs: 460 }, previous];
    await alerts.onNewDraws([later]);
    // (Or until chat 1's alert went: then the edit was not waited for, and the test fails below.)
    await vi.waitFor(() => expect(waitingOnEdit || events.includes('send 1 #436')).toBe(true), { timeout: 5000, interval: 5 });
    expect(events).toContain('send 2 #436');
    expect(events).not.toContain('send 1 #436');
    expect(events).not.toContain('edited 1');

    answer();
    await vi.waitFor(() => expect(events).toContain('send 1 #436'), { timeout: 5000, interval: 5 });
    expect(events.indexOf('edited 1')).toBeLessThan(events.indexOf('send 1 #436'));
    await vi.waitFor(async () => expect(await alerts.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 4 }), {
      timeout: 5000,
      interval: 5,
    });
  });

  it('catches up at start-up on a round the dataset gained while no alert was recorded', async () => {
    await storage.subscriptions.subscribe('telegram', '1', 'all');
    await alerts.catchUp(); // first start: remembers #422 as the newest
    expect(await alerts.outbox.pendingCount('telegram')).toBe(0);
    held = [next, previous]; // written by the poller, then the bot was killed before onNewDraws
    await alerts.catchUp();
    expect(await alerts.outbox.pendingCount('telegram')).toBe(1);
    await alerts.onNewDraws([next]); // the poller reporting it after all changes nothing
    expect(await alerts.outbox.pendingCount('telegram')).toBe(1);
  });

  it('catchUp releases the claims a dead run left (not its own), so those alerts go again', async () => {
    await storage.subscriptions.subscribe('telegram', '1', 'all');
    await storage.subscriptions.subscribe('telegram', '2', 'all');
    held = [next, previous];
    await alerts.onNewDraws([next]);
    const [one, two] = await alerts.outbox.due('telegram', Date.UTC(2026, 7, 13), 10);
    // One row on the wire when the last run was killed; one this instance holds (its claimant).
    const restarted = createAlerts({ storage, log: silentLogger, draws: () => held, claimant: 'run-2' });
    expect(await alerts.outbox.claim(one!, 'run-1', Date.UTC(2026, 7, 13))).toBe(true);
    expect(await alerts.outbox.claim(two!, 'run-2', Date.UTC(2026, 7, 13))).toBe(true);
    expect(await alerts.outbox.nextDueAt('telegram')).toBeUndefined();
    await restarted.catchUp();
    expect((await alerts.outbox.due('telegram', Date.UTC(2026, 7, 13), 10)).map((row) => row.id)).toEqual([one!.id]);
    await restarted.close();
  });

  it("puts a private chat owner's verdict in their alerts, for their lanes; groups and other chats stay generic", async () => {
    const pool = {
      asOf: '2026-08-10',
      total: 200_000,
      bands: [
        { min: 0, max: 450, count: 150_000 },
        { min: 451, max: 470, count: 20_000 },
        { min: 471, max: 1200, count: 30_000 },
      ],
    };
    const round = makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 462, pool });
    await storage.subscriptions.subscribe('telegram', '42', 'all', undefined, '42'); // a private chat: its owner
    await storage.subscriptions.subscribe('telegram', '43', 'all', undefined, '43');
    await storage.subscriptions.subscribe('telegram', '44', 'all', undefined, '44');
    await storage.subscriptions.subscribe('telegram', '-1001', 'all'); // a group: no owner
    await storage.subscriptions.subscribe('discord', '900', 'all', undefined, 'u-7'); // a DM channel and its user
    await storage.profiles.set('telegram', '42', { crs: 470, categories: ['healthcare'], timeZone: 'America/Toronto' });
    await storage.profiles.set('telegram', '43', { crs: 452, categories: ['healthcare', 'cec'] });
    await storage.profiles.set('telegram', '44', { crs: 530, categories: ['cec'] }); // not a lane of theirs
    await storage.profiles.set('telegram', '-1001', { crs: 999, categories: [] }); // never read: a group has no owner
    await storage.profiles.set('discord', 'u-7', { crs: 462, categories: [], submittedAt: '2020-01-01' });
    const lines = new Map<string, readonly string[]>();
    const times = new Map<string, string | undefined>();
    const transport = (platform: AlertTransport['platform']): AlertTransport => ({
      platform,
      async send(chatId: string, reply: Reply) {
        lines.set(`${platform}:${chatId}`, reply.lines ?? []);
        times.set(`${platform}:${chatId}`, reply.fields?.find((field) => field.name === 'Time')?.value);
        return { status: 'sent' as const };
      },
    });
    alerts.startSender(transport('telegram'), { idleMs: 10_000 });
    alerts.startSender(transport('discord'), { idleMs: 10_000 });
    held = [round, previous];
    await alerts.onNewDraws([round]);
    await vi.waitFor(() => expect(lines.size).toBe(5), { timeout: 5000, interval: 5 });
    const generic = 'Cut-off 462, 13 lower than the previous healthcare draw (#422, Jun 25, 2026: 475).';
    expect(lines.get('telegram:42')).toEqual([generic, 'Your CRS 470 qualifies (+8).']);
    // Its owner has a zone: the round's time in it too; others see UTC only.
    expect(times.get('telegram:42')).toBe('15:00:00 UTC · 11:00:00 Toronto');
    expect(times.get('telegram:-1001')).toBe('15:00:00 UTC');
    // Scores 453 to 461: 9 of the 451-470 band's 20 scores, 9,000 of its profiles.
    expect(lines.get('telegram:43')).toEqual([
      generic,
      'Your CRS 452: short by 10; about 9,000 profiles in the pool sat between you and the cut-off.',
    ]);
    expect(lines.get('telegram:44')).toEqual([generic]);
    expect(lines.get('telegram:-1001')).toEqual([generic]);
    expect(lines.get('discord:900')?.at(-1)).toMatch(/^Your CRS 462: tie/);
    // The shared alert is untouched by any chat's verdict.
    expect((await alerts.reply('435'))?.lines).toEqual([generic]);
  });

  it('sends a new pool distribution only to the chats that asked for it, once; the first one seen is only remembered', async () => {
    const bands = (middle: number) => [
      { min: 0, max: 450, count: 150_000 },
      { min: 451, max: 470, count: middle },
      { min: 471, max: 1200, count: 30_000 },
    ];
    const first = { ...previous, pool: { asOf: '2026-06-20', total: 200_000, bands: bands(20_000) } };
    held = [first];
    await storage.subscriptions.subscribePool('telegram', '7', undefined, '7'); // pool only, a private chat
    await storage.subscriptions.subscribe('telegram', '8', 'all'); // draws only
    await storage.subscriptions.subscribePool('telegram', '-1009'); // pool only, a group
    await storage.profiles.set('telegram', '7', { crs: 460, categories: [] });
    const sent: Array<{ chatId: string; title: string; lines: readonly string[] }> = [];
    alerts.startSender(
      {
        platform: 'telegram',
        async send(chatId, reply) {
          sent.push({ chatId, title: reply.title, lines: reply.lines ?? [] });
          return { status: 'sent' };
        },
      },
      { idleMs: 10_000 },
    );
    const announced = vi.spyOn(alerts.outbox, 'announcePool');
    await alerts.catchUp(); // the pool the bot starts with: remembered, not announced
    alerts.onDataset(held);
    await datasetChecked(announced, 2);
    expect(await alerts.outbox.pendingCount('telegram')).toBe(0);
    expect(await alerts.outbox.counts('telegram')).toEqual({ pending: 0, sent: 0, gone: 0, failed: 0 });

    // IRCC updates the distribution without a new round: the newest round's pool changes.
    held = [{ ...first, pool: { asOf: '2026-06-27', total: 203_100, bands: bands(23_100) } }];
    alerts.onDataset(held);
    await datasetChecked(announced, 3);
    alerts.onDataset(held); // the same dataset again announces nothing more
    await datasetChecked(announced, 4);
    expect(await announced.mock.results[3]!.value).toBeUndefined();
    await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: 5000, interval: 5 });
    await vi.waitFor(async () => expect(await alerts.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 2 }), {
      timeout: 5000,
      interval: 5,
    });
    expect(sent.map((m) => m.chatId).sort()).toEqual(['-1009', '7']);
    const group = sent.find((m) => m.chatId === '-1009')!;
    expect(group.title).toBe('New pool distribution: Jun 27, 2026');
    expect(group.lines).toEqual([
      '203,100 profiles in the pool on Jun 27, 2026 (+3,100 since Jun 20, 2026), published with round #422.',
      'Moved most: CRS 451–470 +3,100.',
    ]);
    // The private chat's owner learns where they stand: 10 of the band's 20 scores above 460, and everything over 470.
    expect(sent.find((m) => m.chatId === '7')!.lines.at(-1)).toBe('About 41,550 profiles now score above your CRS 460.');

    // A new round reaches the draw subscriber only: pool subscribers asked for no draw alerts.
    held = [next, ...held];
    await alerts.onNewDraws([next]);
    await vi.waitFor(() => expect(sent).toHaveLength(3), { timeout: 5000, interval: 5 });
    expect(sent[2]!.chatId).toBe('8');
    await vi.waitFor(async () => expect(await alerts.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 3 }), {
      timeout: 5000,
      interval: 5,
    });
  });
});
