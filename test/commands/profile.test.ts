import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_SCORE } from '../../commands/check.js';
import { type AlertsDatabase, openDatabase } from '../../src/alerts/openDatabase.js';
import { ProfileStore } from '../../src/alerts/profileStore.js';
import { SubscriptionStore } from '../../src/alerts/subscriptionStore.js';
import type { Chat } from '../../src/commands/chat.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { PROFILE_PRIVATE } from '../../src/commands/personal.js';
import { type CommandDeps, NO_PROFILES, NO_USER } from '../../src/commands/runCommand.js';
import { parseSubmitted } from '../../src/commands/submittedAt.js';
import type { Reply } from '../../src/core/reply.js';
import { tempDir } from '../alerts/helpers.js';
import { FIXED_NOW, testDeps } from '../fixtures/deps.js';
import { DISCORD_USER_ID, TELEGRAM_USER_ID, testChat } from './chats.js';

const temp = tempDir();
let db: AlertsDatabase;
let profiles: ProfileStore;
let subscriptions: SubscriptionStore;
let deps: CommandDeps;

beforeAll(async () => {
  db = openDatabase(temp.dbPath);
  profiles = new ProfileStore(db);
  subscriptions = new SubscriptionStore(db);
  deps = { ...(await testDeps()), profiles, subscriptions };
});

afterAll(() => {
  db.close();
  temp.remove();
});

let lastId = 500;
/** A fresh chat as the platform builds it; the asker is the same test user on each platform. */
function chat(platform: 'telegram' | 'discord', kind: 'private' | 'group'): Chat {
  const id = String(kind === 'group' && platform === 'telegram' ? -++lastId : ++lastId);
  return testChat(platform, { id, isPrivate: kind === 'private' }).chat;
}

const say = (text: string, where?: Chat, commandDeps = deps) => createAnswers(commandDeps).text(text, where);
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
    profiles.forget('telegram', telegramUser);
    const saved = await say('/profile 481 cec healthcare submitted=2025-01-31T10:15 tz=America/Toronto', chat('telegram', 'private'));
    expect(saved.kind).toBe('answer');
    expect(saved.private).toBe(true);
    expect(saved.title).toBe('Profile saved');
    expect(shown(saved)).toContain('CRS: 481');
    expect(shown(saved)).toContain('Lanes: general, CEC, healthcare');
    expect(shown(saved)).toContain('Submitted: Jan 31, 2025 10:15:00 UTC · 05:15:00 Toronto');
    expect(profiles.get('telegram', telegramUser)).toEqual({
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
    profiles.set('telegram', telegramUser, { crs: 470, categories: ['stem'], submittedAt: '2025-02-01', timeZone: 'Asia/Kolkata' });
    const updated = await say('/profile 488 tz=none', chat('telegram', 'private'));
    expect(updated.title).toBe('Profile updated');
    expect(profiles.get('telegram', telegramUser)).toEqual({ crs: 488, categories: ['stem'], submittedAt: '2025-02-01' });
  });

  it('refuses a score in a Telegram group without repeating it, and stores nothing', async () => {
    profiles.forget('telegram', telegramUser);
    const refused = await say('/profile 512 cec', chat('telegram', 'group'));
    expect(refused.kind).toBe('error');
    expect(refused.lines).toEqual([PROFILE_PRIVATE]);
    expect(JSON.stringify(refused)).not.toContain('512');
    expect(profiles.get('telegram', telegramUser)).toBeUndefined();
  });

  it('does not show a saved profile in a Telegram group', async () => {
    profiles.set('telegram', telegramUser, { crs: 467, categories: [] });
    const refused = await say('/profile', chat('telegram', 'group'));
    expect(refused.lines).toEqual([PROFILE_PRIVATE]);
    expect(JSON.stringify(refused)).not.toContain('467');
  });

  it('works in a Discord server channel, as an ephemeral answer', async () => {
    profiles.forget('discord', DISCORD_USER_ID);
    const reply = await say('/profile 455 french', chat('discord', 'group'));
    expect(reply.kind).toBe('answer');
    expect(reply.private).toBe(true);
    expect(profiles.get('discord', DISCORD_USER_ID)).toEqual({ crs: 455, categories: ['french'] });
  });

  it('needs the bot in a chat: the console has no profiles', async () => {
    expect((await say('/profile 470', undefined)).lines).toEqual([NO_PROFILES]);
    const noStore = { ...deps, profiles: undefined };
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
    profiles.forget('telegram', telegramUser);
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
    profiles.set('telegram', telegramUser, { crs: 470, categories: ['cec'] });
    subscriptions.subscribe('telegram', where.id, ['cec']);
    const reply = await say('/forget', where);
    expect(reply.private).toBe(true);
    expect(reply.lines).toEqual([
      "Deleted your profile (score, lanes, submission time, time zone) and this chat's alerts; nothing else about you is kept.",
    ]);
    expect(profiles.get('telegram', telegramUser)).toBeUndefined();
    expect(subscriptions.list('telegram', where.id)).toEqual([]);
    expect((await say('/forget', where)).title).toBe('Nothing to forget');
    // Pool alerts alone are alerts too, and their row names the chat's owner.
    subscriptions.subscribePool('telegram', where.id, undefined, telegramUser);
    expect((await say('/forget', where)).lines?.[0]).toContain("this chat's alerts");
    expect(subscriptions.hasPool('telegram', where.id)).toBe(false);
  });

  it("leaves a group's alerts alone", async () => {
    const group = chat('telegram', 'group');
    subscriptions.subscribe('telegram', group.id, 'all');
    profiles.set('telegram', telegramUser, { crs: 470, categories: [] });
    expect((await say('/forget', group)).title).toBe('Forgotten');
    expect(subscriptions.list('telegram', group.id)).toBe('all');
  });
});

