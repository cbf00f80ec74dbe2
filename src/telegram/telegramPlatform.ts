import type { UserFromGetMe } from 'grammy/types';
import type { PlatformModule } from '../commands/platformModule.js';
import { checkTelegram, startTelegram, type TelegramConfig } from './startTelegram.js';

/** Telegram, as the composition root starts it: long polling on the leader alone, or a webhook every instance serves. */
export const telegramPlatform: PlatformModule<TelegramConfig, UserFromGetMe> = {
  name: 'telegram',
  configOf: (config) => config.telegram,
  check: checkTelegram,
  start: (config, { deps, routes, isLeader }, me) => startTelegram(config, deps, me, { routes, leader: { isLeader } }),
  everyInstanceAnswers: (config) => config.webhook !== undefined,
};
