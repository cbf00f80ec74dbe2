import { shortLabel } from '../core/describeDraw.js';
import { CATEGORY_SLUGS, type CategorySlug } from '../domain/drawSchema.js';
import type { Subscription } from '../domain/subscription.js';

/** "healthcare", "healthcare and cec", "healthcare, cec and french". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * What a chat receives, as the end of "a message for …": "every new draw", "every new healthcare
 * and CEC draw", or, for most categories, "every new draw except CEC".
 */
export function describeSubscription(subscription: Subscription): string {
  if (subscription === 'all') return 'every new Express Entry draw';
  if (subscription.length > CATEGORY_SLUGS.length / 2) {
    const left = CATEGORY_SLUGS.filter((slug) => !subscription.includes(slug));
    return `every new Express Entry draw except ${listWords(left.map(shortLabel))} draws`;
  }
  return `every new ${listWords(subscription.map(shortLabel))} draw`;
}

/** The chat's categories with those just typed first, in the order typed ("healthcare and cec"). */
export function typedFirst(subscription: Subscription, typed: readonly CategorySlug[] | 'all'): Subscription {
  if (subscription === 'all' || typed === 'all') return subscription;
  return [...typed.filter((slug) => subscription.includes(slug)), ...subscription.filter((slug) => !typed.includes(slug))];
}

export const isNothing = (subscription: Subscription): boolean => subscription !== 'all' && subscription.length === 0;
