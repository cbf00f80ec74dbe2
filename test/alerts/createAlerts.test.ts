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
});
