import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiscordClient, type DiscordAdapter, managedShards, startDiscord } from '../../src/discord/startDiscord.js';
import { platformDeps } from '../fixtures/deps.js';
import { APPLICATION_ID, FAKE_TOKEN, type FakeDiscord, startFakeDiscord } from './fakeDiscord.js';

/** Sharding ('auto': as many shards as Discord recommends) and the gateway's health, against a fake Discord. */

let fake: FakeDiscord | undefined;
let bot: DiscordAdapter | undefined;

afterEach(async () => {
  await bot?.stop();
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

describe('Discord gateway health', () => {
  it('is not ok once Discord closes the gateway for good, naming the shard', async () => {
    const { health } = await start(1);
    await vi.waitFor(() => expect(health()).toEqual({ ok: true }));
    // 4014: disallowed intents, a close code discord.js does not reconnect after.
    fake!.disconnect(4014);
    await vi.waitFor(() => expect(health()).toEqual({ ok: false, reason: 'gateway not ready (shard 0 disconnected)' }));
  });
});
