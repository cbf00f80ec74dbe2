import { CATEGORY_SLUGS, type CategorySlug } from '../domain/drawSchema.js';
import type { Profile } from '../domain/profile.js';
import type { AlertPlatform } from '../domain/subscription.js';
import type { SqlExecutor } from './sqlDatabase.js';

/** Users' private profiles (/profile), one per platform user. */
export interface ProfileStore {
  /** The user's profile; undefined when they have none. */
  get(platform: AlertPlatform, userId: string): Promise<Profile | undefined>;
  /** Stores the whole profile, replacing the one before; returns it as stored. */
  set(platform: AlertPlatform, userId: string, profile: Profile): Promise<Profile>;
  /** Deletes the profile; whether there was one. */
  forget(platform: AlertPlatform, userId: string): Promise<boolean>;
}

interface Row {
  crs: number;
  categories: string;
  submitted_at: string | null;
  time_zone: string | null;
}

const KNOWN: ReadonlySet<string> = new Set(CATEGORY_SLUGS);

/** One row per (platform, user); a lookup is one indexed statement, so an answer with a profile costs next to nothing more. */
export class SqlProfileStore implements ProfileStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly now: () => number = Date.now,
  ) {}

  async get(platform: AlertPlatform, userId: string): Promise<Profile | undefined> {
    const row = await this.sql.get<Row>(
      'SELECT crs, categories, submitted_at, time_zone FROM profiles WHERE platform = ? AND user_id = ?',
      [platform, userId],
    );
    if (!row) return undefined;
    const profile: Profile = { crs: row.crs, categories: readCategories(row.categories) };
    if (row.submitted_at !== null) profile.submittedAt = row.submitted_at;
    if (row.time_zone !== null) profile.timeZone = row.time_zone;
    return profile;
  }

  async set(platform: AlertPlatform, userId: string, profile: Profile): Promise<Profile> {
    await this.sql.run(
      `INSERT INTO profiles (platform, user_id, crs, categories, submitted_at, time_zone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET crs = excluded.crs, categories = excluded.categories,
         submitted_at = excluded.submitted_at, time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
      [
        platform,
        userId,
        profile.crs,
        JSON.stringify(profile.categories),
        profile.submittedAt ?? null,
        profile.timeZone ?? null,
        this.now(),
      ],
    );
    return (await this.get(platform, userId))!;
  }

  async forget(platform: AlertPlatform, userId: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM profiles WHERE platform = ? AND user_id = ?', [platform, userId])) > 0;
  }
}

/** The stored JSON array, without slugs a later version dropped (they would mean nothing now). */
function readCategories(json: string): CategorySlug[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((slug): slug is CategorySlug => typeof slug === 'string' && KNOWN.has(slug)) : [];
}
