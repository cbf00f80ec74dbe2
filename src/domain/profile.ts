import type { CategorySlug } from './drawSchema.js';

/** What a user told the bot about themselves with /profile: private, never logged. */
export interface Profile {
  crs: number;
  /** The draws they can enter beside general ones, in the order given; [] when none named. */
  categories: CategorySlug[];
  /**
   * When their Express Entry profile was submitted, for tie-breaks: YYYY-MM-DD, or a UTC instant
   * YYYY-MM-DDTHH:mm:ssZ when they gave the time of day too.
   */
  submittedAt?: string;
  /** An IANA zone (America/Toronto) to show times in beside UTC. */
  timeZone?: string;
}
