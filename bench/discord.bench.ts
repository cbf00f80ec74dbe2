import { performance } from 'node:perf_hooks';
import { type Client, type ResponseLike, Status } from 'discord.js';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { createAnswers } from '../src/commands/createAnswers.js';
import { createDiscordClient, serveInteractions } from '../src/discord/startDiscord.js';
import { silentLogger } from '../src/lib/log.js';

/**
 * Interactions per second through the path a gateway dispatch takes in production: discord.js's
 * packet handler builds the interaction, our handler validates, queries and renders the embed, and
 * discord.js's REST client queues and serialises the callback — only the HTTP request itself is
 * stubbed. One Node process, so one core for our code. Answers with a chart are deferred and edited
 * in with the PNG (multipart), drawn by a stub renderer: drawing is measured in charts.bench.ts.
 */

const APPLICATION_ID = '1300000000000000001';
const GUILD_ID = '1300000000000000002';
const CHANNEL_ID = '1300000000000000003';

/** The part of discord.js's gateway manager that dispatches a packet (private in its typings). */
interface PacketHandler {
  status: Status;
  handlePacket(packet: { t: string; d: unknown }, shard: unknown): boolean;
}

type Option = { name: string; type: number; value: string | number; focused?: boolean };

const SCENARIOS: Record<string, { type: 2 | 4; name: string; options: Option[] }> = {
  '/latest healthcare': { type: 2, name: 'latest', options: [{ name: 'category', type: 3, value: 'healthcare' }] },
  '/check 470 healthcare': {
    type: 2,
    name: 'check',
    options: [
      { name: 'crs', type: 4, value: 470 },
      { name: 'category', type: 3, value: 'healthcare' },
    ],
  },
  '/check 470 helthcare (user error)': {
    type: 2,
    name: 'check',
    options: [
      { name: 'crs', type: 4, value: 470 },
      { name: 'category', type: 3, value: 'helthcare' },
    ],
  },
  '/history cec 50': {
    type: 2,
    name: 'history',
    options: [
      { name: 'category', type: 3, value: 'cec' },
      { name: 'count', type: 4, value: 50 },
    ],
  },
  '/pool 470': { type: 2, name: 'pool', options: [{ name: 'crs', type: 4, value: 470 }] },
  'autocomplete category "heal"': {
    type: 4,
    name: 'check',
    options: [
      { name: 'crs', type: 4, value: 470 },
      { name: 'category', type: 3, value: 'heal', focused: true },
    ],
  },
  'autocomplete round ""': { type: 4, name: 'draw', options: [{ name: 'round', type: 3, value: '', focused: true }] },
};

let sequence = 1300000000000100000n;

/** A fresh interaction from a different user each time, as a busy bot sees them. */
function payload(s: { type: 2 | 4; name: string; options: Option[] }) {
  sequence += 1n;
  const id = String(sequence);
  return {
    id,
    application_id: APPLICATION_ID,
    type: s.type,
    token: `itoken-${id}`,
    version: 1,
    locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID },
    member: {
      user: { id, username: `u${id}`, discriminator: '0', global_name: null, avatar: null },
      roles: [],
      permissions: '0',
      joined_at: '2025-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    context: 0,
    authorizing_integration_owners: { '0': GUILD_ID },
    data: { id: '1300000000000000100', name: s.name, type: 1, options: s.options },
  };
}

/** What Discord answers an interaction callback: 204, no body. */
const NO_CONTENT: ResponseLike = {
  body: null,
  bodyUsed: false,
  headers: new Headers(),
  ok: true,
  status: 204,
  statusText: 'No Content',
  arrayBuffer: async () => new ArrayBuffer(0),
  json: async () => null,
  text: async () => '',
};

/** What Discord answers an edit of the original response: the message (discord.js builds a Message from it). */
function edited(): ResponseLike {
  const message = {
    id: '1300000000000200000',
    type: 20,
    channel_id: CHANNEL_ID,
    author: { id: APPLICATION_ID, username: 'bench', discriminator: '0', avatar: null, bot: true },
    content: '',
    embeds: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: '2026-11-25T12:00:00.000Z',
    edited_timestamp: null,
    flags: 0,
    components: [],
    webhook_id: APPLICATION_ID,
    application_id: APPLICATION_ID,
  };
  const text = JSON.stringify(message);
  return {
    ...NO_CONTENT,
    headers: new Headers({ 'content-type': 'application/json' }),
    status: 200,
    statusText: 'OK',
    json: async () => message,
    text: async () => text,
  };
}

