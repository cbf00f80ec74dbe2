import type { PlatformModule } from '../commands/platformModule.js';
import type { HandlerOptions } from './handleInteraction.js';
import { checkDiscord, type DiscordConfig, startDiscord } from './startDiscord.js';

/** Discord, as the composition root starts it: every instance answers on its gateway shards; the leader sends the alerts. */
export function discordPlatform(options: HandlerOptions = {}): PlatformModule<DiscordConfig, void> {
  return {
    name: 'discord',
    configOf: (config) => config.discord,
    check: checkDiscord,
    start: (config, { deps }) => startDiscord(config, deps, options),
    everyInstanceAnswers: () => true,
  };
}
