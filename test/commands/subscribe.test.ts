import { describe, expect, it } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import type { Chat } from '../../src/commands/chat.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { LOST_PERMISSION } from '../../src/discord/discordTransport.js';
import { resolveCategories } from '../../src/domain/resolveCategory.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { fakeTransport, useStores, useSubscriptionDeps } from '../alerts/helpers.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { testChat } from './chats.js';

const env = useSubscriptionDeps();

let lastId = 100;
/**
 * A fresh chat each time, as the platform builds it; `manager` says what the platform would answer
 * about the asker, `canPost` whether the bot may post there (Discord).
 */
function chat(platform: 'telegram' | 'discord', kind: 'private' | 'group', manager = false, canPost = true) {
  const id = String(kind === 'group' && platform === 'telegram' ? -++lastId : ++lastId);
  const { chat: context, asked } = testChat(platform, { id, isPrivate: kind === 'private', manager, canPost });
  return { context, asked, list: () => env.store.list(platform, id) };
}

async function say(text: string, where: Chat | undefined, commandDeps: CommandDeps = env.deps) {
  const reply = await createAnswers(commandDeps).line(parseCommandLine(text, { requireSlash: true }), where);
  return { kind: reply.kind, text: [reply.title, ...(reply.lines ?? [])].join(' | '), private: reply.private };
}

describe('resolveCategories', () => {
  it.each([
    ['healthcare cec', ['healthcare', 'cec']],
    ['health, french', ['healthcare', 'french']],
    ['Healthcare, CEC; PNP', ['healthcare', 'cec', 'pnp']],
    ['canadian experience class and stem', ['cec', 'stem']],
    ['healthcare and social services', ['healthcare']],
    ['all programs', ['general']],
    ['senior managers trades', ['senior-managers', 'trades']],
    ['cec cec canadian experience', ['cec']],
    ['Healthcare and Social Services Occupations, 2026-Version 3', ['healthcare']],
    ['stem occupations', ['stem']],
  ])('%s', (text, slugs) => {
    expect(resolveCategories(text)).toEqual(slugs);
  });

  it('reads "all" (alone or among others) as every draw', () => {
    expect(resolveCategories('all')).toBe('all');
    expect(resolveCategories('all draws')).toBe('all');
    expect(resolveCategories('healthcare, all')).toBe('all');
  });

  it('refuses a typo with "did you mean", and an empty list', () => {
    expect(() => resolveCategories('healthcare frnch')).toThrow('Unknown category "frnch" — did you mean french?');
    expect(() => resolveCategories(' , ')).toThrow('Name at least one category, such as healthcare, cec, pnp or french');
  });
});

