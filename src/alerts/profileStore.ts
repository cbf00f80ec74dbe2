import { CATEGORY_SLUGS, type CategorySlug } from '../domain/drawSchema.js';
import type { AlertsDatabase } from './openDatabase.js';
import type { AlertPlatform } from './subscriptionStore.js';

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

interface Row {
  crs: number;
  categories: string;
  submitted_at: string | null;
  time_zone: string | null;
}

const KNOWN: ReadonlySet<string> = new Set(CATEGORY_SLUGS);

/**
 * Personal profiles, one row per (platform, user), in the alerts database (migration 4) so that the
 * backup command carries them. Each call is one prepared statement: a lookup costs an answer next
 * to nothing.
 */
export class ProfileStore {
  private readonly upsert;
  private readonly select;
  private readonly remove;

  constructor(
    db: AlertsDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.upsert = db.prepare<[AlertPlatform, string, number, string, string | null, string | null, number]>(
      `INSERT INTO profiles (platform, user_id, crs, categories, submitted_at, time_zone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET crs = excluded.crs, categories = excluded.categories,
         submitted_at = excluded.submitted_at, time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
    );
    this.select = db.prepare<[AlertPlatform, string], Row>(
      'SELECT crs, categories, submitted_at, time_zone FROM profiles WHERE platform = ? AND user_id = ?',
    );
    this.remove = db.prepare<[AlertPlatform, string]>('DELETE FROM profiles WHERE platform = ? AND user_id = ?');
  }

  /** The user's profile; undefined when they have none. */
  get(platform: AlertPlatform, userId: string): Profile | undefined {
    const row = this.select.get(platform, userId);
    if (!row) return undefined;
    const profile: Profile = { crs: row.crs, categories: readCategories(row.categories) };
    if (row.submitted_at !== null) profile.submittedAt = row.submitted_at;
    if (row.time_zone !== null) profile.timeZone = row.time_zone;
    return profile;
  }

  /** Stores the whole profile, replacing the one before; returns it as stored. */
  set(platform: AlertPlatform, userId: string, profile: Profile): Profile {
    this.upsert.run(
      platform,
      userId,
      profile.crs,
      JSON.stringify(profile.categories),
      profile.submittedAt ?? null,
      profile.timeZone ?? null,
      this.now(),
    );
    return this.get(platform, userId)!;
  }

  /** Deletes everything stored about the user; whether there was anything. */
  forget(platform: AlertPlatform, userId: string): boolean {
    return this.remove.run(platform, userId).changes > 0;
  }
}

/** The stored JSON array, without slugs a later version dropped (they would mean nothing now). */
function readCategories(json: string): CategorySlug[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((slug): slug is CategorySlug => typeof slug === 'string' && KNOWN.has(slug)) : [];
}
