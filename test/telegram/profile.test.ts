import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_PRIVATE } from '../../src/commands/personal.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { platformDeps } from '../fixtures/deps.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { type ApiCall, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';

/** The real bot against a fake Bot API: a profile told in private, refused in a group, forgotten. */

// The bot's stores, on each engine: opened before the bot starts, closed after it stops.
describeEachEngine('Telegram profiles end to end', (engine) => {
  const env = useSubscriptionDeps(engine);
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, await platformDeps({ deps: env.deps }));
  });

  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  // fakeBotApi's textMessage sends as user |chat id| + 7: the same person in their private chat and the group.
  const PRIVATE = 6_101;
  const GROUP = -6_101;
  const USER = String(PRIVATE + 7);

  const textsTo = (chatId: number) => fake.sentTo(chatId).filter((call) => call.method === 'sendMessage');

  /** Sends `text` in a chat and returns the text of the bot's next message there. */
  async function ask(chatId: number, text: string): Promise<string> {
    const before = textsTo(chatId).length;
    fake.push(textMessage({ id: chatId }, text));
    await fake.waitFor(() => textsTo(chatId).length > before, 15_000);
    return (textsTo(chatId)[before] as ApiCall).payload.text as string;
  }

  /** The profile each test starts from, whatever ran before it (tests may run in any order). */
  const SAVED = { crs: 481, categories: ['cec', 'healthcare'] as ('cec' | 'healthcare')[], timeZone: 'America/Toronto' };

  describe('Telegram: /profile and /forget', () => {
    it('saves a profile in a private chat', async () => {
      await env.storage.profiles.forget('telegram', USER); // a first profile, whatever ran before
      const text = await ask(PRIVATE, '/profile 481 cec healthcare tz=America/Toronto');
      expect(text).toContain('<b>Profile saved</b>');
      expect(text).toContain('<b>CRS:</b> 481');
      expect(await env.storage.profiles.get('telegram', USER)).toEqual({
        crs: 481,
        categories: ['cec', 'healthcare'],
        timeZone: 'America/Toronto',
      });
    });

    it('refuses a score in the group without repeating it, and keeps the saved one', async () => {
      await env.storage.profiles.set('telegram', USER, SAVED);
      const text = await ask(GROUP, '/profile 512 cec');
      expect(text).toContain(PROFILE_PRIVATE);
      expect(text).not.toMatch(/512|481/);
      expect((await env.storage.profiles.get('telegram', USER))?.crs).toBe(481);
    });

    it('never reads the profile out in the group: /check alone is refused, /latest has no marks', async () => {
      await env.storage.profiles.set('telegram', USER, SAVED);
      expect(await ask(GROUP, '/check')).not.toContain('481');
      const latest = await ask(GROUP, '/latest');
      expect(latest).not.toMatch(/481|Toronto|Your/);
      expect(await ask(PRIVATE, '/latest')).toContain('06:08:20 Toronto');
    });

    it('forgets everything at once and says so', async () => {
      await env.storage.profiles.set('telegram', USER, SAVED);
      expect(await ask(PRIVATE, '/forget')).toContain('Deleted your profile');
      expect(await env.storage.profiles.get('telegram', USER)).toBeUndefined();
      expect(await ask(PRIVATE, '/profile')).toContain('No profile yet');
    });
  });
});
