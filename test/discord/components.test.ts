import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { STALE_BUTTON } from '../../src/commands/createAnswers.js';
import { defineCommand } from '../../src/commands/defineCommand.js';
import type { Reply } from '../../src/core/reply.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { UserError } from '../../src/domain/userError.js';
import { createLogger } from '../../src/lib/log.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import {
  type ActionRowJson,
  APPLICATION_ID,
  callbackOf,
  callbackPath,
  componentInteraction,
  EPHEMERAL,
  FAKE_TOKEN,
  type FakeDiscord,
  GUILD_ID,
  press,
  sentMessage,
  slash,
  startFakeDiscord,
} from './fakeDiscord.js';
import { gate } from './gate.js';

/**
 * The real discord.js client against a fake Discord: a reply's menu and buttons as components, and
 * presses on them answered in place of the message they were on.
 */

/** Long enough that no ordinary answer reaches it; the slow step waits for the test anyway. */
const DEFER_AFTER_MS = 300;
const slowness = gate();
const ROUNDS = 'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/express-entry-rounds.html';

/** Picks are named so that a log line holding one is easy to find. */
const CHOICES = [
  { label: 'Alpha', action: 'pick:opt-alpha' },
  { label: 'Beta', action: 'pick:opt-beta' },
  { label: 'Gamma', action: 'pick:opt-gamma' },
];

const firstStep = (): Reply => ({
  kind: 'answer',
  title: 'Pick one',
  private: true,
  menu: { placeholder: 'Your favourite', choices: CHOICES },
  buttons: [[{ label: 'Cancel', action: 'pick:cancel' }]],
});

const pick = defineCommand({
  name: 'pick',
  description: 'A guided step: a menu of three and a cancel button',
  options: z.strictObject({}),
  examples: ['/pick'],
  run: firstStep,
  async act(payload) {
    if (payload === 'cancel') return { kind: 'answer', title: 'Cancelled', private: true };
    if (payload === 'back') return firstStep();
    if (payload === 'slow') {
      await slowness.passed();
      return { kind: 'answer', title: 'Worth the wait', private: true, buttons: [[{ label: 'Back', action: 'pick:back' }]] };
    }
    const chosen = CHOICES.find((c) => c.action === `pick:${payload}`);
    if (!chosen) throw new UserError('That is not one of the choices.');
    return { kind: 'answer', title: `You picked ${chosen.label}`, private: true, buttons: [[{ label: 'Back', action: 'pick:back' }]] };
  },
});

/** A public message with buttons: one answers the presser alone, one is a link. */
const board = defineCommand({
  name: 'board',
  description: 'A public message with a private button and a link',
  options: z.strictObject({}),
  examples: ['/board'],
  run: () => ({
    kind: 'answer',
    title: 'Board',
    buttons: [
      [
        { label: 'Mine', action: 'board:mine' },
        { label: 'Rounds', url: ROUNDS },
      ],
      [{ label: 'Refresh', action: 'board:refresh' }],
    ],
  }),
  act: (payload) =>
    payload === 'refresh'
      ? { kind: 'answer', title: 'Board, refreshed' }
      : { kind: 'answer', title: 'Only yours', private: true, lines: ['Nobody else sees this.'] },
});

/** 22 options, each with a handful of fixed choices: within Discord's 25 and its 8000 characters. */
const wide = defineCommand({
  name: 'wide',
  description: 'Many options',
  options: z.strictObject(
    Object.fromEntries(
      Array.from({ length: 22 }, (_, i) => [
        `option_${i}`,
        z
          .string()
          .optional()
          .meta({ kind: 'string', description: `Option number ${i}`, choices: ['none', 'some', 'many'] }),
      ]),
    ),
  ),
  examples: ['/wide'],
  run: () => ({ kind: 'answer', title: 'Wide' }),
});

let fake: FakeDiscord;
let bot: DiscordAdapter | undefined;
const logs: string[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord();
  const log = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const deps = await platformDeps({ deps: { ...(await testDeps()), commands: [pick, board, wide] }, log });
  bot = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, guildId: GUILD_ID, apiUrl: fake.apiUrl }, deps, {
    deferAfterMs: DEFER_AFTER_MS,
  });
});

