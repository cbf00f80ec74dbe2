import { type ChatInputCommandInteraction, PermissionFlagsBits } from 'discord.js';
import type { ChatContext } from '../commands/defineCommand.js';

/** An alert is a message with an embed: see the channel, write in it (or in its thread), embed links. */
function canPostAlerts(permissions: ChatInputCommandInteraction['appPermissions']): boolean {
  const { ViewChannel, SendMessages, SendMessagesInThreads, EmbedLinks } = PermissionFlagsBits;
  return permissions.has([ViewChannel, EmbedLinks]) && (permissions.has(SendMessages) || permissions.has(SendMessagesInThreads));
}

/**
 * The channel a slash command was used in, for commands that act on it (alerts). In a server,
 * changing it takes Manage Channels — in that channel, as Discord computes the member's
 * permissions there (overwrites included) and sends them with the interaction.
 */
export function discordChat(interaction: ChatInputCommandInteraction): ChatContext {
  const isPrivate = !interaction.guildId;
  return {
    platform: 'discord',
    id: interaction.channelId,
    isPrivate,
    canManage: async () => isPrivate || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false),
    canPost: () => isPrivate || canPostAlerts(interaction.appPermissions),
  };
}
