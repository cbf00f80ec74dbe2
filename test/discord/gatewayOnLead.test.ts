import { afterEach, describe, expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import type { RunningPlatform } from '../../src/commands/platformModule.js';
import { loadConfig } from '../../src/config.js';
import { discordPlatform } from '../../src/discord/discordPlatform.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { platformDeps } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { APPLICATION_ID, FAKE_TOKEN, type FakeDiscord, interaction, startFakeDiscord } from './fakeDiscord.js';

/**
 * Several instances that would each hold every shard: the gateway runs on the leader alone,
 * connected at lead.start() and closed at lead.stop(), as often as the lead comes and goes.
 */

let fake: FakeDiscord | undefined;
const started: RunningPlatform[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((platform) => platform.stop()));
  await fake?.close();
  fake = undefined;
});

async function startOnLead(): Promise<DiscordAdapter> {
  fake = await startFakeDiscord();
  const adapter = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl }, await platformDeps(), {
    gatewayOnLead: true,
  });
  started.push(adapter);
  return adapter;
}

/** Sends an interaction on the gateway; resolves with how many sessions got it and, if any, its callback's body. */
async function ask(): Promise<{ sessions: number; answer?: unknown }> {
  const payload = interaction(2, 'latest', []);
  const sessions = fake!.dispatch('INTERACTION_CREATE', payload);
  if (sessions === 0) return { sessions };
  const callback = `/interactions/${payload.id}/${payload.token}/callback`;
  return { sessions, answer: (await fake!.waitForRequest((r) => r.method === 'POST' && r.path === callback)).body };
}

const answered = {
  sessions: 1,
  answer: expect.objectContaining({ type: 4, data: expect.objectContaining({ embeds: expect.any(Array) }) }),
};

