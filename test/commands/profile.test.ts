import { describe, expect, it } from 'vitest';
import { NO_SCORE } from '../../commands/check.js';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import type { Chat } from '../../src/commands/chat.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { PROFILE_PRIVATE } from '../../src/commands/personal.js';
import { type CommandDeps, NO_PROFILES, NO_USER } from '../../src/commands/runCommand.js';
import { parseSubmitted } from '../../src/commands/submittedAt.js';
import type { Reply } from '../../src/core/reply.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { fakeTransport, useStores, useSubscriptionDeps } from '../alerts/helpers.js';
import { FIXED_NOW } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { DISCORD_USER_ID, TELEGRAM_USER_ID, testChat } from './chats.js';

// One store for the file's tests (SQLite): each test sets up the profile it is about.
const env = useSubscriptionDeps();

let lastId = 500;
/** A fresh chat as the platform builds it; the asker is the same test user on each platform. */
function chat(platform: 'telegram' | 'discord', kind: 'private' | 'group'): Chat {
  const id = String(kind === 'group' && platform === 'telegram' ? -++lastId : ++lastId);
  return testChat(platform, { id, isPrivate: kind === 'private' }).chat;
}

const say = (text: string, where?: Chat, commandDeps: CommandDeps = env.deps) => createAnswers(commandDeps).text(text, where);
/** Everything a reply shows as text: title, lines, fields and table cells. */
const shown = (reply: Reply) =>
  [
    reply.title,
    ...(reply.lines ?? []),
    ...(reply.fields ?? []).map((f) => `${f.name}: ${f.value}`),
    ...(reply.table?.rows.flat() ?? []),
  ].join(' | ');
const telegramUser = String(TELEGRAM_USER_ID);

describe('/profile', () => {
  it('saves a profile in a private chat, privately, and shows it back', async () => {
    await env.storage.profiles.forget('telegram', telegramUser);
    const saved = await say('/profile 481 cec healthcare submitted=2025-01-31T10:15 tz=America/Toronto', chat('telegram', 'private'));
    expect(saved.kind).toBe('answer');
    expect(saved.private).toBe(true);
    expect(saved.title).toBe('Profile saved');
    expect(shown(saved)).toContain('CRS: 481');
    expect(shown(saved)).toContain('Lanes: general, CEC, healthcare');
    expect(shown(saved)).toContain('Submitted: Jan 31, 2025 10:15:00 UTC · 05:15:00 Toronto');
    expect(await env.storage.profiles.get('telegram', telegramUser)).toEqual({
      crs: 481,
      categories: ['cec', 'healthcare'],
      submittedAt: '2025-01-31T10:15:00Z',
      timeZone: 'America/Toronto',
    });
    const again = await say('/profile', chat('telegram', 'private'));
    expect(again.title).toBe('Your profile');
    expect(shown(again)).toContain('CRS: 481');
  });

  it('updates only what is given, and drops a zone with tz=none', async () => {
    await env.storage.profiles.set('telegram', telegramUser, {
      crs: 470,
      categories: ['stem'],
      submittedAt: '2025-02-01',
      timeZone: 'Asia/Kolkata',
    });
    const updated = await say('/profile 488 tz=none', chat('telegram', 'private'));
    expect(updated.title).toBe('Profile updated');
    expect(await env.storage.profiles.get('telegram', telegramUser)).toEqual({ crs: 488, categories: ['stem'], submittedAt: '2025-02-01' });
  });

  it('refuses a score in a Telegram group without repeating it, and stores nothing', async () => {
    await env.storage.profiles.forget('telegram', telegramUser);
    const refused = await say('/profile 512 cec', chat('telegram', 'group'));
    expect(refused.kind).toBe('error');
    expect(refused.lines).toEqual([PROFILE_PRIVATE]);
    expect(JSON.stringify(refused)).not.toContain('512');
    expect(await env.storage.profiles.get('telegram', telegramUser)).toBeUndefined();
  });

  it('does not show a saved profile in a Telegram group', async () => {
    await env.storage.profiles.set('telegram', telegramUser, { crs: 467, categories: [] });
    const refused = await say('/profile', chat('telegram', 'group'));
    expect(refused.lines).toEqual([PROFILE_PRIVATE]);
    expect(JSON.stringify(refused)).not.toContain('467');
  });

  it('works in a Discord server channel, as an ephemeral answer', async () => {
    await env.storage.profiles.forget('discord', DISCORD_USER_ID);
    const reply = await say('/profile 455 french', chat('discord', 'group'));
    expect(reply.kind).toBe('answer');
    expect(reply.private).toBe(true);
    expect(await env.storage.profiles.get('discord', DISCORD_USER_ID)).toEqual({ crs: 455, categories: ['french'] });
  });

  it('needs the bot in a chat: the console has no profiles', async () => {
    expect((await say('/profile 470', undefined)).lines).toEqual([NO_PROFILES]);
    const noStore = { ...env.deps, profiles: undefined };
    expect((await say('/profile 470', chat('telegram', 'private'), noStore)).lines).toEqual([NO_PROFILES]);
  });

  it('cannot keep a profile for someone posting as the group', async () => {
    const anonymous: Chat = { ...chat('telegram', 'group'), userId: undefined };
    expect((await say('/profile 470', anonymous)).lines).toEqual([NO_USER]);
  });

  it.each([
    ['/profile 470 tz=Mars/Olympus', 'The time zone must be a name from the IANA list such as America/Toronto or Asia/Kolkata'],
    ['/profile 470 cec submitted=2025-01-31 10:15', 'A time of day goes with its date, joined by a T: submitted=2025-01-31T10:15 (UTC)'],
    ['/profile submitted=2025-01-31', 'Start with your CRS score, e.g. /profile 480 cec healthcare'],
    [
      '/profile 470 submitted=2027-01-01',
      'The submission date cannot be in the future; write the day you submitted your profile, e.g. submitted=2025-01-31',
    ],
  ])('%s is refused with an example', async (text, message) => {
    await env.storage.profiles.forget('telegram', telegramUser);
    const reply = await say(text, chat('telegram', 'private'));
    expect(reply.kind).toBe('error');
    expect(reply.lines?.[0]).toContain(message);
  });
});