describe('personal answers', () => {
  it('/check without a score uses the profile: its score, lanes and submission time, privately', async () => {
    profiles.set('telegram', telegramUser, { crs: 516, categories: ['cec'], submittedAt: '2026-07-03T21:35:12Z' });
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
    profiles.forget('telegram', telegramUser);
    expect((await say('/check', chat('telegram', 'private'))).lines).toEqual([NO_SCORE]);
  });

  it('/check without a score in a Telegram group is refused without the score', async () => {
    profiles.set('telegram', telegramUser, { crs: 493, categories: [] });
    const reply = await say('/check', chat('telegram', 'group'));
    expect(reply.kind).toBe('error');
    expect(JSON.stringify(reply)).not.toContain('493');
  });

  it('/pool without a score places the profile, in a private chat only', async () => {
    profiles.set('telegram', telegramUser, { crs: 530, categories: [] });
    const mine = await say('/pool', chat('telegram', 'private'));
    expect(mine.private).toBe(true);
    expect(mine.lines?.[1]).toMatch(/^Your profile's 530: about 14,491 profiles \(6\.3%\) at or above it\./);
    const group = await say('/pool', chat('telegram', 'group'));
    expect(shown(group)).not.toContain('530');
    expect(group.private).toBeUndefined();
  });

  it('/latest marks the draw and shows times in the profile zone, in a private chat only', async () => {
    profiles.set('telegram', telegramUser, { crs: 470, categories: ['trades'], timeZone: 'America/Toronto' });
    const mine = await say('/latest', chat('telegram', 'private'));
    expect(shown(mine)).toContain('Time: 10:08:20 UTC · 06:08:20 Toronto');
    expect(mine.lines).toContain('Not one of your lanes (your /profile names trades).');
    profiles.set('telegram', telegramUser, { crs: 471, categories: ['transport'] });
    expect((await say('/latest', chat('telegram', 'private'))).lines).toContain('Your CRS 471 qualifies (+1).');
    // /draw says the same of any round, times in the zone too.
    profiles.set('telegram', telegramUser, { crs: 470, categories: ['transport'], timeZone: 'America/Toronto' });
    const round = await say('/draw 434', chat('telegram', 'private'));
    expect(round.lines).toContain('Your CRS 470: tie: add when you submitted your profile to settle it (/profile … submitted=2025-01-31).');
    expect(shown(round)).toContain('Time: 10:08:20 UTC · 06:08:20 Toronto');
    expect(shown(await say('/draw 434', chat('telegram', 'group')))).not.toMatch(/Your|Toronto/);
    const group = await say('/latest', chat('telegram', 'group'));
    expect(shown(group)).not.toMatch(/471|Toronto|Your/);
  });

  it('/history adds a column of personal marks, in a private chat only', async () => {
    profiles.set('telegram', telegramUser, { crs: 470, categories: ['french'] });
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
