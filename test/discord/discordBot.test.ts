import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { slashCommands } from '../../src/discord/slashCommands.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { createLogger } from '../../src/lib/log.js';
import { platformDeps } from '../fixtures/deps.js';
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

/**
 * The real discord.js client against a fake Discord on 127.0.0.1: gateway login, command
 * registration, and the exact interaction callbacks for good and bad input.
 */

const STRING = 3;
const INTEGER = 4;
const FRESHNESS = { text: 'IRCC data to round #434 (Aug 7, 2026)' };
const ROUNDS =
  'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds';

let fake: FakeDiscord;
let bot: DiscordAdapter | undefined;
const logs: string[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord();
  const log = createLogger('debug', { write: (line: string) => void logs.push(line) });
  bot = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl }, await platformDeps({ log }));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

/** Sends one interaction through the gateway; resolves with the body of its callback. */
async function ask(type: 2 | 4, command: string, options: InteractionOption[], where: 'guild' | 'dm' = 'guild'): Promise<unknown> {
  const payload = interaction(type, command, options, where);
  fake.dispatch('INTERACTION_CREATE', payload);
  const path = `/interactions/${payload.id}/${payload.token}/callback`;
  return (await fake.waitForRequest((r) => r.method === 'POST' && r.path === path)).body;
}

/**
 * Sends a command whose answer comes with a chart: resolves with its callback (a deferral) and the
 * edit of the original response that carries the answer (multipart: the payload and the PNG).
 */
