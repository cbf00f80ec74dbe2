import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Alerts, createAlerts } from '../../src/alerts/createAlerts.js';
import type { Draw } from '../../src/domain/drawSchema.js';
import { silentLogger } from '../../src/lib/log.js';
import { makeDraw } from '../fixtures/draws.js';
import { fakeTransport, tempDir } from './helpers.js';

const previous = makeDraw({ round: '422', date: '2026-06-25', category: 'healthcare', crs: 475 });
const next = makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 462 });

let temp: ReturnType<typeof tempDir>;
let held: Draw[];
let alerts: Alerts;
beforeEach(() => {
  temp = tempDir();
  held = [previous];
  // A real, moving clock (the sender paces by it), set to the day of the new round.
  const offset = Date.UTC(2026, 7, 12, 15) - Date.now();
  alerts = createAlerts({ dbPath: temp.dbPath, log: silentLogger, draws: () => held, now: () => Date.now() + offset });
});
afterEach(async () => {
  await alerts.close();
  temp.remove();
});

describe('createAlerts', () => {
  it('wires subscriptions, the outbox and a sender: a new round reaches the chats that asked', async () => {
    alerts.subscriptions.subscribe('telegram', '1', ['healthcare']);
    alerts.subscriptions.subscribe('telegram', '2', ['cec']);
    const fake = fakeTransport();
    alerts.startSender(fake.transport, { idleMs: 10_000 });
    held = [next, previous];
    alerts.onNewDraws([next]);
    await vi.waitFor(() => expect(fake.sends).toHaveLength(1), { timeout: 5000, interval: 5 });
    expect(fake.sends[0]).toEqual({ chatId: '1', title: 'New draw #435: Healthcare and social services' });
    expect(alerts.reply('435')?.lines).toEqual(['Cut-off 462, 13 lower than the previous healthcare draw (#422, Jun 25, 2026: 475).']);
    await vi.waitFor(() => expect(alerts.outbox.pendingCount('telegram')).toBe(0), { timeout: 5000, interval: 5 });
  });

  it('catches up at start-up on a round the dataset gained while no alert was recorded', () => {
    alerts.subscriptions.subscribe('telegram', '1', 'all');
    alerts.catchUp(); // first start: remembers #422 as the newest
    expect(alerts.outbox.pendingCount('telegram')).toBe(0);
    held = [next, previous]; // written by the poller, then the bot was killed before onNewDraws
    alerts.catchUp();
    expect(alerts.outbox.pendingCount('telegram')).toBe(1);
    alerts.onNewDraws([next]); // the poller reporting it after all changes nothing
    expect(alerts.outbox.pendingCount('telegram')).toBe(1);
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
    alerts.subscriptions.subscribe('telegram', '42', 'all', undefined, '42'); // a private chat: its owner
    alerts.subscriptions.subscribe('telegram', '43', 'all', undefined, '43');
    alerts.subscriptions.subscribe('telegram', '44', 'all', undefined, '44');
    alerts.subscriptions.subscribe('telegram', '-1001', 'all'); // a group: no owner
    alerts.subscriptions.subscribe('discord', '900', 'all', undefined, 'u-7'); // a DM channel and its user
    alerts.profiles.set('telegram', '42', { crs: 470, categories: ['healthcare'], timeZone: 'America/Toronto' });
    alerts.profiles.set('telegram', '43', { crs: 452, categories: ['healthcare', 'cec'] });
    alerts.profiles.set('telegram', '44', { crs: 530, categories: ['cec'] }); // not a lane of theirs
    alerts.profiles.set('telegram', '-1001', { crs: 999, categories: [] }); // never read: a group has no owner
    alerts.profiles.set('discord', 'u-7', { crs: 462, categories: [], submittedAt: '2020-01-01' });
    const lines = new Map<string, readonly string[]>();
    const times = new Map<string, string | undefined>();
    const transport = (platform: string) => ({
      platform,
      async send(chatId: string, reply: { lines?: readonly string[]; fields?: ReadonlyArray<{ name: string; value: string }> }) {
        lines.set(`${platform}:${chatId}`, reply.lines ?? []);
        times.set(`${platform}:${chatId}`, reply.fields?.find((field) => field.name === 'Time')?.value);
        return { status: 'sent' as const };
      },
    });
    alerts.startSender(transport('telegram'), { idleMs: 10_000 });
    alerts.startSender(transport('discord'), { idleMs: 10_000 });
    held = [round, previous];
    alerts.onNewDraws([round]);
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
    expect(alerts.reply('435')?.lines).toEqual([generic]);
  });

  it('sends a new pool distribution only to the chats that asked for it, once; the first one seen is only remembered', async () => {
    const bands = (middle: number) => [
      { min: 0, max: 450, count: 150_000 },
      { min: 451, max: 470, count: middle },
      { min: 471, max: 1200, count: 30_000 },
    ];
    const first = { ...previous, pool: { asOf: '2026-06-20', total: 200_000, bands: bands(20_000) } };
    held = [first];
    alerts.subscriptions.subscribePool('telegram', '7', undefined, '7'); // pool only, a private chat
    alerts.subscriptions.subscribe('telegram', '8', 'all'); // draws only
    alerts.subscriptions.subscribePool('telegram', '-1009'); // pool only, a group
    alerts.profiles.set('telegram', '7', { crs: 460, categories: [] });
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
    alerts.catchUp(); // the pool the bot starts with: remembered, not announced
    alerts.onDataset(held);
    expect(alerts.outbox.pendingCount('telegram')).toBe(0);

    // IRCC updates the distribution without a new round: the newest round's pool changes.
    held = [{ ...first, pool: { asOf: '2026-06-27', total: 203_100, bands: bands(23_100) } }];
    alerts.onDataset(held);
    alerts.onDataset(held); // the same dataset again announces nothing more
    await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: 5000, interval: 5 });
    expect(alerts.outbox.pendingCount('telegram')).toBe(0);
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
    alerts.onNewDraws([next]);
    await vi.waitFor(() => expect(sent).toHaveLength(3), { timeout: 5000, interval: 5 });
    expect(sent[2]!.chatId).toBe('8');
  });
});
