import type { UserFromGetMe } from 'grammy/types';
import type { PlatformModule } from '../commands/platformModule.js';
import { checkTelegram, startTelegram, type TelegramConfig } from './startTelegram.js';

/** Telegram, as the composition root starts it: long polling on the leader alone, or a webhook every instance serves. */
export const telegramPlatform: PlatformModule<TelegramConfig, UserFromGetMe> = {
  name: 'telegram',
  configOf: (config) => config.telegram,
  check: checkTelegram,
  start: (config, { deps, routes, isLeader, installSecret }, me) => {
    // Without TELEGRAM_WEBHOOK_SECRET, one every instance agrees on: a secret made up per start
    // would be replaced at Telegram by the next instance's setWebhook, and the others would refuse
    // Telegram's requests (401).
    const webhook = config.webhook && { ...config.webhook, secret: config.webhook.secret ?? installSecret('telegram webhook') };
    return startTelegram({ ...config, webhook }, deps, me, { routes, leader: { isLeader } });
  },
  everyInstanceAnswers: (config) => config.webhook !== undefined,
};