describe('Discord with gatewayOnLead', () => {
  it('checks the commands at start but identifies only at lead.start(), then answers; healthy as a follower', async () => {
    const adapter = await startOnLead();
    expect(fake!.requests.some((r) => r.method === 'GET' && r.path.endsWith('/commands'))).toBe(true);
    expect(fake!.identifies).toEqual([]);
    expect(adapter.health()).toEqual({ ok: true });
    expect(await ask()).toEqual({ sessions: 0 });

    await adapter.lead!.start();
    await vi.waitFor(() => expect(adapter.health()).toEqual({ ok: true }));
    expect(fake!.identifies).toHaveLength(1);
    expect(await ask()).toEqual(answered);
    // The leader's health is its gateway's.
    fake!.disconnect(4014);
    await vi.waitFor(() => expect(adapter.health()).toEqual({ ok: false, reason: 'gateway not ready (shard 0 disconnected)' }));
  });

  it('closes the session at lead.stop() (an interaction then reaches nobody), and connects a new client at the next lead.start()', async () => {
    const adapter = await startOnLead();
    await adapter.lead!.start();
    await vi.waitFor(() => expect(adapter.health()).toEqual({ ok: true }));
    const first = adapter.client;

    await adapter.lead!.stop();
    await vi.waitFor(() => expect(fake!.closes).toEqual([1000]));
    expect(await ask()).toEqual({ sessions: 0 });
    expect(adapter.health()).toEqual({ ok: true });

    await adapter.lead!.start();
    await vi.waitFor(() => expect(adapter.health()).toEqual({ ok: true }));
    expect(fake!.identifies).toHaveLength(2);
    // A destroyed discord.js Client cannot log in again: each lead has its own.
    expect(adapter.client).not.toBe(first);
    expect(await ask()).toEqual(answered);
    const callbacks = fake!.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/callback'));
    expect(callbacks).toHaveLength(1); // the old client, destroyed, answered nothing

    await adapter.stop();
    await vi.waitFor(() => expect(fake!.closes).toEqual([1000, 1000]));
  });

  it('a lead lost while still connecting closes that connection; the next lead connects afresh', async () => {
    const adapter = await startOnLead();
    await adapter.lead!.start();
    await adapter.lead!.stop();
    // The first client was still fetching the gateway's address: destroyed then, it would open its
    // shard anyway; it closes once logged in instead.
    await vi.waitFor(() => expect(fake!.closes).toEqual([1000]));
    await adapter.lead!.start();
    await vi.waitFor(() => expect(adapter.health()).toEqual({ ok: true }));
    expect(fake!.identifies).toHaveLength(2);
    expect(await ask()).toEqual(answered); // one session got it
  });

  it('a login Discord refuses on taking the lead is reported lost (the process stops, another instance leads)', async () => {
    fake = await startFakeDiscord();
    const lost = vi.fn();
    const adapter = await startDiscord(
      { token: 'refused-token.not-the-fake-one.0123456789', applicationId: APPLICATION_ID, apiUrl: fake.apiUrl },
      { ...(await platformDeps()), lost },
      { gatewayOnLead: true },
    );
    started.push(adapter);
    await adapter.lead!.start();
    await vi.waitFor(() => expect(lost).toHaveBeenCalledWith('discord', expect.stringMatching(/^gateway login failed/)));
    expect(JSON.stringify(lost.mock.calls)).not.toContain('refused-token');
  });

  it('sends alerts as channel messages as soon as it leads, and again after a lead lost and taken back', async () => {
    const adapter = await startOnLead();
    const reply = alertReply(makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 462 }), undefined);
    const posts = () => fake!.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'));

    await adapter.lead!.start();
    expect(await adapter.alerts.send('1300000000000000401', reply)).toMatchObject({ status: 'sent' });
    // Destroying the lead's client takes its REST's token; the alerts' REST keeps it.
    await adapter.lead!.stop();
    await adapter.lead!.start();
    expect(await adapter.alerts.send('1300000000000000402', reply)).toMatchObject({ status: 'sent' });
    expect(posts().map((r) => [r.path, r.authorization])).toEqual([
      ['/channels/1300000000000000401/messages', `Bot ${FAKE_TOKEN}`],
      ['/channels/1300000000000000402/messages', `Bot ${FAKE_TOKEN}`],
    ]);
  });
});

describe('discordPlatform: the gateway on the leader alone only where every instance would hold every shard', () => {
  async function start(env: Record<string, string>, shared: boolean): Promise<RunningPlatform> {
    fake ??= await startFakeDiscord();
    const config = loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl, ...env });
    const platform = discordPlatform();
    const running = await platform.start(
      config.discord!,
      { deps: await platformDeps(), isLeader: () => false, shared, installSecret: (purpose: string) => purpose },
      undefined,
    );
    started.push(running);
    return running;
  }

  it('shared (PostgreSQL), shards unset: waits for the lead; the leader alone answers, so it keeps the whole budget', async () => {
    const running = await start({}, true);
    expect(running.lead).toBeDefined();
    expect(fake!.identifies).toEqual([]);
    expect(
      discordPlatform().everyInstanceAnswers(loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID }).discord!),
    ).toBe(false);
  });

  it('SHARD_COUNT alone, shared: this instance would hold every shard, so it too waits for the lead', async () => {
    const running = await start({ SHARD_COUNT: '2' }, true);
    expect(running.lead).toBeDefined();
    expect(fake!.identifies).toEqual([]);
  });

  it('alone (SQLite), or with SHARD_IDS a share of SHARD_COUNT: connects at start, as every instance answers its shards', async () => {
    const alone = await start({}, false);
    const sharded = await start({ SHARD_COUNT: '2', SHARD_IDS: '1' }, true);
    expect([alone.lead, sharded.lead]).toEqual([undefined, undefined]);
    expect(fake!.identifiedShards).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const config = loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, SHARD_COUNT: '2', SHARD_IDS: '0' });
    expect(discordPlatform().everyInstanceAnswers(config.discord!)).toBe(true);
  });
});
