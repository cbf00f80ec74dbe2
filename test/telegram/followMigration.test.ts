import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { platformDeps } from '../fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';

/** A group that became a supergroup: Telegram refuses the answer with the new id, and it goes there. */

const MIGRATED = {
  ok: false,
  error_code: 400,
  description: 'Bad Request: group chat was upgraded to a supergroup chat',
  parameters: { migrate_to_chat_id: -100123 },
};

let fake: FakeBotApi;
let adapter: TelegramAdapter;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, await platformDeps(), BOT_INFO);
});
afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

it('an answer to a group that became a supergroup is sent once more, to the new chat id, and nothing else to the old one', async () => {
  const group = -4001;
  fake.failNext('sendMessage', 400, MIGRATED);
  fake.push(textMessage({ id: group, type: 'group' }, '/latest healthcare'));
  await fake.waitFor(() => fake.sentTo(-100123).length >= 1);
  const [moved] = fake.sentTo(-100123);
  expect(moved!.payload.text).toMatch(/^<b>Latest Healthcare and social services draw/);
  // The message it answered is in the old group: a reply to its id in the new one would point elsewhere.
  expect(moved!.payload.reply_parameters).toBeUndefined();
  // The one refused send, and no apology after it.
  const probe = -4002;
  fake.push(textMessage({ id: probe, type: 'group' }, '/about'));
  await fake.waitFor(() => fake.sentTo(probe).length >= 1);
  expect(fake.sentTo(group)).toHaveLength(1);
  expect(fake.sentTo(-100123)).toHaveLength(1);
});