describe('parseSubmitted', () => {
  it.each([
    ['2025-01-31', '2025-01-31'],
    ['Jan 31 2025', '2025-01-31'],
    ['2025-01-31T10:15', '2025-01-31T10:15:00Z'],
    ['2025-01-31 9:05:07', '2025-01-31T09:05:07Z'],
    ['Jan 31 2025 23:59', '2025-01-31T23:59:00Z'],
    ['2025-01-31T10:15Z', '2025-01-31T10:15:00Z'],
  ])('%s -> %s', (text, value) => {
    expect(parseSubmitted(text, FIXED_NOW)).toBe(value);
  });

  it('refuses an hour past 23', () => {
    expect(() => parseSubmitted('2025-01-31T24:00', FIXED_NOW)).toThrow(/time of day in UTC/);
  });
});

describe('/forget', () => {
  it('deletes the profile and the private chat alerts at once, and says so', async () => {
    const where = chat('telegram', 'private');
    await env.storage.profiles.set('telegram', telegramUser, { crs: 470, categories: ['cec'] });
    await env.storage.subscriptions.subscribe('telegram', where.id, ['cec']);
    const reply = await say('/forget', where);
    expect(reply.private).toBe(true);
    expect(reply.lines).toEqual([
      "Deleted your profile (score, lanes, submission time, time zone) and this chat's alerts; nothing else about you is kept.",
    ]);
    expect(await env.storage.profiles.get('telegram', telegramUser)).toBeUndefined();
    expect(await env.storage.subscriptions.list('telegram', where.id)).toEqual([]);
    expect((await say('/forget', where)).title).toBe('Nothing to forget');
    // Pool alerts alone are alerts too, and their row names the chat's owner.
    await env.storage.subscriptions.subscribePool('telegram', where.id, undefined, telegramUser);
    expect((await say('/forget', where)).lines?.[0]).toContain("this chat's alerts");
    expect(await env.storage.subscriptions.hasPool('telegram', where.id)).toBe(false);
  });

  it("leaves a group's alerts alone", async () => {
    const group = chat('telegram', 'group');
    await env.storage.subscriptions.subscribe('telegram', group.id, 'all');
    await env.storage.profiles.set('telegram', telegramUser, { crs: 470, categories: [] });
    expect((await say('/forget', group)).title).toBe('Forgotten');
    expect(await env.storage.subscriptions.list('telegram', group.id)).toBe('all');
  });
});