async function charted(command: string, options: InteractionOption[]): Promise<{ callback: unknown; edit: RecordedRequest }> {
  const payload = interaction(2, command, options);
  fake.dispatch('INTERACTION_CREATE', payload);
  const callback = await fake.waitForRequest(
    (r) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`,
  );
  const path = `/webhooks/${APPLICATION_ID}/${payload.token}/messages/@original`;
  // The first chart starts the chart thread and loads the canvas and fonts there.
  const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === path, 15_000);
  return { callback: callback.body, edit };
}

const command = (name: string, options: InteractionOption[] = [], where: 'guild' | 'dm' = 'guild') => ask(2, name, options, where);
const complete = (name: string, option: string, value: string) => ask(4, name, [{ name: option, type: STRING, value, focused: true }]);

/** The callback body of a user error: private, one explanation. */
function userError(description: string) {
  return {
    type: 4,
    data: {
      embeds: [{ title: 'Not quite', color: 0xf0b232, description, footer: FRESHNESS }],
      allowed_mentions: { parse: [] },
      flags: 64,
    },
  };
}

describe('start-up', () => {
  it('logs in with the Guilds intent only and the configured token', () => {
    expect(fake.identifies).toEqual([{ token: FAKE_TOKEN, intents: 1 }]);
  });

  it('registers the commands of the registry globally, as the bot, since Discord held none', () => {
    const calls = fake.requests.filter((r) => r.path === `/applications/${APPLICATION_ID}/commands`);
    expect(calls.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(calls[1]!.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(calls[1]!.body).toEqual(JSON.parse(JSON.stringify(slashCommands(commands))));
    expect((calls[1]!.body as Array<{ name: string }>).map((c) => c.name)).toEqual([
      'latest',
      'check',
      'crs',
      'history',
      'stats',
      'draw',
      'pool',
      'next',
      'categories',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'profile',
      'forget',
      'help',
      'about',
    ]);
    expect((calls[1]!.body as unknown[])[0]).toEqual({
      type: 1,
      name: 'latest',
      description: 'The most recent draw, overall or in one category',
      options: [
        {
          type: 3,
          name: 'category',
          description: 'Category: healthcare, cec, pnp, french, stem, trades… (default: all draws)',
          required: false,
          autocomplete: true,
        },
      ],
      contexts: [0, 1],
      integration_types: [0],
    });
  });
});

describe('slash commands', () => {
  it('/latest healthcare → public embed for round #422: CRS 475, 4,000 invitations', async () => {
    expect(await command('latest', [{ name: 'category', type: STRING, value: 'healthcare' }])).toEqual({
      type: 4,
      data: {
        embeds: [
          {
            title: 'Latest Healthcare and social services draw: #422',
            color: 0x2ecc71,
            url: `${ROUNDS}/invitations.html?q=422`,
            description: `Jun 25, 2026 — 153 days ago.\n\n[Round #422 on canada.ca](${ROUNDS}/invitations.html?q=422)`,
            fields: [
              { name: 'Round', value: '#422', inline: true },
              { name: 'Date', value: 'Jun 25, 2026', inline: true },
              { name: 'Time', value: '13:51:43 UTC', inline: true },
              { name: 'Category', value: 'Healthcare and Social Services Occupations, 2026-Version 3', inline: true },
              { name: 'Invitations', value: '4,000', inline: true },
              { name: 'CRS cut-off', value: '475', inline: true },
              { name: 'Tie-break', value: 'profiles submitted before May 21, 2026 12:14:09 UTC', inline: false },
            ],
            footer: FRESHNESS,
          },
        ],
        allowed_mentions: { parse: [] },
      },
    });
  });

  it('/check crs:470 category:tra in a DM → private one-sentence error naming both close categories', async () => {
    const body = await command(
      'check',
      [
        { name: 'crs', type: INTEGER, value: 470 },
        { name: 'category', type: STRING, value: 'tra' },
      ],
      'dm',
    );
    expect(body).toEqual(userError('Unknown category "tra" — did you mean trades or transport? For example: /check 470 healthcare'));
  });

  it('/check crs:470 category:healthcare → deferred, then the per-draw table in a code block with its chart', async () => {
    const { callback, edit } = await charted('check', [
      { name: 'crs', type: INTEGER, value: 470 },
      { name: 'category', type: STRING, value: 'healthcare' },
    ]);
    expect(callback).toEqual({ type: 5, data: { flags: 0 } });
    expect(edit.files?.map((f) => [f.field, f.name])).toEqual([['files[0]', 'chart.png']]);
    expect(pngSize(edit.files![0]!.bytes)).toEqual({ width: 800, height: 450 });
    expect(edit.body).toEqual({
      tts: false,
      enforce_nonce: false,
      attachments: [{ id: '0' }],
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'CRS 470 — healthcare draws since Nov 25, 2025',
          color: 0x2ecc71,
          url: `${ROUNDS}/invitations.html?q=422`,
          description: [
            'Latest healthcare draw, #422 on Jun 25, 2026 (cut-off 475): not invited (−5).',
            '470 would have made 1 of 3 healthcare draws since Nov 25, 2025.',
            '',
            '```',
            'Date        Round  Cut-off     Result',
            '----------  -----  -------  -  ----------------',
            '2026-06-25   #422      475  ✗  not invited (−5)',
            '2026-02-20   #398      467  ✓  invited (+3)',
            '2025-12-11   #385      476  ✗  not invited (−6)',
            '```',
            '',
            `[Round #422 on canada.ca](${ROUNDS}/invitations.html?q=422)`,
          ].join('\n'),
          footer: FRESHNESS,
          image: { url: 'attachment://chart.png' },
        },
      ],
    });
  });

  it('/history category:cec count:3 → deferred, then a public embed with its chart', async () => {
    const { callback, edit } = await charted('history', [
      { name: 'category', type: STRING, value: 'cec' },
      { name: 'count', type: INTEGER, value: 3 },
    ]);
    expect(callback).toEqual({ type: 5, data: { flags: 0 } });
    const body = edit.body as { embeds: Array<Record<string, unknown>>; flags?: number; allowed_mentions: unknown };
    expect(body.flags).toBeUndefined();
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toEqual([
      expect.objectContaining({ title: 'Last 3 CEC draws', color: 0xe74c3c, footer: FRESHNESS, image: { url: 'attachment://chart.png' } }),
    ]);
    expect(pngSize(edit.files![0]!.bytes)).toEqual({ width: 800, height: 450 });
  });

  it.each([
    [
      'stats',
      [
        { name: 'category', type: STRING, value: 'healthcare' },
        { name: 'period', type: STRING, value: '2025' },
      ],
      'Healthcare draws in 2025',
      0x2ecc71,
    ],
    ['draw', [{ name: 'round', type: STRING, value: '91a' }], 'Round #91a — May 30, 2018', 0xe67e22],
    // Periods as typed in Discord's free-text options: a month, a day.
    [
      'stats',
      [
        { name: 'category', type: STRING, value: 'cec' },
        { name: 'period', type: STRING, value: '2026-03' },
      ],
      'CEC draws in March 2026',
      0xe74c3c,
    ],
    ['draw', [{ name: 'round', type: STRING, value: 'Jul 21 2026' }], 'Round #428 — Jul 21, 2026', 0xe74c3c],
    ['pool', [{ name: 'crs', type: INTEGER, value: 470 }], 'Pool distribution — where 470 stands', 0x4e5d94],
    ['categories', [], 'Draw categories', 0x4e5d94],
    ['about', [], 'About this bot', 0x4e5d94],
  ] as const)('/%s → public embed "%s"', async (name, options, title, color) => {
    const body = (await command(name, [...options])) as {
      type: number;
      data: { embeds: Array<Record<string, unknown>>; flags?: number; allowed_mentions: unknown };
    };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBeUndefined();
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    expect(body.data.embeds).toHaveLength(1);
    expect(body.data.embeds[0]).toMatchObject({ title, color, footer: FRESHNESS });
  });

  it('/pool crs:470 marks the band in the table', async () => {
    const body = (await command('pool', [{ name: 'crs', type: INTEGER, value: 470 }])) as {
      data: { embeds: Array<{ description: string }> };
    };
    expect(body.data.embeds[0]!.description).toContain('```\nCRS        Profiles  Share\n');
    expect(body.data.embeds[0]!.description).toContain('\n461-470 ◀    16,057   7.0%\n');
  });

  it('/help → private, since it is a reference for the asker', async () => {
    const body = (await command('help')) as { data: { embeds: Array<{ title: string; description: string }>; flags: number } };
    expect(body.data.flags).toBe(64);
    expect(body.data.embeds[0]!.title).toBe('Express Entry draw bot — commands');
    expect(body.data.embeds[0]!.description.split('\n')[1]).toBe(
      '/check \\[crs\\] \\[category\\] \\[period\\] \\[profile\\_date\\] — Would your CRS score have been invited? Per draw, with tie-breaks. e.g. /check 470 healthcare',
    );
  });

  it.each([
    [
      'check',
      [{ name: 'crs', type: INTEGER, value: 1300 }],
      'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare',
    ],
    [
      'check',
      [
        { name: 'crs', type: INTEGER, value: 470 },
        { name: 'period', type: STRING, value: '2025-13-01' },
      ],
      'The period 2025-13-01 is not a real date: there is no month 13. For example: /check 470 healthcare',
    ],
    [
      'check',
      [
        { name: 'crs', type: INTEGER, value: 470 },
        { name: 'profile_date', type: STRING, value: 'yesterday' },
      ],
      'The profile date must be a date such as 2025-01-31 or Jan 31 2025. For example: /check 470 healthcare',
    ],
    [
      'latest',
      [{ name: 'category', type: STRING, value: 'tra' }],
      'Unknown category "tra" — did you mean trades or transport? For example: /latest healthcare',
    ],
    [
      'history',
      [{ name: 'count', type: INTEGER, value: 0 }],
      'The count must be a whole number from 1 to 50. For example: /history healthcare',
    ],
    [
      'stats',
      [{ name: 'period', type: STRING, value: '2030' }],
      '2030 has not come yet (today is Nov 25, 2026); pick a period up to today. For example: /stats cec 2025',
    ],
    [
      'draw',
      [{ name: 'round', type: STRING, value: 'abc' }],
      '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today). For example: /draw 379',
    ],
    ['draw', [{ name: 'round', type: STRING, value: '9999' }], 'There is no round "9999"; rounds run from #1 to #434 — try /draw 434.'],
    ['pool', [{ name: 'crs', type: INTEGER, value: -1 }], 'The CRS score must be a whole number from 0 to 1200. For example: /pool 470'],
    ['about', [{ name: 'verbose', type: STRING, value: 'yes' }], '/about has no option "verbose". For example: /about'],
    ['nope', [], '/nope is not a command of this bot any more; /help lists the ones there are.'],
  ] as const)('/%s with bad options %j → private explanation', async (name, options, description) => {
    expect(await command(name, [...options])).toEqual(userError(description));
  });
});

