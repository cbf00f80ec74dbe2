import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { commandsRoute, sameCommands, syncCommands } from '../../src/discord/registerCommands.js';
import { slashCommands } from '../../src/discord/slashCommands.js';
import { APPLICATION_ID, FAKE_TOKEN, type FakeDiscord, GUILD_ID, startFakeDiscord } from './fakeDiscord.js';

const definitions = slashCommands(commands);

let fake: FakeDiscord;
let rest: REST;
beforeAll(async () => {
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.apiUrl }).setToken(FAKE_TOKEN);
});
afterAll(async () => {
  await fake?.close();
});

describe('sameCommands', () => {
  /** What Discord gives back for definitions: ids, versions, defaults, `required: false` dropped. */
  const echo = definitions.map((d, i) => ({
    id: String(1300000000000000100n + BigInt(i)),
    application_id: APPLICATION_ID,
    version: '1300000000000000099',
    default_member_permissions: null,
    nsfw: false,
    name_localizations: null,
    description_localizations: null,
    ...d,
    contexts: [...d.contexts!].reverse(),
    options: d.options?.length ? d.options.map(({ required, ...o }) => (required ? { ...o, required } : o)) : undefined,
  }));

  it('treats Discord’s echo of the same definitions as unchanged, in any order', () => {
    expect(sameCommands(definitions, echo)).toBe(true);
    expect(sameCommands(definitions, [...echo].reverse())).toBe(true);
  });

  it('sees a changed description, option, bound or a missing command', () => {
    const changed = (edit: (copy: typeof echo) => void) => {
      const copy = structuredClone(echo);
      edit(copy);
      return sameCommands(definitions, copy);
    };
    expect(changed((c) => (c[0]!.description = 'old text'))).toBe(false);
    expect(changed((c) => c[1]!.options!.pop())).toBe(false);
    expect(changed((c) => ((c[1]!.options![0] as { max_value?: number }).max_value = 1000))).toBe(false);
    expect(changed((c) => ((c[0]!.options![0] as { autocomplete?: boolean }).autocomplete = false))).toBe(false);
    expect(changed((c) => c.pop())).toBe(false);
    expect(changed((c) => c[1]!.options!.reverse())).toBe(false);
  });
});

describe('syncCommands', () => {
  it('registers only when Discord holds something else', async () => {
    const scope = { applicationId: APPLICATION_ID };
    const route = commandsRoute(scope);
    expect(route).toBe(`/applications/${APPLICATION_ID}/commands`);
    expect(await syncCommands(rest, scope, definitions)).toBe('registered');
    expect(await syncCommands(rest, scope, definitions)).toBe('unchanged');
    expect(fake.requests.filter((r) => r.path === route).map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
    expect(await syncCommands(rest, scope, definitions.slice(1))).toBe('registered');
  });
});

describe('npm run register', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/discord/registerCli.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_GUILD_ID: GUILD_ID,
        DISCORD_API_URL: fake.apiUrl,
      },
    });

  it('writes the registry to the guild of DISCORD_GUILD_ID', async () => {
    // Only this run's requests: --clear may have written to the same route before.
    const before = fake.requests.length;
    const { stdout } = await run([]);
    expect(stdout).toBe(
      `Registered 16 commands in server ${GUILD_ID}: /latest /check /crs /history /stats /draw /pool /next /categories /subscribe /unsubscribe /subscriptions /profile /forget /help /about\n`,
    );
    const put = fake.requests
      .slice(before)
      .filter((r) => r.method === 'PUT' && r.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`);
    expect(put).toHaveLength(1);
    expect(put[0]!.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(put[0]!.body).toEqual(JSON.parse(JSON.stringify(definitions)));
  });

  it('removes them with --clear', async () => {
    const { stdout } = await run(['--clear']);
    expect(stdout).toBe(`Removed the commands in server ${GUILD_ID}.\n`);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', body: [] });
  });

  it('explains a refusal without printing the token', async () => {
    fake.failures.set(`/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`, {
      status: 403,
      code: 50001,
      message: 'Missing Access',
    });
    const failed = await run([]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toBe('Discord refused the commands (HTTP 403, code 50001): Missing Access\n');
  });
});