describeEachEngine('/forget with alerts on the way', (engine) => {
  const stores = useStores(engine);

  it('deletes every delivery row naming the private chat, and an alert parked after a 429 is never sent', async () => {
    const { storage, outbox, db } = stores.stores;
    const { clock } = stores;
    const deps: CommandDeps = { ...env.deps, subscriptions: storage.subscriptions, profiles: storage.profiles, forget: storage.forget };
    const where = chat('telegram', 'private');
    const group = chat('telegram', 'group');
    await storage.profiles.set('telegram', telegramUser, { crs: 470, categories: ['cec'] });
    expect((await say('/subscribe cec', where, deps)).title).toBe('Draw alerts on');
    await storage.subscriptions.subscribe('telegram', group.id, 'all');

    const draws = [makeDraw({ round: '435', date: '2026-08-07' }), makeDraw({ round: '436', date: '2026-08-08' })];
    // The private chat's second alert is turned down with a 429 for an hour: parked, still pending.
    const { transport, sentTo } = fakeTransport((chatId, attempt) =>
      chatId === where.id && attempt === 2 ? { status: 'retry', afterMs: 3_600_000, scope: 'chat' } : { status: 'sent' },
    );
    const sender = new AlertSender({
      outbox,
      transport,
      reply: async (round) => alertReply(draws.find((d) => d.round === round)!, undefined),
      limiter: new RateLimiter(telegramLimits(), clock.now),
      log: silentLogger,
      now: clock.now,
      // Whole milliseconds, as Node's timers wait and Date.now() counts: the store keeps times as integers.
      sleep: (ms) => clock.sleep(Math.ceil(ms)),
    });
    await outbox.enqueue([draws[0]!]);
    expect(await sender.drainOnce()).toMatchObject({ sent: 2 });
    clock.t += 60_000; // past the group's pacing
    await outbox.enqueue([draws[1]!]);
    expect(await sender.drainOnce()).toMatchObject({ sent: 1, rateLimited: 1 });

    const rows = (chatId: string) =>
      db.all<{ round: string; status: string }>('SELECT round, status FROM deliveries WHERE platform = ? AND chat_id = ? ORDER BY round', [
        'telegram',
        chatId,
      ]);
    expect(await rows(where.id)).toEqual([
      { round: '435', status: 'sent' },
      { round: '436', status: 'pending' },
    ]);

    const reply = await say('/forget', where, deps);
    expect(reply.lines).toEqual([
      "Deleted your profile (score, lanes, submission time, time zone) and this chat's alerts; nothing else about you is kept.",
    ]);
    // No row names the chat any more, the sent one and the parked one alike; the group's stay.
    expect(await rows(where.id)).toEqual([]);
    expect(await rows(group.id)).toEqual([
      { round: '435', status: 'sent' },
      { round: '436', status: 'sent' },
    ]);
    expect(await storage.subscriptions.list('telegram', where.id)).toEqual([]);

    // Past the 429's hour, nothing goes to the forgotten chat.
    clock.t += 2 * 3_600_000;
    expect(await sender.drainOnce()).toMatchObject({ sent: 0, rateLimited: 0, failed: 0 });
    expect(sentTo(where.id)).toBe(2);
    expect(await outbox.pendingCount('telegram')).toBe(0);
  });
});

