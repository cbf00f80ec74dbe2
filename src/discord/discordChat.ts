import { type ChatInputCommandInteraction, type MessageComponentInteraction, PermissionFlagsBits } from 'discord.js';
import type { Chat } from '../commands/chat.js';

/** What the chat is made of, which a slash command and a button press alike carry. */
export type ChatInteraction = Pick<
  ChatInputCommandInteraction | MessageComponentInteraction,
  'channelId' | 'guildId' | 'user' | 'memberPermissions' | 'appPermissions'
>;

/** An alert is a message with an embed: see the channel, write in it (or in its thread), embed links. */
function canPostAlerts(permissions: ChatInteraction['appPermissions']): boolean {
  const { ViewChannel, SendMessages, SendMessagesInThreads, EmbedLinks } = PermissionFlagsBits;
  return permissions.has([ViewChannel, EmbedLinks]) && (permissions.has(SendMessages) || permissions.has(SendMessagesInThreads));
}

/**
 * The channel a slash command was used in (or a button pressed), as alert commands see it. In a
 * server, changing it takes Manage Channels — in that channel, as Discord computes the member's
 * permissions there (overwrites included) and sends them with the interaction.
 */
export function discordChat(interaction: ChatInteraction): Chat {
  const isPrivate = !interaction.guildId;
  return {
    platform: 'discord',
    id: interaction.channelId,
    isPrivate,
    userId: interaction.user.id,
    privateReplies: true,
    noun: isPrivate ? 'chat' : 'channel',
    canManage: async () => isPrivate || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false),
    notManager: (command) =>
      `Only members with Manage Channels can change this channel's alerts. Ask one of them to use ${command}, or use it in a direct message with me to get the alerts yourself.`,
    cannotPost: () =>
      isPrivate || canPostAlerts(interaction.appPermissions)
        ? undefined
        : "I can't post in this channel: give me View Channel, Send Messages and Embed Links here (Edit Channel → Permissions), then send /subscribe again.",
  };
}