/** What the chart renderer returns here: a PNG signature. Drawing charts is measured in charts.bench.ts. */
const STUB_PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A client as after READY: discord.js's own READY handler sets up its user and application.
 * `onAnswer` is called once per interaction: for the callback, or for a deferred answer (charts)
 * for the edit that follows the deferral.
 */
function readyClient(onAnswer: () => void): { client: Client; dispatch: (frame: string) => void } {
  const client = createDiscordClient(
    { token: 'bench-token-0123456789abcdef', applicationId: APPLICATION_ID },
    {
      // discord.js holds every request but interaction callbacks, edits of a deferred answer
      // included, to 50 a second per process (Discord's global limit for a bot). That wait is not
      // measured here, as the Telegram bench leaves out its outgoing budget: this counts our code's cost.
      globalRequestsPerSecond: 1_000_000,
      async makeRequest(_url, init) {
        if (init.method === 'PATCH') {
          onAnswer();
          return edited();
        }
        // A deferral (type 5) only acknowledges; the answer is the edit.
        if (!(typeof init.body === 'string' && init.body.startsWith('{"type":5'))) onAnswer();
        return NO_CONTENT;
      },
    },
  );
  const ws = client.ws as unknown as PacketHandler;
  const shard = { id: 0, checkReady() {} };
  ws.handlePacket(
    {
      t: 'READY',
      d: {
        v: 10,
        user: { id: APPLICATION_ID, username: 'bench', discriminator: '0', bot: true, avatar: null },
        guilds: [],
        session_id: 's',
        shard: [0, 1],
        application: { id: APPLICATION_ID, flags: 0 },
      },
    },
    shard,
  );
  ws.status = Status.Ready;
  // The gateway hands discord.js a parsed frame; parsing is part of the path, so it is timed too.
  return { client, dispatch: (frame) => ws.handlePacket({ t: 'INTERACTION_CREATE', d: JSON.parse(frame) }, shard) };
}

export default async function benchDiscord(): Promise<string[]> {
  const store = await openDrawStore(['data/draws.json']);
  const now = DateTime.fromISO('2026-11-25T12:00:00Z');
  const deps = { data: store.current, clock: () => now, log: silentLogger, commands };
  let answered = 0;
  let wake: (() => void) | undefined;
  const { client, dispatch } = readyClient(() => {
    answered++;
    wake?.();
  });
  serveInteractions(client, { answers: createAnswers(deps), log: silentLogger, renderChart: async () => STUB_PNG });

  /**
   * Sends `count` interactions in bursts of `burst`, waiting for each burst's callbacks. Returns
   * interactions per second of wall-clock time and per second of this process's CPU time (the
   * fairer figure on a shared machine).
   */
  async function run(scenarios: Array<(typeof SCENARIOS)[string]>, count: number, burst = 100): Promise<{ wall: number; cpu: number }> {
    const frames = Array.from({ length: count }, (_, i) => JSON.stringify(payload(scenarios[i % scenarios.length]!)));
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let sent = 0; sent < count; ) {
      const n = Math.min(burst, count - sent);
      const target = answered + n;
      for (let i = 0; i < n; i++) dispatch(frames[sent + i]!);
      sent += n;
      while (answered < target) await new Promise<void>((resolve) => (wake = resolve));
    }
    const wall = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { wall: count / wall, cpu: count / ((used.user + used.system) / 1e6) };
  }

  const all = Object.values(SCENARIOS);
  await run(all, 3000); // warm-up: JIT, REST handler creation
  const rate = (value: number) => Math.round(value).toLocaleString('en-CA');
  const lines = ['| interactions | per second (wall clock) | per CPU second |', '|---|---|---|'];
  for (const [label, scenario] of Object.entries(SCENARIOS)) {
    const r = await run([scenario], 5000);
    lines.push(`| \`${label}\` | ${rate(r.wall)} | ${rate(r.cpu)} |`);
  }
  const mixed = await run(all, 20_000);
  lines.push(`| **mixed, all of the above in turn** | **${rate(mixed.wall)}** | **${rate(mixed.cpu)}** |`);
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  lines.push(
    '',
    'Bursts of 100 concurrent interactions, each from a new user; only the HTTP request is stubbed (204). ' +
      `After ${(3000 + 5000 * all.length + 20_000).toLocaleString('en-CA')} interactions the user cache holds ${client.users.cache.size} ` +
      `(the bot itself); heap in use ${heap.toFixed(0)} MiB.`,
  );
  await client.destroy();
  return lines;
}
