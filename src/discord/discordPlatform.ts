import type { PlatformModule } from '../commands/platformModule.js';
import type { HandlerOptions } from './handleInteraction.js';
import { checkDiscord, type DiscordConfig, managedShards, startDiscord } from './startDiscord.js';

/**
 * Whether this instance would hold every gateway shard: neither SHARD_IDS nor a ShardingManager gives
 * it a share (SHARD_COUNT alone runs them all in one process).
 */
const holdsEveryShard = (config: DiscordConfig): boolean =>
  !managedShards() && (!config.shards || config.shards.ids.length >= config.shards.count);

/**
 * Discord, as the composition root starts it. Each instance given its share of the gateway shards
 * answers on them; instances that would each hold every shard (each interaction reaching them all)
 * leave the gateway to the leader. The leader sends the alerts.
 */
export function discordPlatform(options: HandlerOptions = {}): PlatformModule<DiscordConfig, void> {
  return {
    name: 'discord',
    configOf: (config) => config.discord,
    check: checkDiscord,
    start: (config, { deps, shared }) => startDiscord(config, deps, { ...options, gatewayOnLead: shared && holdsEveryShard(config) }),
    everyInstanceAnswers: (config) => !holdsEveryShard(config),
  };
}
