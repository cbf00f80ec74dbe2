import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/commands/defineCommand.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { startDiscord } from '../../src/discord/startDiscord.js';
import { openDrawStore } from '../../src/app/drawStore.js';
import { silentLogger } from '../../src/lib/log.js';
import type { RunningAdapter } from '../../src/runningAdapter.js';
import { APPLICATION_ID, FAKE_TOKEN, GUILD_ID, interaction, startFakeDiscord, type FakeDiscord, type RecordedRequest } from './fakeDiscord.js';

/** Answers that take longer than a moment (charts, later) are deferred, then edited in. */

const slow = defineCommand({
  name: 'slow',
  description: 'Takes its time',
  options: z.strictObject({}),
  examples: ['/slow'],
  async run() {
    await sleep(150);
    return { kind: 'answer', title: 'Worth the wait', lines: ['Done.'], category: 'stem' };
  },
});

const slowPrivate = defineCommand({
  name: 'slow_private',
  description: 'Takes its time, for the asker only',
  options: z.strictObject({}),
  examples: ['/slow_private'],
  async run() {
    await sleep(150);
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

let fake: FakeDiscord;
let bot: RunningAdapter | undefined;

beforeAll(async () => {
  fake = await startFakeDiscord();
  const store = await openDrawStore(['data/draws.json']);
  const deps: CommandDeps = { data: store.current, clock: () => DateTime.fromISO('2026-11-25T12:00:00Z'), log: silentLogger, commands: [...commands, slow, slowPrivate, broken] };
  bot = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, guildId: GUILD_ID, apiUrl: fake.apiUrl }, deps, silentLogger, { deferAfterMs: 40 });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

/** Every request made for one interaction, in order, once `last` has been seen. */
async function conversation(name: string, last: (r: RecordedRequest) => boolean): Promise<Array<Pick<RecordedRequest, 'method' | 'path' | 'body'>>> {
  const payload = interaction(2, name, []);
  fake.dispatch('INTERACTION_CREATE', payload);
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
    expect(await conversation('slow', (r) => r.method === 'PATCH')).toEqual([
      { method: 'POST', path: '/interactions/{id}/{token}/callback', body: { type: 5, data: { flags: 0 } } },
      {
        method: 'PATCH',
        path: '/webhooks/{app}/{token}/messages/@original',
        body: {
          tts: false,
          enforce_nonce: false,
          embeds: [{ title: 'Worth the wait', color: 0x00bcd4, description: 'Done.', footer: { text: 'IRCC data to round #434 (Aug 7, 2026)' } }],
          allowed_mentions: { parse: [] },
        },
      },
    ]);
  });

  it('sends a slow private answer as an ephemeral follow-up and removes the public placeholder', async () => {
    const calls = await conversation('slow_private', (r) => r.method === 'DELETE');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /interactions/{id}/{token}/callback',
      'PATCH /webhooks/{app}/{token}/messages/@original',
      'POST /webhooks/{app}/{token}',
      'DELETE /webhooks/{app}/{token}/messages/@original',
    ]);
    expect(calls[1]!.body).toEqual({ content: 'Answered privately.', tts: false, enforce_nonce: false, embeds: [], allowed_mentions: { parse: [] } });
    expect(calls[2]!.body).toMatchObject({ embeds: [{ title: 'Just for you' }], allowed_mentions: { parse: [] }, flags: 64 });
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
    await bot!.stop();
    bot = undefined;
    expect(fake.closes).toEqual([1000]);
  });
});
