import { IANAZone } from 'luxon';
import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { integerOption } from '../src/commands/options.js';
import { answersPrivately, describeLanes, PROFILE_PRIVATE } from '../src/commands/personal.js';
import { parseSubmitted } from '../src/commands/submittedAt.js';
import { localTime } from '../src/core/describeDraw.js';
import { formatDate, formatInstant } from '../src/core/format.js';
import type { Reply } from '../src/core/reply.js';
import type { Profile } from '../src/domain/profile.js';
import { resolveCategories } from '../src/domain/resolveCategory.js';
import { UserError } from '../src/domain/userError.js';

/** Words that take a saved value away: "submitted=none", "tz=none". */
const CLEAR = new Set(['none', 'clear', '-']);
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);
const TIME_ONLY = /^\d{1,2}:\d{2}(?::\d{2})?$/;
/** A time of day typed apart from its date lands in another option: say how to write it. */
const TIME_APART = 'A time of day goes with its date, joined by a T: submitted=2025-01-31T10:15 (UTC)';

function issue(ctx: z.RefinementCtx<string>, message: string, input: string) {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

const categories = z
  .string({ error: 'The categories must be words such as healthcare or cec' })
  .max(200, { error: 'That list of categories is too long' })
  .transform((value, ctx) => {
    // "cec 10:15": resolveCategories passes numbers over, and the time would be lost without a word.
    if (value.split(' ').some((word) => TIME_ONLY.test(word))) return issue(ctx, TIME_APART, value);
    try {
      return resolveCategories(value);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return issue(ctx, error.message, value);
    }
  })
  .optional()
  .meta({
    kind: 'string',
    description: 'The draws you can enter beside general ones, e.g. cec healthcare',
    autocomplete: 'categories',
    rest: true,
  });

const submitted = z
  .string({ error: 'The submission date must be a date such as 2025-01-31 or 2025-01-31T10:15' })
  .max(40, { error: 'The submission date must be a date such as 2025-01-31 or 2025-01-31T10:15' })
  .optional()
  .meta({ kind: 'date', description: 'When you submitted your Express Entry profile, e.g. 2025-01-31T10:15 (UTC; settles ties)' });

const tz = z
  .string({ error: 'The time zone must be a name such as America/Toronto' })
  .max(64, { error: 'The time zone must be a name such as America/Toronto' })
  .transform((value, ctx): string | null => {
    const typed = value.trim();
    if (CLEAR.has(typed.toLowerCase())) return null;
    if (TIME_ONLY.test(typed)) return issue(ctx, TIME_APART, value);
    if (!IANAZone.isValidZone(typed)) {
      return issue(ctx, 'The time zone must be a name from the IANA list such as America/Toronto or Asia/Kolkata', value);
    }
    const name = IANAZone.create(typed).name;
    // Times are shown in UTC anyway: a UTC zone would only say it twice.
    return UTC_NAMES.has(name) ? null : name;
  })
  .optional()
  .meta({ kind: 'string', description: 'Your time zone, to show times in, e.g. America/Toronto (tz=none to drop it)' });

function profileReply(profile: Profile, title: string, first: string[]): Reply {
  const submittedAt = profile.submittedAt;
  return {
    kind: 'answer',
    title,
    lines: [...first, 'Only you see it. /check, /pool, /latest and /history answer for it here; /forget deletes it.'],
    fields: [
      { name: 'CRS', value: String(profile.crs), inline: true },
      { name: 'Lanes', value: describeLanes(profile), inline: true },
      {
        name: 'Submitted',
        value: !submittedAt
          ? 'not given (settles ties: submitted=2025-01-31T10:15)'
          : submittedAt.length === 10
            ? formatDate(submittedAt)
            : `${formatInstant(submittedAt)}${profile.timeZone ? ` · ${localTime(submittedAt, profile.timeZone, submittedAt.slice(0, 10))}` : ''}`,
        inline: false,
      },
      { name: 'Time zone', value: profile.timeZone ?? 'UTC only (add tz=America/Toronto)', inline: true },
    ],
    private: true,
  };
}

export const profile = defineCommand({
  name: 'profile',
  description: 'Save your CRS score and lanes privately, for /check, /pool, /latest and /history',
  options: z.strictObject({
    crs: integerOption({ description: 'Your CRS score (0-1200)', min: 0, max: 1200, label: 'The CRS score' }).optional(),
    categories,
    submitted,
    tz,
  }),
  examples: ['/profile 480 cec healthcare', '/profile', '/profile 480 submitted=2025-01-31T10:15 tz=America/Toronto'],
  requires: { profiles: true },
  async run(input, { chat, profiles, now }) {
    // Refused before anything is read or stored, and without repeating the score typed.
    if (!answersPrivately(chat)) throw new UserError(PROFILE_PRIVATE);
    const current = await profiles.get(chat.platform, chat.userId);
    const given = Object.values(input).some((value) => value !== undefined);
    if (!given) {
      if (current) return profileReply(current, 'Your profile', []);
      return {
        kind: 'answer',
        title: 'No profile yet',
        lines: [
          'Save your CRS score and the draws you can enter, e.g. /profile 480 cec healthcare; /check, /pool, /latest and /history then answer for you, privately.',
        ],
        private: true,
      };
    }
    const crs = input.crs ?? current?.crs;
    if (crs === undefined) throw new UserError('Start with your CRS score, e.g. /profile 480 cec healthcare');
    const typedSubmitted = input.submitted?.trim();
    const submittedAt =
      typedSubmitted === undefined
        ? current?.submittedAt
        : CLEAR.has(typedSubmitted.toLowerCase())
          ? undefined
          : parseSubmitted(typedSubmitted, now);
    const next: Profile = {
      crs,
      categories: input.categories === undefined ? (current?.categories ?? []) : input.categories === 'all' ? [] : input.categories,
    };
    if (submittedAt) next.submittedAt = submittedAt;
    const timeZone = input.tz === undefined ? current?.timeZone : (input.tz ?? undefined);
    if (timeZone) next.timeZone = timeZone;
    const saved = await profiles.set(chat.platform, chat.userId, next);
    return profileReply(saved, current ? 'Profile updated' : 'Profile saved', []);
  },
});
