import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/commands/defineCommand.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { silentLogger } from '../../src/lib/log.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import {
  APPLICATION_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  GUILD_ID,
  interaction,
  type RecordedRequest,
  startFakeDiscord,
} from './fakeDiscord.js';
import { gate } from './gate.js';

/** Answers that take longer than a moment (charts, later) are deferred, then edited in. */

/**
 * The slow commands answer only once the test has seen their deferral, so they are deferred by
 * time whatever the machine's speed; the delay is long enough that no ordinary answer reaches it.
 */
const DEFER_AFTER_MS = 500;
const slowness = gate();

const slow = defineCommand({
  name: 'slow',
  description: 'Takes its time',
  options: z.strictObject({}),
  examples: ['/slow'],
  async run() {
    await slowness.passed();
    return { kind: 'answer', title: 'Worth the wait', lines: ['Done.'], category: 'stem' };
  },
});

const slowPrivate = defineCommand({
  name: 'slow_private',
  description: 'Takes its time, for the asker only',
  options: z.strictObject({}),
  examples: ['/slow_private'],
  async run() {
    await slowness.passed();
    return { kind: 'answer', title: 'Just for you', private: true };
  },
});

const broken = defineCommand({
  name: 'broken',
  description: 'Has a bug',
  options: z.strictObject({}),
  examples: ['/broken'],
  run() {
    throw new Error('a bug, not the user’s fault');
  },
});

const allCommands = [...commands, slow, slowPrivate, broken];

let fake: FakeDiscord;
let bot: DiscordAdapter;

/** A bot with the slow and broken commands, registered to the test server, against `discord`. */
async function startBot(discord: FakeDiscord): Promise<DiscordAdapter> {
  const deps = await platformDeps({ deps: { ...(await testDeps()), commands: allCommands }, log: silentLogger });
  return startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, guildId: GUILD_ID, apiUrl: discord.apiUrl }, deps, {
    deferAfterMs: DEFER_AFTER_MS,
  });
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  bot = await startBot(fake);
});

afterAll(async () => {
  slowness.open();
  await bot?.stop();
  await fake?.close();
});

/**
 * Every request made for one interaction, in order, once `last` has been seen. A slow command is
 * let go only once its deferral has reached Discord.
 */
async function conversation(
  name: string,
  last: (r: RecordedRequest) => boolean,
  slowCommand = false,
): Promise<Array<Pick<RecordedRequest, 'method' | 'path' | 'body'>>> {
  const payload = interaction(2, name, []);
  slowness.close();
  fake.dispatch('INTERACTION_CREATE', payload);
  if (slowCommand) {
    await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    slowness.open();
  }
  await fake.waitForRequest((r) => r.path.includes(payload.token) && last(r));
  const short = (path: string) => path.replace(payload.token, '{token}').replace(payload.id, '{id}').replace(APPLICATION_ID, '{app}');
  return fake.requests.filter((r) => r.path.includes(payload.token)).map((r) => ({ method: r.method, path: short(r.path), body: r.body }));
}

describe('deferred answers', () => {
  it('registers to the guild when DISCORD_GUILD_ID is set', () => {
    const calls = fake.requests.filter((r) => r.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`);
    expect(calls.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect((calls[1]!.body as Array<{ name: string }>).map((c) => c.name)).toContain('slow_private');
  });

  it('defers a slow answer, then edits it in', async () => {
    expect(await conversation('slow', (r) => r.method === 'PATCH', true)).toEqual([
      { method: 'POST', path: '/interactions/{id}/{token}/callback', body: { type: 5, data: { flags: 0 } } },
      {
        method: 'PATCH',
        path: '/webhooks/{app}/{token}/messages/@original',
        body: {
          tts: false,
          enforce_nonce: false,
          embeds: [
            { title: 'Worth the wait', color: 0x00bcd4, description: 'Done.', footer: { text: 'IRCC data to round #434 (Aug 7, 2026)' } },
          ],
          allowed_mentions: { parse: [] },
        },
      },
    ]);
  });

  it('sends a slow private answer as an ephemeral follow-up and removes the public placeholder', async () => {
    const calls = await conversation('slow_private', (r) => r.method === 'DELETE', true);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /interactions/{id}/{token}/callback',
      'PATCH /webhooks/{app}/{token}/messages/@original',
      'POST /webhooks/{app}/{token}',
      'DELETE /webhooks/{app}/{token}/messages/@original',
    ]);
    expect(calls[1]!.body).toEqual({
      content: 'Answered privately.',
      tts: false,
      enforce_nonce: false,
      embeds: [],
      allowed_mentions: { parse: [] },
    });
    expect(calls[2]!.body).toMatchObject({ embeds: [{ title: 'Just for you' }], allowed_mentions: { parse: [] }, flags: 64 });
  });

  it("waits for the edit's turn in the budget the alerts share, and takes it before them", async () => {
    const limiter = bot.alerts.limiter!;
    // As if a burst of alerts had just been rate-limited: nothing may go for 600 ms.
    const until = Date.now() + 600;
    limiter.pause(until);
    const payload = interaction(2, 'slow', []);
    slowness.close();
    fake.dispatch('INTERACTION_CREATE', payload);
    // The deferral is the interaction's own callback, outside the budget: it goes at once.
    await fake.waitForRequest((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    slowness.open();
    await vi.waitFor(() => expect(limiter.waitingAnswers).toBe(1));
    // An alert asking now comes after the waiting answer.
    expect(limiter.delay('1300000000000000301')).toBeGreaterThan(until - Date.now());
    await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(payload.token));
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect(limiter.waitingAnswers).toBe(0);
  });

  it('answers a bug in a command with a short private apology', async () => {
    const calls = await conversation('broken', () => true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({
      type: 4,
      data: { embeds: [{ title: 'Sorry', description: expect.stringMatching(/^Sorry — something went wrong on our side/) }], flags: 64 },
    });
  });

  it('stop() closes the gateway connection normally', async () => {
    // A bot of its own, so that the others' tests need not run first.
    const own = await startFakeDiscord();
    try {
      const stopping = await startBot(own);
      expect(own.closes).toEqual([]);
      await stopping.stop();
      expect(own.closes).toEqual([1000]);
    } finally {
      await own.close();
    }
  });
});
