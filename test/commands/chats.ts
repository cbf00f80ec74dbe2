import { type ChatInputCommandInteraction, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import type { Chat } from '../../src/commands/chat.js';
import { discordChat } from '../../src/discord/discordChat.js';
import { telegramChat } from '../../src/telegram/telegramChat.js';

export interface TestChatOptions {
  /** Telegram's chat id (negative for a group), Discord's channel id. */
  id: string;
  /** A one-to-one chat with the bot (a Telegram private chat, a Discord DM). */
  isPrivate: boolean;
  /** What the platform says of the asker in a shared chat: a group admin; a member with Manage Channels. */
  manager?: boolean;
  /** Discord: whether the bot may post alerts in the channel. Default true. */
  canPost?: boolean;
}

/**
 * The chats Telegram and Discord build (src/telegram/telegramChat.ts, src/discord/discordChat.ts),
 * made by the platforms' own code from the least of an update that says where a command was typed:
 * their wording (noun, the manager refusal, the posting refusal) is the platforms', copied nowhere.
 * `asked` records each time the reply path asks whether the asker may manage the chat.
 */
export function testChat(platform: 'telegram' | 'discord', options: TestChatOptions): { chat: Chat; asked: string[] } {
  const chat = platform === 'telegram' ? telegramTestChat(options) : discordTestChat(options);
  const asked: string[] = [];
  const canManage = chat.canManage;
  return {
    chat: {
      ...chat,
      canManage: () => {
        asked.push(chat.id);
        return canManage();
      },
    },
    asked,
  };
}

/** The asker, as each platform names them. */
export const TELEGRAM_USER_ID = 7_000_001;
export const DISCORD_USER_ID = '1400000000000000001';

function telegramTestChat({ id, isPrivate, manager = false }: TestChatOptions): Chat {
  const userId = TELEGRAM_USER_ID;
  const update = {
    chat: isPrivate
      ? { id: Number(id), type: 'private', first_name: 'Tester' }
      : { id: Number(id), type: 'supergroup', title: 'Express Entry group' },
    msg: { text: '' },
    from: { id: userId, is_bot: false, first_name: 'Tester' },
    me: { id: 123456, is_bot: true, first_name: 'EE Draws', username: 'EEDrawsTestBot' },
    api: {
      getChatMember: async (chatId: number, user: number) => {
        if (chatId !== Number(id) || user !== userId) throw new Error(`getChatMember(${chatId}, ${user}): not this chat's asker`);
        return { status: manager ? 'administrator' : 'member', user: { id: userId, is_bot: false, first_name: 'Tester' } };
      },
    },
  };
  const chat = telegramChat(update as unknown as Parameters<typeof telegramChat>[0]);
  if (chat.id !== id) throw new Error(`a Telegram chat id is a number: ${id}`);
  return chat;
}

function discordTestChat({ id, isPrivate, manager = false, canPost = true }: TestChatOptions): Chat {
  const { ManageChannels, ViewChannel, SendMessages, EmbedLinks } = PermissionFlagsBits;
  const interaction = {
    guildId: isPrivate ? null : '1300000000000000001',
    channelId: id,
    user: { id: DISCORD_USER_ID },
    memberPermissions: isPrivate
      ? null
      : new PermissionsBitField(manager ? [ViewChannel, SendMessages, ManageChannels] : [ViewChannel, SendMessages]),
    appPermissions: new PermissionsBitField(canPost ? [ViewChannel, SendMessages, EmbedLinks] : [ViewChannel, EmbedLinks]),
  };
  return discordChat(interaction as unknown as ChatInputCommandInteraction);
}
