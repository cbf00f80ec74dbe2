import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import type { ChartRenderer } from '../../src/charts/chartRenderer.js';
import { defineCommand } from '../../src/commands/defineCommand.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import type { ChartSpec } from '../../src/core/chartSpec.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { createLogger } from '../../src/lib/log.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import { pngSize } from '../fixtures/multipart.js';
import {
  APPLICATION_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  type InteractionOption,
  interaction,
  type RecordedRequest,
  startFakeDiscord,
} from './fakeDiscord.js';
import { gate } from './gate.js';

/**
 * Charts on Discord, end to end: the real discord.js client against the fake Discord, with the
 * real renderer (src/charts on the chart thread, started on first use) on one bot and one that
 * always fails on another.
 */

const STRING = 3;
const INTEGER = 4;
const FRESHNESS = { text: 'IRCC data to round #434 (Aug 7, 2026)' };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The first chart starts the chart thread and loads the canvas and fonts there. */
const CHART_WAIT_MS = 15_000;
/**
 * The slow command answers only once the test has seen its deferral, so it is deferred by time
 * whatever the machine's speed; the delay is long enough that no ordinary answer reaches it.
 */
const DEFER_AFTER_MS = 500;
const slowness = gate();

const SPEC: ChartSpec = {
  title: 'Test — CRS cut-offs',
  points: [
    { date: '2026-06-25', crs: 475, round: '422' },
    { date: '2026-07-07', crs: 517, round: '424' },
  ],
};

/** An answer that takes longer than the defer delay, with a chart: deferred by time, not by its chart. */
const slowChart = defineCommand({
  name: 'slow_chart',
  description: 'Takes its time, with a chart',
  options: z.strictObject({}),
  examples: ['/slow_chart'],
  async run() {
    await slowness.passed();
    return { kind: 'answer', title: 'Charted, eventually', lines: ['Done.'], chart: SPEC };
  },
});

/** A private answer with a chart: ephemeral, so it goes without one. */
const privateChart = defineCommand({
  name: 'private_chart',
  description: 'For the asker only, with a chart',
  options: z.strictObject({}),
  examples: ['/private_chart'],
  run() {
    return { kind: 'answer', title: 'Just for you', private: true, chart: SPEC };
  },
});

interface Bot {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  logs: string[];
}

let drawing: Bot;
let failing: Bot;

/** A bot logging at debug level into `logs`; the real chart renderer unless another is given. */
async function startBot(deps: CommandDeps, renderChart?: ChartRenderer): Promise<Bot> {
  const fake = await startFakeDiscord();
  const logs: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const adapter = await startDiscord(
    { token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl },
    await platformDeps({ deps, log, ...(renderChart ? { renderChart } : {}) }),
    { deferAfterMs: DEFER_AFTER_MS },
  );
  return { fake, adapter, logs };
}

beforeAll(async () => {
  const deps = { ...(await testDeps()), commands: [...commands, slowChart, privateChart] };
  [drawing, failing] = await Promise.all([startBot(deps), startBot(deps, () => Promise.reject(new Error('the canvas fell over')))]);
});

afterAll(async () => {
  slowness.open();
  for (const bot of [drawing, failing]) {
    await bot?.adapter.stop();
    await bot?.fake.close();
  }
});

type Call = Pick<RecordedRequest, 'method' | 'path' | 'body' | 'files'>;

/**
 * Sends a command and resolves with every request made for it, in order, once `last` has been seen,
 * and the interaction's id. `before` runs with the interaction first (to make a route fail). With
 * `slow`, the slow command is let go only once its deferral has reached Discord.
 */
async function exchange(
  bot: Bot,
  name: string,
  options: InteractionOption[],
  last: (r: RecordedRequest) => boolean,
  { before, slow = false }: { before?: (payload: { id: string; token: string }) => void; slow?: boolean } = {},
): Promise<{ id: string; calls: Call[] }> {
  const payload = interaction(2, name, options);
  before?.(payload);
  slowness.close();
  bot.fake.dispatch('INTERACTION_CREATE', payload);
  if (slow) {
    await bot.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    slowness.open();
  }
  await bot.fake.waitForRequest((r) => r.path.includes(payload.token) && last(r), CHART_WAIT_MS);
  const short = (path: string) => path.replace(payload.token, '{token}').replace(payload.id, '{id}').replace(APPLICATION_ID, '{app}');
  const calls = bot.fake.requests
    .filter((r) => r.path.includes(payload.token))
    .map((r) => ({ method: r.method, path: short(r.path), body: r.body, files: r.files }));
  return { id: payload.id, calls };
}

async function conversation(...args: Parameters<typeof exchange>): Promise<Call[]> {
  return (await exchange(...args)).calls;
}

const isEdit = (r: RecordedRequest) => r.method === 'PATCH';
const DEFER = { method: 'POST', path: '/interactions/{id}/{token}/callback', body: { type: 5, data: { flags: 0 } } };
const EDIT_PATH = '/webhooks/{app}/{token}/messages/@original';