afterAll(async () => {
  slowness.open();
  await bot?.stop();
  await fake?.close();
});

const PICK_COMPONENTS: ActionRowJson[] = [
  {
    type: 1,
    components: [
      {
        type: 3,
        custom_id: 'menu',
        placeholder: 'Your favourite',
        options: [
          { label: 'Alpha', value: 'pick:opt-alpha' },
          { label: 'Beta', value: 'pick:opt-beta' },
          { label: 'Gamma', value: 'pick:opt-gamma' },
        ],
      },
    ],
  },
  { type: 1, components: [{ type: 2, style: 2, label: 'Cancel', custom_id: 'pick:cancel' }] },
];

const BACK: ActionRowJson[] = [{ type: 1, components: [{ type: 2, style: 2, label: 'Back', custom_id: 'pick:back' }] }];

const titleOf = (data: { embeds?: unknown[] } | undefined) => (data?.embeds?.[0] as { title?: string } | undefined)?.title;

describe('registration', () => {
  it('registers a command of 22 options, each with its fixed choices', () => {
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`);
    const registered = (put!.body as Array<{ name: string; options?: unknown[] }>).find((c) => c.name === 'wide');
    expect(registered?.options).toHaveLength(22);
    expect(registered?.options?.[0]).toEqual({
      type: 3,
      name: 'option_0',
      description: 'Option number 0',
      required: false,
      choices: [
        { name: 'none', value: 'none' },
        { name: 'some', value: 'some' },
        { name: 'many', value: 'many' },
      ],
    });
  });
});

describe('a guided step', () => {
  it('answers /pick with the select menu and the buttons, privately', async () => {
    const { callback } = await slash(fake, 'pick');
    expect(callback.type).toBe(4);
    expect(callback.data?.flags).toBe(EPHEMERAL);
    expect(titleOf(callback.data)).toBe('Pick one');
    expect(callback.data?.components).toEqual(PICK_COMPONENTS);
  });

  it('answers a pick in place with the next step, then Back and Cancel', async () => {
    const { message } = await slash(fake, 'pick');
    const picked = await press(fake, message, { select: ['pick:opt-beta'] });
    expect(picked.callback).toEqual({
      type: 7,
      data: {
        embeds: [expect.objectContaining({ title: 'You picked Beta' })],
        allowed_mentions: { parse: [] },
        components: BACK,
      },
    });
    const back = await press(fake, picked.message, { button: 'pick:back' });
    expect(back.callback.type).toBe(7);
    expect(titleOf(back.callback.data)).toBe('Pick one');
    expect(back.callback.data?.components).toEqual(PICK_COMPONENTS);
    const cancelled = await press(fake, back.message, { button: 'pick:cancel' });
    expect(cancelled.callback.type).toBe(7);
    expect(titleOf(cancelled.callback.data)).toBe('Cancelled');
    // A finished step keeps no buttons.
    expect(cancelled.callback.data?.components).toEqual([]);
  });

  it('answers the same in a DM', async () => {
    const { message } = await slash(fake, 'pick', [], 'dm');
    const picked = await press(fake, message, { select: ['pick:opt-gamma'] }, 'dm');
    expect(picked.callback.type).toBe(7);
    expect(titleOf(picked.callback.data)).toBe('You picked Gamma');
  });

  it('answers a forged pick or button with the error in place, its components removed', async () => {
    const { message } = await slash(fake, 'pick');
    const forged = await press(fake, message, { select: ['pick:zzz-forged'] });
    expect(forged.callback).toEqual({
      type: 7,
      data: {
        embeds: [expect.objectContaining({ title: 'Not quite', description: 'That is not one of the choices.' })],
        allowed_mentions: { parse: [] },
        components: [],
      },
    });
    const stranger = await press(fake, message, { button: 'nosuchcommand:zzz-forged' });
    expect(stranger.callback.type).toBe(7);
    expect(stranger.callback.data?.embeds).toEqual([expect.objectContaining({ description: STALE_BUTTON })]);
    expect(stranger.callback.data?.components).toEqual([]);
  });

  it('defers a slow step (the message kept meanwhile), then edits it in place', async () => {
    const { message } = await slash(fake, 'pick');
    slowness.close();
    const payload = componentInteraction(message, { button: 'pick:slow' });
    expect(await callbackOf(fake, payload)).toEqual({ type: 6 });
    slowness.open();
    const path = `/webhooks/${APPLICATION_ID}/${payload.token}/messages/@original`;
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === path);
    expect(edit.body).toEqual({
      embeds: [expect.objectContaining({ title: 'Worth the wait' })],
      allowed_mentions: { parse: [] },
      components: BACK,
    });
  });
});

describe('a public message with buttons', () => {
  it('renders an action button and a link button (style 5, with its url)', async () => {
    const { callback } = await slash(fake, 'board');
    expect(callback.data?.flags).toBeUndefined();
    expect(callback.data?.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Mine', custom_id: 'board:mine' },
          { type: 2, style: 5, label: 'Rounds', url: ROUNDS },
        ],
      },
      { type: 1, components: [{ type: 2, style: 2, label: 'Refresh', custom_id: 'board:refresh' }] },
    ]);
  });

  it('updates it in place for a public answer', async () => {
    const { message } = await slash(fake, 'board');
    const refreshed = await press(fake, message, { button: 'board:refresh' });
    expect(refreshed.callback.type).toBe(7);
    expect(titleOf(refreshed.callback.data)).toBe('Board, refreshed');
  });

  it('answers a private answer or an error to the presser alone, leaving the shared message as it was', async () => {
    const { message } = await slash(fake, 'board');
    const mine = await press(fake, message, { button: 'board:mine' });
    expect(mine.callback.type).toBe(4);
    expect(mine.callback.data?.flags).toBe(EPHEMERAL);
    expect(titleOf(mine.callback.data)).toBe('Only yours');
    const forged = await press(fake, message, { button: 'zzz-forged' });
    expect(forged.callback.type).toBe(4);
    expect(forged.callback.data?.flags).toBe(EPHEMERAL);
    expect(forged.callback.data?.embeds).toEqual([expect.objectContaining({ description: STALE_BUTTON })]);
  });
});

describe('failures', () => {
  it('apologises privately when Discord refuses the update, logging neither the custom_id nor the values', async () => {
    const mark = logs.length;
    const on = sentMessage({ embeds: [], components: PICK_COMPONENTS }, 'guild', EPHEMERAL);
    const payload = componentInteraction(on, { select: ['pick:opt-alpha'] });
    fake.failures.set(callbackPath(payload), { status: 400, code: 50035, message: 'Invalid Form Body' });
    fake.dispatch('INTERACTION_CREATE', payload);
    const calls = () => fake.requests.filter((r) => r.method === 'POST' && r.path === callbackPath(payload));
    await fake.waitForRequest((r) => r.method === 'POST' && r.path === callbackPath(payload) && (r.body as { type: number }).type === 4);
    expect(calls().map((r) => (r.body as { type: number }).type)).toEqual([7, 4]);
    expect(calls()[1]!.body).toMatchObject({ type: 4, data: { embeds: [{ title: 'Sorry' }], flags: EPHEMERAL } });
    const failed = logs.slice(mark).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failed).toContainEqual(expect.objectContaining({ msg: 'interaction failed', command: 'pick', component: 'menu' }));
  });

  it('never logs what was pressed or picked', async () => {
    const mark = logs.length;
    const { message } = await slash(fake, 'pick');
    const picked = await press(fake, message, { select: ['pick:opt-alpha'] });
    await press(fake, picked.message, { button: 'pick:zzz-forged' });
    const entries = logs.slice(mark).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ msg: 'answered', command: 'pick', component: 'menu', deferred: false }));
    // Nor anywhere else in this file's logs.
    const written = logs.join('');
    for (const secret of ['opt-alpha', 'opt-beta', 'opt-gamma', 'zzz-forged', 'pick:cancel', 'pick:back', 'board:mine']) {
      expect(written).not.toContain(secret);
    }
  });
});