describe('autocomplete', () => {
  const choices = async (name: string, option: string, value: string) =>
    (await complete(name, option, value)) as { type: number; data: { choices: Array<{ name: string; value: string }> } };

  it('"heal" → healthcare first', async () => {
    expect(await choices('check', 'category', 'heal')).toEqual({
      type: 8,
      data: { choices: [{ name: 'healthcare — Healthcare and social services', value: 'healthcare' }] },
    });
  });

  it('"fr" → french first, then near misses', async () => {
    const body = await choices('latest', 'category', 'fr');
    expect(body.type).toBe(8);
    expect(body.data.choices[0]).toEqual({ name: 'french — French-language proficiency', value: 'french' });
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
  });

  it('"" → every category, general first', async () => {
    const body = await choices('history', 'category', '');
    expect(body.data.choices.map((c) => c.value)).toEqual([
      'general',
      'pnp',
      'cec',
      'fsw',
      'fst',
      'french',
      'healthcare',
      'stem',
      'trades',
      'transport',
      'agriculture',
      'education',
      'physicians',
      'senior-managers',
      'military',
    ]);
  });

  it('round "43" → #43, then the recent rounds #43x', async () => {
    const body = await choices('draw', 'round', '43');
    expect(body.data.choices.map((c) => c.value)).toEqual(['43', '434', '433', '432', '431', '430']);
    expect(body.data.choices[1]).toEqual({ name: '#434 · Aug 7, 2026 · transport · CRS 470', value: '434' });
  });
});

