import type { Subscription, SubscriptionStore } from '../alerts/subscriptionStore.js';
import { UserError } from '../domain/userError.js';
import { CATEGORY_SLUGS, type CategorySlug } from '../domain/drawSchema.js';
import type { ChatContext, CommandContext } from './defineCommand.js';

export const NO_CHAT = 'Alerts work in a Telegram or Discord chat: add the bot there and send /subscribe healthcare.';

/** The chat the alert command acts on and the store it changes; a UserError where there is none. */
export function alertChat(ctx: CommandContext): { chat: ChatContext; store: SubscriptionStore } {
  if (!ctx.chat) throw new UserError(NO_CHAT);
  if (!ctx.subscriptions) throw new UserError('Draw alerts are not switched on for this bot at the moment; the other commands work as usual.');
  return { chat: ctx.chat, store: ctx.subscriptions };
}

/** Changing a shared chat's alerts is for its admins; anyone may in a private chat. */
export async function requireManager(chat: ChatContext, example: string): Promise<void> {
  if (chat.isPrivate || (await chat.canManage())) return;
  throw new UserError(
    chat.platform === 'telegram'
      ? `Only group admins can change this chat's alerts. Ask one of them to send ${example}, or send it to me in a private chat to get the alerts yourself.`
      : `Only members with Manage Channels can change this channel's alerts. Ask one of them to use ${example}, or use it in a direct message with me to get the alerts yourself.`,
  );
}

/** The bot must be able to post there, or the first alert would fail and end the subscription. */
export function requirePosting(chat: ChatContext): void {
  if (chat.canPost?.() === false) {
    throw new UserError(
      "I can't post in this channel: give me View Channel, Send Messages and Embed Links here (Edit Channel → Permissions), then send /subscribe again.",
    );
  }
}

/** "chat", or "channel" for a Discord server channel, as people call them there. */
export function place(chat: ChatContext): string {
  return chat.platform === 'discord' && !chat.isPrivate ? 'channel' : 'chat';
}

/** "healthcare", "healthcare and cec", "healthcare, cec and french". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * What a chat receives, as the end of "a message for …": "every new draw", "every new healthcare
 * and cec draw", or, for most categories, "every new draw except cec".
 */
export function describeSubscription(subscription: Subscription): string {
  if (subscription === 'all') return 'every new Express Entry draw';
  if (subscription.length > CATEGORY_SLUGS.length / 2) {
    const left = CATEGORY_SLUGS.filter((slug) => !subscription.includes(slug));
    return `every new Express Entry draw except ${listWords(left)} draws`;
  }
  return `every new ${listWords(subscription)} draw`;
}

/** The chat's categories with those just typed first, in the order typed ("healthcare and cec"). */
export function typedFirst(subscription: Subscription, typed: readonly CategorySlug[] | 'all'): Subscription {
  if (subscription === 'all' || typed === 'all') return subscription;
  return [...typed.filter((slug) => subscription.includes(slug)), ...subscription.filter((slug) => !typed.includes(slug))];
}

export const isNothing = (subscription: Subscription): boolean => subscription !== 'all' && subscription.length === 0;

/** What categoriesOption() gives: slugs, 'all', or undefined when left out. */
export type Categories = CategorySlug[] | 'all' | undefined;
