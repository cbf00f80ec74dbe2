import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { slashCommands } from '../../src/discord/slashCommands.js';
import { type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { APPLICATION_ID, CHANNEL_ID, FAKE_TOKEN, type FakeDiscord, interaction, startFakeDiscord } from '../discord/fakeDiscord.js';
import { platformDeps } from '../fixtures/deps.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from '../telegram/fakeBotApi.js';
import { useSubscriptionDeps } from './helpers.js';

/**
 * /subscribe and friends through the real adapters: the chat each one builds (Telegram's chat id,
 * Discord's channel id), and who may change it (Telegram's getChatMember, Discord's Manage Channels).
 */

const env = useSubscriptionDeps();

describe('alert commands on Telegram', () => {
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

  // A chat per test: the bot's outgoing budget spaces messages to one chat.
  let lastChat = 7000;
  const member = (status: string, userId: number) => ({
    ok: true,
    result: { status, user: { id: userId, is_bot: false, first_name: 'Tester' } },
  });

  async function say(update: ReturnType<typeof textMessage>): Promise<string> {
    const chatId = update.message!.chat.id;
    const before = fake.sentTo(chatId).length;
    fake.push(update);
    await fake.waitFor(() => fake.sentTo(chatId).length > before);
    return String(fake.sentTo(chatId).at(-1)!.payload.text);
  }

  it('in a private chat: anyone subscribes, without asking Telegram who they are', async () => {
    const chat = ++lastChat;
    const asked = fake.callsOf('getChatMember').length;
    expect(await say(textMessage({ id: chat }, '/subscribe healthcare cec'))).toBe(
      '<b>Draw alerts on</b>\nThis chat will get a message for every new healthcare and CEC draw.\nSend /subscriptions to see them, /unsubscribe to stop them.\n\n<i>IRCC data to round #434 (Aug 7, 2026)</i>',
    );
    expect(await env.store.list('telegram', String(chat))).toEqual(['cec', 'healthcare']);
    expect(fake.callsOf('getChatMember')).toHaveLength(asked);
  });

  it('in a group: a member who is no admin gets a polite refusal, and nothing changes', async () => {
    const chat = -1_000_000_000_000 - ++lastChat;
    const update = textMessage({ id: chat }, '/subscribe healthcare');
    const userId = update.message!.from.id;
    fake.failNext('getChatMember', 200, member('member', userId));
    expect(await say(update)).toBe(
      "Only group admins can change this chat's alerts. Ask one of them to send /subscribe healthcare, or send it to me in a private chat to get the alerts yourself.",
    );
    expect(fake.callsOf('getChatMember').at(-1)!.payload).toEqual({ chat_id: chat, user_id: userId });
    expect(await env.store.list('telegram', String(chat))).toEqual([]);
  });

  it('in a group: an admin or the creator may; anyone may list', async () => {
    // A group per message: the bot's outgoing budget spaces a group's messages by a second.
    const group = () => -1_000_000_000_000 - ++lastChat;
    const byAdmin = textMessage({ id: group() }, '/subscribe@EEDrawsTestBot french');
    fake.failNext('getChatMember', 200, member('administrator', byAdmin.message!.from.id));
    expect(await say(byAdmin)).toContain('This chat will get a message for every new French draw.');
    expect(await env.store.list('telegram', String(byAdmin.message!.chat.id))).toEqual(['french']);

    const byCreator = textMessage({ id: group() }, '/unsubscribe');
    await env.store.subscribe('telegram', String(byCreator.message!.chat.id), 'all');
    fake.failNext('getChatMember', 200, member('creator', byCreator.message!.from.id));
    expect(await say(byCreator)).toContain('This chat will get no more draw alerts.');
    expect(await env.store.list('telegram', String(byCreator.message!.chat.id))).toEqual([]);

    const asked = fake.callsOf('getChatMember').length;
    const listing = textMessage({ id: group() }, '/subscriptions');
    await env.store.subscribe('telegram', String(listing.message!.chat.id), ['pnp']);
    expect(await say(listing)).toContain('This chat gets a message for every new PNP draw.');
    expect(fake.callsOf('getChatMember')).toHaveLength(asked);
  });

  it('in a group: an admin posting anonymously (as the group) may, without a getChatMember', async () => {
    const chat = -1_000_000_000_000 - ++lastChat;
    const update = textMessage({ id: chat }, '/subscribe');
    const anonymous = {
      ...update,
      message: { ...update.message!, sender_chat: { id: chat, type: 'supergroup', title: 'Express Entry group' } },
    };
    const asked = fake.callsOf('getChatMember').length;
    expect(await say(anonymous as typeof update)).toContain('This chat will get a message for every new Express Entry draw.');
    expect(await env.store.list('telegram', String(chat))).toBe('all');
    expect(fake.callsOf('getChatMember')).toHaveLength(asked);
  });
});

describe('alert commands on Discord', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  beforeAll(async () => {
    fake = await startFakeDiscord();
    adapter = await startDiscord(
      { token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl },
      await platformDeps({ deps: env.deps }),
    );
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  const MANAGE_CHANNELS = 1n << 4n;
  type Payload = ReturnType<typeof interaction>;

  /** Dispatches an interaction; resolves with its callback body (type 4: a message, 8: choices). */
  async function send(
    payload: Payload,
  ): Promise<{ type: number; data: { embeds?: Array<{ title: string; description: string }>; flags?: number; choices?: unknown[] } }> {
    fake.dispatch('INTERACTION_CREATE', payload);
    const path = `/interactions/${payload.id}/${payload.token}/callback`;
    return (await fake.waitForRequest((r) => r.method === 'POST' && r.path === path)).body as never;
  }
  const subscribe = (value: string | undefined, where: 'guild' | 'dm' = 'guild') =>
    interaction(2, 'subscribe', value === undefined ? [] : [{ name: 'categories', type: 3, value }], where);
  /** The same interaction, typed in another channel of the server (discord.js reads `channel.id`). */
  const inChannel = (payload: Payload, id: string): Payload => ({
    ...payload,
    channel_id: id,
    channel: { ...(payload.channel as Record<string, unknown>), id },
  });
  /** The same interaction, from a member whose permissions in the channel are `permissions`. */
  const withPermissions = (payload: Payload, permissions: bigint): Payload => ({
    ...payload,
    member: { ...(payload.member as Record<string, unknown>), permissions: String(permissions) },
  });

  it('registers /subscribe with a free-text categories option that autocompletes', () => {
    const definition = slashCommands(commands).find((c) => c.name === 'subscribe')!;
    expect(definition.options).toEqual([
      {
        type: 3,
        name: 'categories',
        description: 'Categories to follow, e.g. healthcare cec, or pool (default: every draw)',
        required: false,
        autocomplete: true,
      },
    ]);
  });

  it('in a server: a member without Manage Channels gets a private, polite refusal', async () => {
    // A channel of its own: another test subscribes CHANNEL_ID.
    const channel = '1300000000000000031';
    const answer = await send(inChannel(subscribe('healthcare'), channel));
    expect(answer.data.flags).toBe(64);
    expect(answer.data.embeds![0]!.description).toBe(
      "Only members with Manage Channels can change this channel's alerts. Ask one of them to use /subscribe healthcare, or use it in a direct message with me to get the alerts yourself.",
    );
    expect(await env.store.list('discord', channel)).toEqual([]);
  });

  it('in a server: a member with Manage Channels subscribes the channel it is typed in', async () => {
    const answer = await send(withPermissions(subscribe('healthcare cec'), MANAGE_CHANNELS | 1024n));
    expect(answer.data.flags).toBeUndefined();
    expect(answer.data.embeds![0]!.title).toBe('Draw alerts on');
    expect(answer.data.embeds![0]!.description).toContain('This channel will get a message for every new healthcare and CEC draw.');
    expect(await env.store.list('discord', CHANNEL_ID)).toEqual(['cec', 'healthcare']);
    const list = await send(interaction(2, 'subscriptions', []));
    expect(list.data.embeds![0]!.description).toContain('This channel gets a message for every new CEC and healthcare draw.');
  });

  it('in a server: refuses a channel where the bot may not post its alerts', async () => {
    const payload = withPermissions(interaction(2, 'subscribe', [], 'guild'), MANAGE_CHANNELS);
    const answer = await send({ ...inChannel(payload, '1300000000000000030'), app_permissions: String(1024n | 16384n) }); // no Send Messages
    expect(answer.data.flags).toBe(64);
    expect(answer.data.embeds![0]!.description).toMatch(
      /^I can't post in this channel: give me View Channel, Send Messages and Embed Links here/,
    );
    expect(await env.store.list('discord', '1300000000000000030')).toEqual([]);
  });

  it('in a direct message: anyone subscribes that conversation', async () => {
    const answer = await send(subscribe(undefined, 'dm'));
    expect(answer.data.embeds![0]!.description).toContain('This chat will get a message for every new Express Entry draw.');
    expect(await env.store.list('discord', '1300000000000000005')).toBe('all');
  });

  it('completes the last category typed, keeping the ones before it', async () => {
    const answer = await send(interaction(4, 'subscribe', [{ name: 'categories', type: 3, value: 'healthcare ce', focused: true }]));
    expect(answer.type).toBe(8);
    expect(answer.data.choices![0]).toEqual({ name: 'healthcare cec — Canadian Experience Class', value: 'healthcare cec' });
  });
});