describe('failures', () => {
  it('apologises when Discord refuses a reply, and keeps answering', async () => {
    const payload = interaction(2, 'latest', [{ name: 'category', type: STRING, value: 'cec' }]);
    const path = `/interactions/${payload.id}/${payload.token}/callback`;
    fake.failures.set(path, { status: 400, code: 50035, message: 'Invalid Form Body' });
    fake.dispatch('INTERACTION_CREATE', payload);
    await fake.waitForRequest(
      (r) => r.path === path && (r.body as { data: { embeds: Array<{ title: string }> } }).data.embeds[0]!.title === 'Sorry',
    );
    const calls = fake.requests
      .filter((r) => r.path === path)
      .map((r) => r.body as { data: { embeds: Array<{ title: string; description: string }>; flags?: number } });
    expect(calls).toHaveLength(2);
    expect(calls[0]!.data.embeds[0]!.title).toBe('Latest Canadian Experience Class draw: #432');
    expect(calls[1]!.data).toEqual({
      embeds: [
        {
          title: 'Sorry',
          color: 0xf0b232,
          description: 'Sorry — something went wrong on our side while answering. It has been logged; please try again in a moment.',
          footer: FRESHNESS,
        },
      ],
      allowed_mentions: { parse: [] },
      flags: 64,
    });
    const failure = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'interaction failed');
    expect(failure).toMatchObject({ level: 50, interaction: payload.id, command: 'latest', err: { code: 50035, status: 400 } });
    // Still answering.
    expect(await command('latest')).toMatchObject({ type: 4, data: { embeds: [{ title: 'Latest draw: #434' }] } });
  });

  it('logs neither the bot token, nor interaction tokens, nor what users typed', async () => {
    // A mistyped category of its own, so that it needs no other test to have run; the line is logged once the reply is answered.
    const payload = interaction(2, 'check', [
      { name: 'crs', type: INTEGER, value: 470 },
      { name: 'category', type: STRING, value: 'helthcare' },
    ]);
    fake.dispatch('INTERACTION_CREATE', payload);
    await vi.waitFor(() =>
      expect(logs.some((l) => l.includes(`"interaction":"${payload.id}"`) && l.includes('"msg":"answered"'))).toBe(true),
    );
    const all = logs.join('\n');
    expect(all).toContain('"command":"check"');
    expect(all).not.toContain(FAKE_TOKEN);
    expect(all).not.toContain('itoken-');
    expect(all).not.toContain('helthcare');
  });
});