describe('/subscribe, /unsubscribe, /subscriptions', () => {
  it('subscribes a private Telegram chat to some categories, then lists them', async () => {
    const c = chat('telegram', 'private');
    expect(await say('/subscribe healthcare cec', c.context)).toEqual({
      kind: 'answer',
      text: 'Draw alerts on | This chat will get a message for every new healthcare and CEC draw. | Send /subscriptions to see them, /unsubscribe to stop them.',
      private: undefined,
    });
    expect(await c.list()).toEqual(['cec', 'healthcare']);
    expect((await say('/subscribe health, french', c.context)).text).toContain('every new healthcare, French and CEC draw.');
    expect((await say('/subscriptions', c.context)).text).toBe(
      'Draw alerts on | This chat gets a message for every new CEC, French and healthcare draw. | Send /subscribe french to add a category, /unsubscribe cec to remove one, /unsubscribe all to stop them.',
    );
  });

  it('subscribes to every draw without categories, and says so when asked for one more', async () => {
    const c = chat('telegram', 'private');
    expect((await say('/subscribe', c.context)).text).toContain('This chat will get a message for every new Express Entry draw.');
    expect(await c.list()).toBe('all');
    expect((await say('/subscribe healthcare', c.context)).text).toBe(
      'Draw alerts: no change | This chat already gets a message for every new Express Entry draw, healthcare included. | To get only some categories, send /unsubscribe all, then /subscribe healthcare.',
    );
    expect(await c.list()).toBe('all');
  });

  it('unsubscribes some categories, everything but some, or all', async () => {
    const c = chat('discord', 'private');
    await say('/subscribe healthcare cec french', c.context);
    expect((await say('/unsubscribe cec', c.context)).text).toBe(
      'Draw alerts changed | This chat will get a message for every new French and healthcare draw. | Send /unsubscribe all to stop every alert.',
    );
    expect((await say('/unsubscribe pnp', c.context)).text).toMatch(
      /^Draw alerts: no change \| This chat did not get pnp alerts\. \| .*every new French and healthcare draw\./,
    );
    expect((await say('/unsubscribe', c.context)).text).toBe(
      'Draw alerts off | This chat will get no more draw alerts. | Send /subscribe to get them again.',
    );
    expect(await c.list()).toEqual([]);
    expect((await say('/unsubscribe all', c.context)).text).toMatch(
      /^Draw alerts: no change \| This chat gets no draw alerts, so there is nothing to stop\./,
    );

    await say('/subscribe', c.context);
    expect((await say('/unsubscribe cec', c.context)).text).toContain('every new Express Entry draw except CEC draws.');
    expect((await say('/unsubscribe all', c.context)).text).toContain('no more draw alerts');
    expect((await say('/subscriptions', c.context)).text).toMatch(/^Draw alerts: none \| This chat gets no draw alerts\./);
  });

  it('lets Telegram group admins and Discord members with Manage Channels change a shared chat', async () => {
    const group = chat('telegram', 'group', true);
    expect((await say('/subscribe french', group.context)).text).toContain('This chat will get a message for every new French draw.');
    expect(group.asked).toHaveLength(1);
    const channel = chat('discord', 'group', true);
    expect((await say('/subscribe cec', channel.context)).text).toContain('This channel will get a message for every new CEC draw.');
    expect(await channel.list()).toEqual(['cec']);
  });

  it('politely refuses anyone else in a shared chat, changing nothing; anyone may list', async () => {
    const group = chat('telegram', 'group');
    const refused = await say('/subscribe healthcare', group.context);
    expect(refused).toEqual({
      kind: 'error',
      text: "Not quite | Only group admins can change this chat's alerts. Ask one of them to send /subscribe healthcare, or send it to me in a private chat to get the alerts yourself.",
      private: true,
    });
    expect((await say('/unsubscribe', group.context)).text).toContain(
      "Only group admins can change this chat's alerts. Ask one of them to send /unsubscribe,",
    );
    expect(await group.list()).toEqual([]);

    const channel = chat('discord', 'group');
    await env.store.subscribe('discord', channel.context.id, ['cec']);
    expect((await say('/unsubscribe all', channel.context)).text).toBe(
      "Not quite | Only members with Manage Channels can change this channel's alerts. Ask one of them to use /unsubscribe all, or use it in a direct message with me to get the alerts yourself.",
    );
    expect(await channel.list()).toEqual(['cec']);
    // Listing changes nothing: no permission asked.
    expect((await say('/subscriptions', channel.context)).text).toContain('This channel gets a message for every new CEC draw.');
    expect(channel.asked).toHaveLength(1);
  });

  it('refuses a channel the bot cannot post in, rather than lose the subscription at the first alert', async () => {
    const muted = chat('discord', 'group', true, false);
    expect((await say('/subscribe cec', muted.context)).text).toBe(
      "Not quite | I can't post in this channel: give me View Channel, Send Messages and Embed Links here (Edit Channel → Permissions), then send /subscribe again.",
    );
    expect(await muted.list()).toEqual([]);
    // Stopping and listing still work there.
    expect((await say('/unsubscribe', muted.context)).kind).toBe('answer');
    expect((await say('/subscriptions', muted.context)).kind).toBe('answer');
  });

  it('says in a paused channel why its alerts are paused and what to do; /subscribe there resumes them', async () => {
    const channel = chat('discord', 'group', true);
    await env.store.subscribe('discord', channel.context.id, ['cec']);
    // What the sender records on a Discord 403 Missing Permissions (discordFailure → 'paused').
    await env.store.pause('discord', channel.context.id, { ...LOST_PERMISSION, at: Date.UTC(2026, 7, 7, 15) });
    expect((await say('/subscriptions', channel.context)).text).toBe(
      'Draw alerts paused | Alerts here are paused since Aug 7, 2026: I lost permission to post in this channel. Give me View Channel, Send Messages and Embed Links here (Edit Channel → Permissions), then send /subscribe again. | Once resumed, this channel gets a message for every new CEC draw.',
    );
    expect(await channel.list()).toEqual(['cec']);
    await say('/subscribe', channel.context);
    expect(await env.store.paused('discord', channel.context.id)).toBeUndefined();
    expect((await say('/subscriptions', channel.context)).text).toMatch(/^Draw alerts on \| This channel gets a message for every new/);
  });

  it('never asks the platform in a private chat', async () => {
    const c = chat('telegram', 'private');
    await say('/subscribe', c.context);
    expect(c.asked).toEqual([]);
  });

  it('explains in the console (no chat) that alerts need Telegram or Discord', async () => {
    for (const text of ['/subscribe healthcare', '/unsubscribe', '/subscriptions']) {
      expect(await say(text, undefined)).toEqual({
        kind: 'error',
        text: 'Not quite | Alerts work in a Telegram or Discord chat: add the bot there and send /subscribe healthcare.',
        private: true,
      });
    }
    const withoutAlerts = { ...env.deps, subscriptions: undefined };
    expect((await say('/subscribe', chat('telegram', 'private').context, withoutAlerts)).text).toMatch(
      /^Not quite \| Draw alerts are not switched on/,
    );
  });

  it('answers a typo with "did you mean" before touching anything', async () => {
    const c = chat('telegram', 'private');
    expect((await say('/subscribe healthcare frnch', c.context)).text).toBe(
      'Not quite | Unknown category "frnch" — did you mean french? For example: /subscribe healthcare',
    );
    expect((await say('/unsubscribe nonsense', c.context)).text).toMatch(
      /^Not quite \| Unknown category "nonsense"; \/categories lists them .* For example: \/unsubscribe cec$/,
    );
    expect(await c.list()).toEqual([]);
    expect(c.asked).toEqual([]);
  });

  it('subscribes a chat to pool updates apart from its draw alerts, lists them, and stops them', async () => {
    const c = chat('telegram', 'private');
    expect((await say('/subscribe pool', c.context)).text).toBe(
      'Pool alerts on | This chat will get a message when IRCC publishes a new distribution of the pool. | Send /unsubscribe pool to stop them.',
    );
    expect(await c.list()).toEqual([]); // no draw alerts came with it
    expect((await say('/subscriptions', c.context)).text).toContain('It also gets a message for each new pool distribution');
    // Every draw as well: the pool row stays.
    expect((await say('/subscribe', c.context)).text).toContain('every new Express Entry draw');
    expect(await env.store.hasPool('telegram', c.context.id)).toBe(true);
    expect((await say('/unsubscribe pool', c.context)).text).toBe(
      'Pool alerts off | This chat will get no more pool alerts; its draw alerts stay.',
    );
    expect(await c.list()).toBe('all');
    expect((await say('/unsubscribe pool', c.context)).text).toContain('Pool alerts: no change');
    // Categories and pool at once; /unsubscribe all stops both.
    expect((await say('/subscribe pool cec', c.context)).text).toContain('a new distribution of the pool');
    expect(await env.store.hasPool('telegram', c.context.id)).toBe(true);
    await say('/unsubscribe all', c.context);
    expect(await env.store.hasPool('telegram', c.context.id)).toBe(false);
    expect(await c.list()).toEqual([]);
  });

  it('appears in /help with its option', async () => {
    const help = await say('/help', undefined);
    expect(help.text).toContain(
      '/subscribe [categories] — Get a message in this chat for each new draw (or some categories), or pool update',
    );
    expect(help.text).toContain('/unsubscribe [categories] — ');
    expect(help.text).toContain('/subscriptions — Which new-draw alerts this chat gets. e.g. /subscriptions');
  });
});

