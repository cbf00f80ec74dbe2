import { describe, expect, it } from 'vitest';
import type { Chat } from '../../src/commands/chat.js';
import { createAnswers, STALE_BUTTON } from '../../src/commands/createAnswers.js';
import { EXPIRED } from '../../src/commands/crs/crsGuide.js';
import { decodeProfile, encodeProfile } from '../../src/commands/crs/profileCode.js';
import { JOB_OFFER_NOTE } from '../../src/commands/crs/readCrsOptions.js';
import { NO_SAVING } from '../../src/commands/crs/saveCrs.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import type { CrsProfile } from '../../src/core/crs/crsProfile.js';
import type { Reply } from '../../src/core/reply.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { FIXED_NOW } from '../fixtures/deps.js';
import { TELEGRAM_USER_ID, testChat } from './chats.js';

const env = useSubscriptionDeps();

let lastId = 900;
function chat(platform: 'telegram' | 'discord', kind: 'private' | 'group'): Chat {
  const id = String(kind === 'group' && platform === 'telegram' ? -++lastId : ++lastId);
  return testChat(platform, { id, isPrivate: kind === 'private' }).chat;
}
const answers = (deps: CommandDeps = env.deps) => createAnswers(deps);
const say = (text: string, where?: Chat, deps?: CommandDeps) => answers(deps).text(text, where);
const press = (action: string, where: Chat, deps?: CommandDeps) => answers(deps).action(action, where);
/** Everything a reply shows as text. */
const shown = (reply: Reply) =>
  [reply.title, ...(reply.lines ?? []), ...(reply.fields ?? []).map((f) => `${f.name}: ${f.value}`)].join(' | ');
const field = (reply: Reply, start: string) => reply.fields?.find((f) => f.name.startsWith(start));
/** The action of the menu choice or button labelled `label`. */
function actionOf(reply: Reply, label: string): string {
  const all = [...(reply.menu?.choices ?? []), ...(reply.buttons ?? []).flat()];
  const found = all.find((b) => b.label === label);
  if (!found?.action) throw new Error(`no "${label}" in ${all.map((b) => b.label).join(', ')}`);
  return found.action;
}
const telegramUser = String(TELEGRAM_USER_ID);

