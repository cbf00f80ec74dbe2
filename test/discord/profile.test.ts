import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { platformDeps } from '../fixtures/deps.js';
import { describeEachEngine } from '../storage/testEngines.js';
import {
  APPLICATION_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  type InteractionOption,
  interaction,
  startFakeDiscord,
  USER_ID,
} from './fakeDiscord.js';

/** The real discord.js client against a fake Discord: a profile told anywhere stays private (ephemeral), then forgotten. */

const STRING = 3;
const INTEGER = 4;
const EPHEMERAL = 64;

// The bot's stores, on each engine: opened before the bot starts, closed after it stops.
describeEachEngine('Discord profiles end to end', (engine) => {
  const env = useSubscriptionDeps(engine);
  let fake: FakeDiscord;
  let bot: DiscordAdapter | undefined;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    const deps = await platformDeps({ deps: env.deps });
    bot = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl }, deps);
  });

  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  interface Callback {
    type: number;
    data?: { flags?: number; embeds?: Array<{ title?: string; description?: string; fields?: Array<{ name: string; value: string }> }> };
  }

  /** Sends a slash command through the gateway; resolves with the body of its callback. */
  async function command(name: string, options: InteractionOption[], where: 'guild' | 'dm'): Promise<Callback> {
    const payload = interaction(2, name, options, where);
    fake.dispatch('INTERACTION_CREATE', payload);
    const path = `/interactions/${payload.id}/${payload.token}/callback`;
    return (await fake.waitForRequest((r) => r.method === 'POST' && r.path === path)).body as Callback;
  }

  const text = (callback: Callback) => JSON.stringify(callback.data?.embeds ?? []);

  describe('Discord: /profile and /forget', () => {
    it('saves a profile from a server channel, answered only to the asker', async () => {
      await env.storage.profiles.forget('discord', USER_ID); // a first profile, whatever ran before
      const saved = await command(
        'profile',
        [
          { name: 'crs', type: INTEGER, value: 481 },
          { name: 'categories', type: STRING, value: 'cec healthcare' },
          { name: 'tz', type: STRING, value: 'America/Toronto' },
        ],
        'guild',
      );
      expect(saved.data?.flags).toBe(EPHEMERAL);
      expect(text(saved)).toContain('Profile saved');
      expect(await env.storage.profiles.get('discord', USER_ID)).toMatchObject({
        crs: 481,
        categories: ['cec', 'healthcare'],
        timeZone: 'America/Toronto',
      });
    });

    it('answers /check with no score from the profile, privately, and shows times in the zone in a DM', async () => {
      await env.storage.profiles.set('discord', USER_ID, { crs: 481, categories: ['cec', 'healthcare'], timeZone: 'America/Toronto' });
      const check = await command('check', [], 'dm');
      expect(text(check)).toContain('CRS 481');
      const latest = await command('latest', [{ name: 'category', type: STRING, value: 'cec' }], 'dm');
      expect(text(latest)).toMatch(/UTC · \d\d:\d\d:\d\d Toronto/);
    });

    it('forgets everything at once, and says so', async () => {
      await env.storage.profiles.set('discord', USER_ID, { crs: 481, categories: ['cec'] });
      const forgot = await command('forget', [], 'guild');
      expect(forgot.data?.flags).toBe(EPHEMERAL);
      expect(text(forgot)).toContain('Deleted your profile');
      expect(await env.storage.profiles.get('discord', USER_ID)).toBeUndefined();
    });
  });
});