describeEachEngine('/unsubscribe with alerts on the way', (engine) => {
  const env2 = useStores(engine);
  const withStore = (): CommandDeps => ({ ...env.deps, subscriptions: env2.stores.subscriptions });
  const rows = (chatId: string) =>
    env2.stores.db.all<{ round: string; status: string }>(
      'SELECT round, status FROM deliveries WHERE platform = ? AND chat_id = ? ORDER BY round',
      ['telegram', chatId],
    );
  const POOL = { asOf: '2026-08-01', total: 200_000, bands: [{ min: 0, max: 1200, count: 200_000 }] };

  it('cancels the pending alerts of what it stops, one parked after a 429 included; the rest still go, and what was sent stays', async () => {
    const { outbox } = env2.stores;
    const { clock } = env2;
    const deps = withStore();
    const c = chat('telegram', 'private');
    const id = c.context.id;
    expect((await say('/subscribe french cec healthcare pool', c.context, deps)).text).toContain(
      'every new French, CEC and healthcare draw',
    );
    const draws = [
      makeDraw({ round: '430', date: '2026-08-01', category: 'french', pool: POOL }),
      makeDraw({ round: '431', date: '2026-08-05', category: 'cec' }),
      makeDraw({ round: '432', date: '2026-08-06', category: 'healthcare' }),
    ];
    // The chat's second request is turned down with a 429 for an hour: its alerts wait, pending.
    const { transport, sends } = fakeTransport((_chatId, attempt) =>
      attempt === 2 ? { status: 'retry', afterMs: 3_600_000, scope: 'chat' } : { status: 'sent' },
    );
    const sender = new AlertSender({
      outbox,
      transport,
      reply: async (round) => {
        const draw = draws.find((d) => d.round === round);
        return draw && alertReply(draw, undefined);
      },
      limiter: new RateLimiter(telegramLimits(), clock.now),
      log: silentLogger,
      now: clock.now,
      // Whole milliseconds, as Node's timers wait and Date.now() counts: the store keeps times as integers.
      sleep: (ms) => clock.sleep(Math.ceil(ms)),
    });
    await outbox.enqueue([draws[0]!]);
    expect(await outbox.announcePool([draws[0]!])).toBeUndefined(); // the first distribution seen is only remembered
    expect(await sender.drainOnce()).toMatchObject({ sent: 1 });
    clock.t += 60_000;
    await outbox.enqueue([draws[1]!]);
    await outbox.enqueue([draws[2]!]);
    const newer = { ...draws[2]!, pool: { ...POOL, asOf: '2026-08-06' } };
    expect(await outbox.announcePool([newer])).toEqual({ key: 'pool:2026-08-06', created: 1 });
    expect(await sender.drainOnce()).toMatchObject({ sent: 0, rateLimited: 1 });
    expect(await rows(id)).toEqual([
      { round: '430', status: 'sent' },
      { round: '431', status: 'pending' }, // the one turned down
      { round: '432', status: 'pending' },
      { round: 'pool:2026-08-06', status: 'pending' },
    ]);

    expect((await say('/unsubscribe cec', c.context, deps)).text).toContain('every new French and healthcare draw');
    expect(await rows(id)).toEqual([
      { round: '430', status: 'sent' },
      { round: '432', status: 'pending' },
      { round: 'pool:2026-08-06', status: 'pending' },
    ]);
    expect((await say('/unsubscribe pool', c.context, deps)).text).toContain('no more pool alerts');
    expect(await rows(id)).toEqual([
      { round: '430', status: 'sent' },
      { round: '432', status: 'pending' },
    ]);

    // Past the 429's hour: the healthcare alert goes, and nothing of what was stopped.
    clock.t += 2 * 3_600_000;
    expect(await sender.drainOnce()).toMatchObject({ sent: 1, rateLimited: 0, failed: 0 });
    expect(sends.map((send) => send.title.split(':')[0])).toEqual(['New draw #430', 'New draw #431', 'New draw #432']);
    expect(await rows(id)).toEqual([
      { round: '430', status: 'sent' },
      { round: '432', status: 'sent' },
    ]);
  });

  it('narrowing "every draw" cancels the category taken out; /unsubscribe all cancels every pending alert', async () => {
    const { outbox } = env2.stores;
    const deps = withStore();
    const group = chat('telegram', 'group', true);
    const id = group.context.id;
    await say('/subscribe', group.context, deps);
    await outbox.enqueue([
      makeDraw({ round: '431', date: '2026-08-05', category: 'cec' }),
      makeDraw({ round: '432', date: '2026-08-06', category: 'healthcare' }),
      makeDraw({ round: '433', date: '2026-08-07', category: 'pnp' }),
    ]);
    expect(await rows(id)).toEqual([
      { round: '431', status: 'pending' },
      { round: '432', status: 'pending' },
      { round: '433', status: 'pending' },
    ]);
    expect((await say('/unsubscribe cec', group.context, deps)).text).toContain('every new Express Entry draw except CEC draws');
    expect(await rows(id)).toEqual([
      { round: '432', status: 'pending' },
      { round: '433', status: 'pending' },
    ]);
    expect((await say('/unsubscribe all', group.context, deps)).text).toContain('no more draw alerts');
    expect(await rows(id)).toEqual([]);
    expect(await outbox.pendingCount('telegram')).toBe(0);
  });
});
