import type { CategorySlug } from './drawSchema.js';

/** The platform's name ('telegram', 'discord'), as what the bot keeps is keyed by it. */
export type AlertPlatform = string;

/** What a chat receives: every draw, some categories, or nothing (`[]`). */
export type Subscription = 'all' | CategorySlug[];

/** Why a chat's alerts are paused (the bot may not post there for now), what to do, and since when (ms since the epoch). */
export interface Pause {
  reason: string;
  fix?: string;
  at: number;
}
