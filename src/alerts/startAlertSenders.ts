import type { REST } from 'discord.js';
import { Api } from 'grammy';
import type { Reply } from '../core/reply.js';
import { renderHtml } from '../telegram/renderHtml.js';
import type { AlertSender } from './alertSender.js';
import type { Alerts, SenderOptions } from './createAlerts.js';
import { discordTransport } from './discordTransport.js';
import { telegramTransport } from './telegramTransport.js';

/** The platforms that run, as the senders need them. */
export interface AlertTargets {
  telegram?: { token: string; apiRoot: string };
  /** The Discord client's REST (`client.rest`): logged in, and keeping Discord's rate limits. */
  discord?: REST;
}

/** An alert as Telegram HTML. An alert is a few hundred characters, so always one message. */
export function alertHtml(reply: Reply): string {
  return renderHtml(reply)[0]!;
}

/**
 * One sender per running platform, resuming what a previous run left pending. Telegram gets an
 * Api of its own, without the bot's auto-retry and throttler: the sender paces at Telegram's
 * limits and acts on every 429 itself, which a transformer retrying underneath would hide.
 */
export function startAlertSenders(alerts: Alerts, targets: AlertTargets, options: { telegram?: SenderOptions; discord?: SenderOptions } = {}): AlertSender[] {
  const senders: AlertSender[] = [];
  if (targets.telegram) {
    // grammY refuses an API root with a trailing slash, as createTelegramBot knows too.
    const api = new Api(targets.telegram.token, { apiRoot: targets.telegram.apiRoot.replace(/\/+$/, '') });
    senders.push(alerts.startSender(telegramTransport(api, alertHtml), options.telegram));
  }
  if (targets.discord) senders.push(alerts.startSender(discordTransport(targets.discord), options.discord));
  return senders;
}
