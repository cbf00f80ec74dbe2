import { Events } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDiscordClient, type DiscordAdapter, managedShards, startDiscord } from '../../src/discord/startDiscord.js';
import { createLogger } from '../../src/lib/log.js';
import { platformDeps } from '../fixtures/deps.js';
import {
  APPLICATION_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  GUILD_ID,
  interaction,
  OTHER_GUILD_ID,
  shardOf,
  startFakeDiscord,
} from './fakeDiscord.js';

/**
 * Sharding ('auto': as many shards as Discord recommends; SHARD_COUNT / SHARD_IDS: a share per
 * instance) and the gateway's health, against a fake Discord.
 */

let fake: FakeDiscord | undefined;
let bot: DiscordAdapter | undefined;
/** Instances of the multi-instance tests, stopped like `bot`. */
const instances: DiscordAdapter[] = [];

afterEach(async () => {
  await Promise.all([bot, ...instances.splice(0)].map((b) => b?.stop()));
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

async function start(shards: number): Promise<DiscordAdapter> {
  fake = await startFakeDiscord({ shards });
  bot = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl }, await platformDeps());
  return bot;
}

describe('Discord sharding', () => {
  it('connects with shards: auto, one shard while Discord recommends one', async () => {
    const { client, health } = await start(1);
    expect(fake!.identifiedShards).toEqual([[0, 1]]);
    expect(client.options.shards).toEqual([0]);
    expect(client.options.shardCount).toBe(1);
    await vi.waitFor(() => expect(health()).toEqual({ ok: true }));
  });

  it('opens as many shards as GET /gateway/bot recommends (Discord does from 2,500 servers)', async () => {
    const { client, health } = await start(2);
    expect([...fake!.identifiedShards].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(client.options.shardCount).toBe(2);
    expect([...client.ws.shards.keys()].sort()).toEqual([0, 1]);
    await vi.waitFor(() => expect(health()).toEqual({ ok: true }));
  });

  it('leaves the shards to a ShardingManager that started the process (SHARDS in the environment)', () => {
    expect(managedShards({ SHARDS: '[2,3]', SHARD_COUNT: '4' })).toBe(true);
    expect(managedShards({ PATH: '/usr/bin' })).toBe(false);
    const config = { token: FAKE_TOKEN, applicationId: APPLICATION_ID };
    expect(createDiscordClient(config).options.shards).toBe('auto');
    vi.stubEnv('SHARDS', '[2,3]');
    vi.stubEnv('SHARD_COUNT', '4');
    try {
      const managed = createDiscordClient(config);
      expect(managed.options.shards).toEqual([2, 3]);
      expect(managed.options.shardCount).toBe(4);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

/** One instance as `npm start` would build it from these variables, on the running fake Discord. */
async function instance(env: Record<string, string>, logs: string[] = []): Promise<DiscordAdapter> {
  const config = loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake!.apiUrl, ...env });
  const log = createLogger('info', { write: (line: string) => void logs.push(line) });
  const started = await startDiscord(config.discord!, await platformDeps({ log }));
  instances.push(started);
  return started;
}

const sorted = (shards: Array<[number, number]>) => [...shards].sort((a, b) => a[0] - b[0]);

describe('Discord shards across instances (SHARD_COUNT, SHARD_IDS)', () => {
  it('SHARD_COUNT=2 SHARD_IDS=1 identifies as shard [1, 2] only, whatever Discord recommends, and says so when ready', async () => {
    fake = await startFakeDiscord({ shards: 1 });
    const logs: string[] = [];
    const { client, health } = await instance({ SHARD_COUNT: '2', SHARD_IDS: '1' }, logs);
    expect(fake.identifiedShards).toEqual([[1, 2]]);
    expect([...client.ws.shards.keys()]).toEqual([1]);
    await vi.waitFor(() => expect(health()).toEqual({ ok: true }));
    const ready = logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'discord ready');
    expect(ready).toMatchObject({ shards: [1], shardCount: 2 });
  });

  it('SHARD_COUNT alone runs every shard in this one process', async () => {
    fake = await startFakeDiscord({ shards: 3 });
    const { health } = await instance({ SHARD_COUNT: '3' });
    expect(sorted(fake.identifiedShards)).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    await vi.waitFor(() => expect(health()).toEqual({ ok: true }));
  });

  it('two instances (SHARD_IDS 0 and 1 of 2) identify [0, 2] and [1, 2], each healthy, each holding its own servers', async () => {
    fake = await startFakeDiscord({ guilds: [GUILD_ID, OTHER_GUILD_ID] });
    const first = await instance({ SHARD_COUNT: '2', SHARD_IDS: '0' });
    const second = await instance({ SHARD_COUNT: '2', SHARD_IDS: '1' });
    expect(sorted(fake.identifiedShards)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await vi.waitFor(() => expect(first.health()).toEqual({ ok: true }));
    await vi.waitFor(() => expect(second.health()).toEqual({ ok: true }));
    expect([...first.client.guilds.cache.keys()]).toEqual([GUILD_ID]);
    expect([...second.client.guilds.cache.keys()]).toEqual([OTHER_GUILD_ID]);
  });

  it("answers each interaction from the instance holding its shard: a server's on (guild_id >> 22) % count, a DM's on shard 0", async () => {
    expect([shardOf(GUILD_ID, 2), shardOf(OTHER_GUILD_ID, 2), shardOf(undefined, 2)]).toEqual([0, 1, 0]);
    fake = await startFakeDiscord({ guilds: [GUILD_ID, OTHER_GUILD_ID] });
    const holders = [await instance({ SHARD_COUNT: '2', SHARD_IDS: '0' }), await instance({ SHARD_COUNT: '2', SHARD_IDS: '1' })];
    /** Which instance (0 or 1) received each interaction, by interaction id. */
    const receivedBy = new Map<string, number[]>();
    for (const [index, holder] of holders.entries()) {
      holder.client.on(Events.InteractionCreate, (received) => {
        receivedBy.set(received.id, [...(receivedBy.get(received.id) ?? []), index]);
      });
    }

    const cases = [
      { payload: interaction(2, 'latest', [], 'guild', OTHER_GUILD_ID), holder: 1 },
      { payload: interaction(2, 'latest', [], 'guild', GUILD_ID), holder: 0 },
      { payload: interaction(2, 'latest', [], 'dm'), holder: 0 },
    ];
    for (const { payload, holder } of cases) {
      expect(fake.dispatch('INTERACTION_CREATE', payload)).toBe(1);
      const callback = `/interactions/${payload.id}/${payload.token}/callback`;
      const answer = await fake.waitForRequest((r) => r.method === 'POST' && r.path === callback);
      expect(answer.body).toMatchObject({ type: 4, data: { embeds: [expect.objectContaining({ title: expect.any(String) })] } });
      expect(receivedBy.get(payload.id)).toEqual([holder]);
    }
    // Answered once each: no instance answered what was not on its shard.
    const callbacks = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/callback'));
    expect(callbacks).toHaveLength(cases.length);
  });
});

describe('Discord gateway health', () => {
  it('is not ok once Discord closes the gateway for good, naming the shard', async () => {
    const { health } = await start(1);
    await vi.waitFor(() => expect(health()).toEqual({ ok: true }));
    // 4014: disallowed intents, a close code discord.js does not reconnect after.
    fake!.disconnect(4014);
    await vi.waitFor(() => expect(health()).toEqual({ ok: false, reason: 'gateway not ready (shard 0 disconnected)' }));
  });
});
