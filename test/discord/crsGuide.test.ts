import type { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED } from '../../src/commands/crs/crsGuide.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { FIXED_NOW, platformDeps } from '../fixtures/deps.js';
import {
  type ActionRowJson,
  APPLICATION_ID,
  EPHEMERAL,
  FAKE_TOKEN,
  type FakeDiscord,
  type FakeMessage,
  GUILD_ID,
  type Press,
  press,
  slash,
  startFakeDiscord,
  USER_ID,
} from './fakeDiscord.js';

/** /crs through discord.js against the fake Discord: options, a select menu step by step, back, cancel, expiry, saving. */

const env = useSubscriptionDeps();
let fake: FakeDiscord;
let bot: DiscordAdapter | undefined;
let now: DateTime = FIXED_NOW;

beforeAll(async () => {
  fake = await startFakeDiscord();
  const deps = await platformDeps({ deps: { ...env.deps, clock: () => now } });
  bot = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, guildId: GUILD_ID, apiUrl: fake.apiUrl }, deps);
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }> };
const embedOf = (message: FakeMessage) => ((message.embeds as unknown[] | undefined)?.[0] ?? {}) as Embed;
const shown = (message: FakeMessage) => {
  const embed = embedOf(message);
  return [embed.title, embed.description, ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`)].join('\n');
};
const rows = (message: FakeMessage) => (message.components ?? []) as ActionRowJson[];
type Component = {
  type: number;
  label?: string;
  custom_id?: string;
  placeholder?: string;
  options?: Array<{ label: string; value: string }>;
};
const components = (message: FakeMessage) => rows(message).flatMap((row) => row.components as Component[]);
const placeholder = (message: FakeMessage) => components(message).find((c) => c.type === 3)?.placeholder;

/** The press that picks `label` from the select menu, or presses the button labelled so. */
function choose(message: FakeMessage, label: string): Press {
  for (const component of components(message)) {
    const option = component.options?.find((o) => o.label === label);
    if (option) return { select: [option.value] };
    if (component.type === 2 && component.label === label && component.custom_id) return { button: component.custom_id };
  }
  throw new Error(`no "${label}" on the message`);
}

async function walk(message: FakeMessage, labels: readonly string[]): Promise<FakeMessage> {
  let at = message;
  for (const label of labels) {
    const { callback, message: next } = await press(fake, at, choose(at, label));
    expect(callback.type, label).toBe(7);
    at = next;
  }
  return at;
}

const SINGLE_MASTERS_469 = [
  '20–29',
  'No',
  "Master's or professional degree",
  'No',
  'CLB 9',
  'No French test',
  'None, or under a year',
  '3 years or more',
  'No',
  'No',
  'No',
];

describe('/crs on Discord', () => {
  it('answers the options given, privately', async () => {
    const { callback, message } = await slash(fake, 'crs', [
      { name: 'age', type: 4, value: 29 },
      { name: 'education', type: 3, value: 'masters' },
      { name: 'english', type: 3, value: '9' },
      { name: 'foreign_work', type: 3, value: '3' },
    ]);
    expect(callback.data?.flags).toBe(EPHEMERAL);
    expect(embedOf(message).title).toBe('Your CRS score: 469');
    expect(shown(message)).toContain('What would raise it most');
    expect(components(message).map((c) => c.label)).toEqual(['Save as my profile']);
  });

  it('asks step by step in a server, ephemerally, goes back, and saves to the profile', async () => {
    await env.storage.profiles.forget('discord', USER_ID);
    const { callback, message } = await slash(fake, 'crs');
    expect(callback.data?.flags).toBe(EPHEMERAL);
    expect(placeholder(message)).toBe('Your age');

    const second = await walk(message, ['20–29']);
    expect(placeholder(second)).toBe('Spouse or partner');
    expect(placeholder(await walk(second, ['« Back']))).toBe('Your age');

    const done = await walk(message, SINGLE_MASTERS_469);
    expect(embedOf(done).title).toBe('Your CRS score: 469');
    expect(components(done).map((c) => c.label)).toEqual(['Save as my profile', '« Back', 'Start over']);
    const saved = await walk(done, ['Save as my profile']);
    expect(shown(saved)).toContain("your profile's CRS is now 469");
    expect(await env.storage.profiles.get('discord', USER_ID)).toEqual({ crs: 469, categories: [] });
  });

  it('cancels in a DM, removing the menu', async () => {
    const { message } = await slash(fake, 'crs', [], 'dm');
    const { callback, message: closed } = await press(fake, message, choose(message, 'Cancel'), 'dm');
    expect(callback.type).toBe(7);
    expect(embedOf(closed).title).toBe('CRS calculator closed');
    expect(closed.components).toEqual([]);
  });

  it('forgets a conversation left for over 30 minutes', async () => {
    now = FIXED_NOW;
    const { message } = await slash(fake, 'crs');
    now = FIXED_NOW.plus({ minutes: 31 });
    try {
      const { callback, message: late } = await press(fake, message, choose(message, '20–29'));
      expect(callback.type).toBe(7);
      expect(shown(late)).toContain(EXPIRED);
      expect(late.components).toEqual([]);
    } finally {
      now = FIXED_NOW;
    }
  });
});