describe('/crs in one line', () => {
  it('gives the total, each section with its points and maximum, and what would raise it most', async () => {
    const reply = await say('/crs age=29 education=masters english=9 foreign_work=3');
    expect(reply.kind).toBe('answer');
    // 110 age + 135 master's + 4 × 31 English = 369; transferability 50 + 50 = 100.
    expect(reply.title).toBe('Your CRS score: 469');
    expect(field(reply, 'Core')?.name).toBe('Core / human capital: 369 of 500');
    expect(field(reply, 'Skill')?.name).toBe('Skill transferability: 100 of 100');
    expect(field(reply, 'Additional')?.name).toBe('Additional points: 0 of 600');
    expect(field(reply, 'Spouse')).toBeUndefined();
    const raise = field(reply, 'What would raise it')!.value.split('\n');
    expect(raise).toHaveLength(3);
    expect(raise[0]).toMatch(/nomination: \+600$/i);
    // Each gain is the difference the changed profile makes, scored again.
    for (const line of raise) expect(Number(line.split('+').at(-1))).toBeGreaterThan(0);
    expect(reply.link?.url).toMatch(/^https:\/\/.*crs-tool/);
    expect(reply.private).toBe(true);
  });

  it('reads positional words, loose spellings and test scores', async () => {
    const typed = await say("/crs 29 master's ielts=8,7,7,7 foreign_work=3");
    expect(typed.title).toBe('Your CRS score: 469');
    const spelled = await say('/crs age=29 education=doctorate celpip=9 foreign_work=3');
    // 110 + 150 + 124 + 100 transferability.
    expect(spelled.title).toBe('Your CRS score: 484');
  });

  it('scores an accompanying spouse, and a Canadian one as single', async () => {
    // With spouse: 100 + 126 + 4 × 29 = 342; spouse 8 + 4 × 3 + 0 = 20; transferability 100.
    const coming = await say(
      '/crs age=29 education=masters english=9 foreign_work=3 spouse=yes spouse_education=bachelors spouse_english=7',
    );
    expect(coming.title).toBe('Your CRS score: 462');
    expect(field(coming, 'Spouse')?.name).toBe('Spouse or partner: 20 of 40');
    const canadian = await say('/crs age=29 education=masters english=9 foreign_work=3 spouse=canadian spouse_education=bachelors');
    expect(canadian.title).toBe('Your CRS score: 469');
    expect(shown(canadian)).toContain('scored as single');
  });

  it('says a job offer no longer earns points', async () => {
    const reply = await say('/crs age=29 education=masters english=9 job_offer=yes');
    expect(reply.lines).toContain(JOB_OFFER_NOTE);
    expect(JOB_OFFER_NOTE).toContain('Mar 25, 2025');
  });

  it.each([
    [
      '/crs age=29 education=college',
      /^education must be one of none, secondary, one-year, two-year, bachelors, two-or-more, masters, phd/,
    ],
    ['/crs age=abc education=masters', /^age must be a whole number from 0 to 120/],
    ['/crs age=29 education=masters english=13', /^english must be a CLB level from 0 to 12/],
    ['/crs age=29 education=masters english=9,9', /^english must be a CLB level/],
    ['/crs age=29 education=masters ielts=9.5,7,7,7', /IELTS.*0.*9/],
    ['/crs age=29 education=masters canada_work=many', /^canada_work must be a number of years/],
    ['/crs age=29 education=masters spouse=maybe', /^spouse must be one of no, yes, canadian/],
    ['/crs age=29 education=masters english=9 ielts=8,7,7,7', /^Give your English once/],
    ['/crs education=masters', /^Give at least your age and education/],
    ['/crs age=29 education=masters salary=100', /has no option "salary"/],
  ])('%s is refused with the option and its values', async (text, message) => {
    const reply = await say(text);
    expect(reply.kind).toBe('error');
    expect(reply.lines?.[0]).toMatch(message);
    expect(reply.lines?.[0]).toContain('/crs');
  });

  it('alone in the console, explains the one-line form', async () => {
    const reply = await say('/crs');
    expect(reply.kind).toBe('answer');
    expect(shown(reply)).toContain('/crs age=29 education=masters english=9 foreign_work=3');
    expect(reply.menu).toBeUndefined();
  });

  it('in a Telegram group points to a private chat and never shows the details', async () => {
    for (const text of ['/crs', '/crs age=37 education=phd english=9']) {
      const reply = await say(text, chat('telegram', 'group'));
      expect(reply.kind).toBe('answer');
      expect(reply.title).toBe('Your CRS score, privately');
      expect(shown(reply)).not.toMatch(/37|phd|\d{3}/i);
      expect(reply.buttons).toEqual([[{ label: 'Work out my CRS privately', url: 'https://t.me/EEDrawsTestBot?start=crs' }]]);
    }
  });

  it('saves with save=yes and suggests the lanes the details show', async () => {
    await env.storage.profiles.forget('telegram', telegramUser);
    const where = chat('telegram', 'private');
    const reply = await say('/crs age=29 education=masters english=9 french=7 canada_work=1 save=yes', where);
    expect(reply.kind).toBe('answer');
    const total = Number(reply.title.split(': ')[1]);
    expect((await env.storage.profiles.get('telegram', telegramUser))?.crs).toBe(total);
    expect(shown(reply)).toContain(`Saved: your profile's CRS is now ${total}`);
    const addCec = actionOf(reply, 'Add CEC draws');
    actionOf(reply, 'Add French draws');
    const added = await press(addCec, where);
    expect(added.title).toBe(reply.title);
    expect((await env.storage.profiles.get('telegram', telegramUser))?.categories).toEqual(['cec']);
    // Only French is left to offer; /check now answers for the saved score.
    expect(added.buttons?.flat().map((b) => b.label)).toEqual(['Add French draws']);
    const check = await say('/check', where);
    expect(shown(check)).toContain(String(total));
  });

  it('cannot save in the console', async () => {
    const reply = await say('/crs age=29 education=masters save=yes');
    expect(reply.kind).toBe('error');
    expect(reply.lines?.[0]).toBe(NO_SAVING);
  });
});

/** Presses the choices labelled, in order, from the first step. */
async function walk(where: Chat, labels: readonly string[], deps?: CommandDeps): Promise<Reply> {
  let reply = await say('/crs', where, deps);
  for (const label of labels) reply = await press(actionOf(reply, label), where, deps);
  return reply;
}

const SINGLE_MASTERS = ['20–29', 'No', "Master's or professional degree", 'No', 'CLB 9', 'No French test', 'None, or under a year'];
const REST = ['3 years or more', 'No', 'No', 'No'];