describe('personal answers', () => {
  it('/check without a score uses the profile: its score, lanes and submission time, privately', async () => {
    await env.storage.profiles.set('telegram', telegramUser, { crs: 516, categories: ['cec'], submittedAt: '2026-07-03T21:35:12Z' });
    const reply = await say('/check', chat('telegram', 'private'));
    expect(reply.kind).toBe('answer');
    expect(reply.private).toBe(true);
    expect(reply.lines?.[0]).toBe('From your profile: CRS 516; lanes general, CEC.');
    const lanes = new Set(reply.table?.rows.map((row) => row[2]));
    expect([...lanes].every((lane) => lane === 'CEC' || lane === 'general')).toBe(true);
    // Round #432 (CEC, cut-off 516, tie-break Jul 3, 2026 21:35:13): a second before it makes it.
    expect(reply.table?.rows.find((row) => row[1] === '#432')).toEqual([
      '2026-08-05',
      '#432',
      'CEC',
      '516',
      '✓',
      'invited (tie, profile before the tie-break)',
    ]);
  });

  it('/check without a score and without a profile asks for one, naming /profile', async () => {
    await env.storage.profiles.forget('telegram', telegramUser);
    expect((await say('/check', chat('telegram', 'private'))).lines).toEqual([NO_SCORE]);
  });

  it('/check without a score in a Telegram group is refused without the score', async () => {
    await env.storage.profiles.set('telegram', telegramUser, { crs: 493, categories: [] });
    const reply = await say('/check', chat('telegram', 'group'));
    expect(reply.kind).toBe('error');
    expect(JSON.stringify(reply)).not.toContain('493');
  });

  it('/pool without a score places the profile, in a private chat only', async () => {
    await env.storage.profiles.set('telegram', telegramUser, { crs: 530, categories: [] });
    const mine = await say('/pool', chat('telegram', 'private'));
    expect(mine.private).toBe(true);
    expect(mine.lines?.[1]).toMatch(/^Your profile's 530: about 14,491 profiles \(6\.3%\) at or above it\./);
    const group = await say('/pool', chat('telegram', 'group'));
    expect(shown(group)).not.toContain('530');
    expect(group.private).toBeUndefined();
  });

  it('/latest marks the draw and shows times in the profile zone, in a private chat only', async () => {
    await env.storage.profiles.set('telegram', telegramUser, { crs: 470, categories: ['trades'], timeZone: 'America/Toronto' });
    const mine = await say('/latest', chat('telegram', 'private'));
    expect(shown(mine)).toContain('Time: 10:08:20 UTC · 06:08:20 Toronto');
    expect(mine.lines).toContain('Not one of your lanes (your /profile names trades).');
    await env.storage.profiles.set('telegram', telegramUser, { crs: 471, categories: ['transport'] });
    expect((await say('/latest', chat('telegram', 'private'))).lines).toContain('Your CRS 471 qualifies (+1).');
    // /draw says the same of any round, times in the zone too.
    await env.storage.profiles.set('telegram', telegramUser, { crs: 470, categories: ['transport'], timeZone: 'America/Toronto' });
    const round = await say('/draw 434', chat('telegram', 'private'));
    expect(round.lines).toContain('Your CRS 470: tie: add when you submitted your profile to settle it (/profile … submitted=2025-01-31).');
    expect(shown(round)).toContain('Time: 10:08:20 UTC · 06:08:20 Toronto');
    expect(shown(await say('/draw 434', chat('telegram', 'group')))).not.toMatch(/Your|Toronto/);
    const group = await say('/latest', chat('telegram', 'group'));
    expect(shown(group)).not.toMatch(/471|Toronto|Your/);
  });

  it('/history adds a column of personal marks, in a private chat only', async () => {
    await env.storage.profiles.set('telegram', telegramUser, { crs: 470, categories: ['french'] });
    const mine = await say('/history 3', chat('telegram', 'private'));
    expect(mine.table?.columns.at(-1)).toBe('You');
    expect(mine.table?.rows.map((row) => [row[1], row.at(-1)])).toEqual([
      ['#434', '–'],
      ['#433', '✓'],
      ['#432', '–'],
    ]);
    const group = await say('/history 3', chat('telegram', 'group'));
    expect(group.table?.columns).not.toContain('You');
  });
});