function expectChartFile(call: Call | undefined): void {
  expect(call?.files).toHaveLength(1);
  const [file] = call!.files!;
  expect([file!.field, file!.name]).toEqual(['files[0]', 'chart.png']);
  expect(file!.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(pngSize(file!.bytes)).toEqual({ width: 800, height: 450 });
}

const logged = (bot: Bot) => bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('Discord charts', () => {
  it('/history category:healthcare → deferred, then an edit whose embed shows the attached chart.png', async () => {
    const calls = await conversation(drawing, 'history', [{ name: 'category', type: STRING, value: 'healthcare' }], isEdit);
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual([`POST ${DEFER.path}`, `PATCH ${EDIT_PATH}`]);
    expect(calls[0]).toMatchObject(DEFER);
    const edit = calls[1]!;
    expectChartFile(edit);
    const body = edit.body as { embeds: Array<Record<string, unknown>>; attachments: unknown; flags?: number; allowed_mentions: unknown };
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]).toMatchObject({
      title: 'Last 10 healthcare draws',
      color: 0x2ecc71,
      footer: FRESHNESS,
      image: { url: 'attachment://chart.png' },
    });
    expect(body.attachments).toEqual([{ id: '0' }]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.flags).toBeUndefined();
  });

  it('a slow answer with a chart is deferred once, and edited in with the chart', async () => {
    const calls = await conversation(drawing, 'slow_chart', [], isEdit, { slow: true });
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual([`POST ${DEFER.path}`, `PATCH ${EDIT_PATH}`]);
    expectChartFile(calls[1]);
    expect(calls[1]!.body).toMatchObject({ embeds: [{ title: 'Charted, eventually', image: { url: 'attachment://chart.png' } }] });
  });

  it('when Discord refuses the upload, the embed is edited in without the image', async () => {
    const calls = await conversation(
      drawing,
      'check',
      [
        { name: 'crs', type: INTEGER, value: 470 },
        { name: 'category', type: STRING, value: 'healthcare' },
      ],
      (r) => isEdit(r) && r.files === undefined,
      {
        before: (payload) =>
          drawing.fake.failures.set(`/webhooks/${APPLICATION_ID}/${payload.token}/messages/@original`, {
            status: 413,
            code: 40005,
            message: 'Request entity too large',
          }),
      },
    );
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `POST ${DEFER.path}`,
      `PATCH ${EDIT_PATH}`,
      `PATCH ${EDIT_PATH}`,
    ]);
    expectChartFile(calls[1]);
    const embeds = (calls[2]!.body as { embeds: Array<Record<string, unknown>> }).embeds;
    expect(embeds[0]).toMatchObject({ title: 'CRS 470 — healthcare draws since Nov 25, 2025', footer: FRESHNESS });
    expect(embeds[0]!.image).toBeUndefined();
    const warning = logged(drawing).find((l) => l.msg === 'chart not sent');
    expect(warning).toMatchObject({ level: 40, command: 'check', err: { status: 413, code: 40005 } });
  });

  it('answers without a chart, private answers and user errors are not deferred for one and carry none', async () => {
    for (const [name, options, flags] of [
      ['latest', [{ name: 'category', type: STRING, value: 'healthcare' }], undefined],
      ['private_chart', [], 64],
      ['history', [{ name: 'count', type: INTEGER, value: 0 }], 64],
    ] as const) {
      const calls = await conversation(drawing, name, [...options], () => true);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: 'POST', body: { type: 4 } });
      expect(calls[0]!.files).toBeUndefined();
      const data = (calls[0]!.body as { data: { embeds: Array<Record<string, unknown>>; flags?: number } }).data;
      expect(data.flags).toBe(flags);
      expect(data.embeds[0]!.image).toBeUndefined();
    }
  });

  it.each([
    ['history', [{ name: 'category', type: STRING, value: 'healthcare' }], 'Last 10 healthcare draws'],
    [
      'check',
      [
        { name: 'crs', type: INTEGER, value: 470 },
        { name: 'category', type: STRING, value: 'healthcare' },
      ],
      'CRS 470 — healthcare draws since Nov 25, 2025',
    ],
  ] as const)('a chart that cannot be drawn: /%s still answers, with the embed and no image', async (name, options, title) => {
    const calls = await conversation(failing, name, [...options], isEdit);
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual([`POST ${DEFER.path}`, `PATCH ${EDIT_PATH}`]);
    expect(calls[1]!.files).toBeUndefined();
    const body = calls[1]!.body as { embeds: Array<Record<string, unknown>> };
    expect(body.embeds[0]).toMatchObject({ title, footer: FRESHNESS });
    expect(body.embeds[0]!.image).toBeUndefined();
    expect(
      logged(failing)
        .filter((l) => l.msg === 'chart failed')
        .at(-1),
    ).toMatchObject({ level: 40, command: name, err: { message: 'the canvas fell over' } });
  });

  it('logs neither tokens nor what users typed', async () => {
    // Its own answers, so that it needs no other test to have run; the line is logged once the edit is answered.
    const answered = async (bot: Bot) => {
      const { id } = await exchange(bot, 'history', [{ name: 'category', type: STRING, value: 'healthcare' }], isEdit);
      return vi.waitFor(() => {
        const line = logged(bot).find((l) => l.msg === 'answered' && l.interaction === id);
        expect(line).toBeDefined();
        return line!;
      });
    };
    const [drew, failed] = await Promise.all([answered(drawing), answered(failing)]);
    expect(drew).toMatchObject({ command: 'history', deferred: true, chart: true });
    expect(failed).toMatchObject({ command: 'history', deferred: true, chart: false });
    for (const bot of [drawing, failing]) {
      const logs = bot.logs.join('\n');
      expect(logs).toContain('"msg":"answered"');
      expect(logs).not.toContain(FAKE_TOKEN);
      expect(logs).not.toContain('itoken-');
    }
  });
});
