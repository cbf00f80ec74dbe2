import type { PlatformModule } from '../commands/platformModule.js';
import { discordPlatform } from '../discord/discordPlatform.js';
import type { HandlerOptions } from '../discord/handleInteraction.js';
import { telegramPlatform } from '../telegram/telegramPlatform.js';

/** Every platform the bot knows, in the order they start; each starts when its token is set. A new platform is one line here. */
export function platformModules(options: { discord?: HandlerOptions } = {}): PlatformModule[] {
  return [telegramPlatform, discordPlatform(options.discord)] as PlatformModule[];
}