describe('/crs step by step', () => {
  it('asks each question with its choices, and ends with the same score as the one-line form', async () => {
    const where = chat('telegram', 'private');
    const first = await say('/crs', where);
    expect(first.menu?.choices).toHaveLength(20);
    expect(first.menu?.placeholder).toBe('Your age');
    expect(first.buttons?.flat().map((b) => b.label)).toEqual(['Cancel']);
    const done = await walk(where, [...SINGLE_MASTERS, ...REST]);
    expect(done.title).toBe('Your CRS score: 469');
    expect(shown(done)).toContain('Age: 20–29');
    expect(done.buttons?.flat().map((b) => b.label)).toEqual(['Save as my profile', '« Back', 'Start over']);
  });

  it('goes back one answer, and cancels', async () => {
    const where = chat('discord', 'group');
    const second = await walk(where, ['20–29']);
    expect(second.menu?.placeholder).toBe('Spouse or partner');
    const back = await press(actionOf(second, '« Back'), where);
    expect(back.menu?.placeholder).toBe('Your age');
    const cancelled = await press(actionOf(second, 'Cancel'), where);
    expect(cancelled.title).toBe('CRS calculator closed');
    expect(cancelled.menu).toBeUndefined();
    expect(cancelled.buttons).toBeUndefined();
  });

  it('asks ability by ability when they differ, and asks about an accompanying spouse', async () => {
    const where = chat('telegram', 'private');
    const done = await walk(where, [
      '35',
      'Yes, coming with me',
      "Bachelor's (or 3+ year program)",
      'No',
      'Different in each ability',
      'CLB 9',
      'CLB 8',
      'CLB 9',
      'CLB 9',
      'No French test',
      '2 years',
      '1 year',
      'No',
      'No',
      'No',
      "Bachelor's (or 3+ year program)",
      'CLB 7',
      'None, or under a year',
    ]);
    const line = await say(
      '/crs age=35 education=bachelors english=9,8,9,9 canada_work=2 foreign_work=1 spouse=yes spouse_education=bachelors spouse_english=7',
    );
    expect(done.title).toBe(line.title);
    expect(field(done, 'Spouse')?.name).toBe('Spouse or partner: 20 of 40');
  });

  it('forgets an unfinished conversation after 30 minutes', async () => {
    const where = chat('telegram', 'private');
    const second = await walk(where, ['20–29']);
    const later = { ...env.deps, clock: () => FIXED_NOW.plus({ minutes: 31 }) };
    const reply = await press(actionOf(second, 'No'), where, later);
    expect(reply.kind).toBe('error');
    expect(reply.lines?.[0]).toBe(EXPIRED);
    const sooner = { ...env.deps, clock: () => FIXED_NOW.plus({ minutes: 29 }) };
    expect((await press(actionOf(second, 'No'), where, sooner)).menu?.placeholder).toBe('Highest education');
  });

  it('saves the finished score to the profile', async () => {
    await env.storage.profiles.forget('telegram', telegramUser);
    const where = chat('telegram', 'private');
    const done = await walk(where, [...SINGLE_MASTERS, ...REST]);
    const saved = await press(actionOf(done, 'Save as my profile'), where);
    expect(saved.title).toBe('Your CRS score: 469');
    expect(shown(saved)).toContain("Saved: your profile's CRS is now 469");
    expect(await env.storage.profiles.get('telegram', telegramUser)).toEqual({ crs: 469, categories: [] });
  });

  it('starts from a deep link (/start crs) and from a plain question', async () => {
    const where = chat('telegram', 'private');
    expect((await say('/start crs', where)).menu?.placeholder).toBe('Your age');
    expect((await say('what is my CRS?', where)).menu?.placeholder).toBe('Your age');
  });

  it('answers forged or stale buttons with a clear sentence', async () => {
    const where = chat('telegram', 'private');
    // The last two: a version this one does not know (questions or layout changed since).
    const now = Math.floor(FIXED_NOW.toMillis() / 60_000).toString(36);
    for (const action of ['crs:gzz.zzzzzzz', 'crs:q', 'crs:s12', 'crs:lz:', 'crs:g1.0', `crs:g2${now}.0`, 'crs:s21e0999999-e0000300-']) {
      const reply = await press(action, where);
      expect(reply.kind, action).toBe('error');
      expect(reply.lines?.[0], action).toMatch(/send \/crs/);
    }
    expect((await press('nope:x', where)).lines?.[0]).toBe(STALE_BUTTON);
  });

  it('keeps every action within Telegram’s 64 bytes', async () => {
    const where = chat('telegram', 'private');
    let reply = await say('/crs', where);
    const actions: string[] = [];
    // The longest path: a coming spouse, both languages ability by ability.
    for (let i = 0; i < 30 && reply.menu; i++) {
      const choices = reply.menu.choices;
      actions.push(...choices.map((c) => c.action), ...(reply.buttons ?? []).flat().flatMap((b) => (b.action ? [b.action] : [])));
      const pick = choices.find((c) => c.label === 'Yes, coming with me' || c.label === 'Different in each ability') ?? choices.at(-1)!;
      reply = await press(pick.action, where);
    }
    expect(reply.title).toMatch(/^Your CRS score: \d+$/);
    actions.push(...(reply.buttons ?? []).flat().flatMap((b) => (b.action ? [b.action] : [])));
    expect(Math.max(...actions.map((a) => Buffer.byteLength(a)))).toBeLessThanOrEqual(64);
  });
});

describe('profile codes', () => {
  it('carry any profile through a button and back', () => {
    const most: CrsProfile = {
      age: 120,
      education: 'phd',
      english: { listening: 12, reading: 11, writing: 10, speaking: 9 },
      french: { listening: 7, reading: 8, writing: 9, speaking: 4 },
      first: 'french',
      canadaWork: 50,
      foreignWork: 50,
      certificate: true,
      canadaStudy: '3+',
      sibling: true,
      nomination: true,
      spouse: { education: 'masters', language: { listening: 9, reading: 9, writing: 9, speaking: 9 }, canadaWork: 50 },
    };
    const least: CrsProfile = {
      age: 0,
      education: 'none',
      canadaWork: 0,
      foreignWork: 0,
      certificate: false,
      canadaStudy: 'none',
      sibling: false,
      nomination: false,
    };
    for (const profile of [most, least]) {
      const code = encodeProfile(profile);
      expect(code.length).toBeLessThanOrEqual(30);
      expect(decodeProfile(code)).toEqual(profile);
    }
  });
});
