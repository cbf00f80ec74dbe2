import type { CrsProfile } from '../../core/crs/crsProfile.js';
import type { ReplyButton } from '../../core/reply.js';
import { categoryInfo } from '../../domain/categories.js';
import type { CategorySlug } from '../../domain/drawSchema.js';
import type { Profile } from '../../domain/profile.js';
import { UserError } from '../../domain/userError.js';
import type { CommandContext } from '../defineCommand.js';
import { describeLanes } from '../personal.js';

export const NO_SAVING =
  'Saving needs a private chat with the bot on Telegram or Discord: send /crs there, or /profile 470 to save a score by hand.';

/** Lanes a score's details let the asker see, each with why and its one-letter code in a button's action. */
const LANES: Array<{ code: string; slug: CategorySlug; fits(profile: CrsProfile): boolean; why: string }> = [
  {
    code: 'f',
    slug: 'french',
    fits: (p) => p.french !== undefined && Object.values(p.french).every((level) => level >= 7),
    why: 'NCLC 7 or more in all four French abilities',
  },
  { code: 'c', slug: 'cec', fits: (p) => p.canadaWork >= 1, why: 'a year or more of skilled work in Canada' },
];

interface Asker {
  ctx: CommandContext;
  platform: string;
  userId: string;
}

/** Who is saving, where saving is possible (a store, and a chat that says who is asking). */
export function asker(ctx: CommandContext): Asker {
  if (!ctx.profiles || !ctx.chat?.userId) throw new UserError(NO_SAVING);
  return { ctx, platform: ctx.chat.platform, userId: ctx.chat.userId };
}

/** Whether a reply to this chat may offer "Save as my profile". */
export function canSave(ctx: CommandContext): boolean {
  return ctx.profiles !== undefined && ctx.chat?.userId !== undefined;
}

export interface Saved {
  profile: Profile;
  /** What the reply says about it. */
  lines: string[];
  /** One button per lane it suggests, for the asker to confirm. */
  buttons: ReplyButton[][];
}

/**
 * Stores the score in the asker's profile, keeping its lanes, submission time and zone, and
 * suggests the lanes the details show (French, CEC) that it does not name yet: suggested, not
 * added, since eligibility takes more than the score's inputs. `after` is appended to the lane
 * buttons' actions, so that the reply can be drawn again with them.
 */
export async function saveCrs(who: Asker, total: number, crs: CrsProfile, after = ''): Promise<Saved> {
  const profiles = who.ctx.profiles!;
  const current = await profiles.get(who.platform, who.userId);
  const next: Profile = { ...(current ?? { categories: [] }), crs: total };
  const profile = await profiles.set(who.platform, who.userId, next);
  const { lines, buttons } = suggestLanes(crs, profile, after);
  return { profile, lines: [`Saved: your profile's CRS is now ${total} — /check, /pool and your alerts use it.`, ...lines], buttons };
}

/** The lanes the details show that the profile does not name yet: a sentence, and a button for each. */
export function suggestLanes(crs: CrsProfile, profile: Profile, after = ''): { lines: string[]; buttons: ReplyButton[][] } {
  const suggested = LANES.filter((lane) => lane.fits(crs) && !profile.categories.includes(lane.slug));
  if (suggested.length === 0) return { lines: [], buttons: [] };
  const named = suggested.map((lane) => `${categoryInfo(lane.slug).short} draws (${lane.why})`).join(' and ');
  return {
    lines: [`You may also be able to enter ${named}: tap to add them to your lanes.`],
    buttons: suggested.map((lane) => [{ label: `Add ${categoryInfo(lane.slug).short} draws`, action: `crs:l${lane.code}${after}` }]),
  };
}

/** Adds the lanes a button names (its codes) to the asker's profile; a profile must exist by then. */
export async function addLanes(who: Asker, codes: string): Promise<{ profile: Profile; line: string }> {
  const lanes = [...codes].map((code) => LANES.find((lane) => lane.code === code));
  if (lanes.length === 0 || lanes.some((lane) => lane === undefined)) throw new UserError('That button is stale; send /crs again.');
  const profiles = who.ctx.profiles!;
  const current = await profiles.get(who.platform, who.userId);
  if (!current) throw new UserError('Your profile is gone (deleted with /forget?); send /crs and save again.');
  const categories = [...current.categories];
  for (const lane of lanes) if (!categories.includes(lane!.slug)) categories.push(lane!.slug);
  const profile = await profiles.set(who.platform, who.userId, { ...current, categories });
  return { profile, line: `Lanes saved: ${describeLanes(profile)}. /check and your alerts now answer for them.` };
}
