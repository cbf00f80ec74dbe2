import { z } from 'zod';
import type { CategorySlug } from '../domain/drawSchema.js';
import { resolveCategories, resolveCategory } from '../domain/resolveCategory.js';
import { UserError } from '../domain/userError.js';
import { parseLooseDate } from './looseDate.js';
import { bareWord } from './noiseWords.js';
import { PERIOD_FORMS, parsePeriod } from './parsePeriod.js';

/**
 * What every platform needs to know about an option to offer it (Discord's typed options and
 * autocomplete, Telegram's and the console's positional parsing). It is attached to the zod schema
 * that validates the option, so the two are written once, side by side.
 */
export interface OptionMeta {
  /** 'period': a span of days people name (parsePeriod), gathered from several words in text. */
  kind: 'integer' | 'string' | 'date' | 'period';
  description: string;
  min?: number;
  max?: number;
  /** 'categories': a list of them, completed on its last word; 'command': a command of the registry. */
  autocomplete?: 'category' | 'categories' | 'round' | 'command';
  /** The values a platform may offer as a fixed list (Discord's choices, at most 25); typed text may still say them loosely. */
  choices?: readonly string[];
  /** Takes several words when given positionally ("canadian experience class"). */
  rest?: boolean;
}

function withMeta<T extends z.ZodType>(schema: T, meta: OptionMeta): T {
  return schema.meta(meta as unknown as Record<string, unknown>) as T;
}

/** Text arrives as strings, Discord sends numbers: both become a whole number or fail with `message`. */
function wholeNumber(min: number, max: number, message: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? (/^\s*\+?\d{1,9}\s*$/.test(value) ? Number(value) : Number.NaN) : value),
    z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message }),
  );
}

export function integerOption(o: { description: string; min: number; max: number; label: string }) {
  const message = `${o.label} must be a whole number from ${o.min} to ${o.max}`;
  return {
    required: () => withMeta(wholeNumber(o.min, o.max, message), { kind: 'integer', ...o }),
    optional: () => withMeta(wholeNumber(o.min, o.max, message).optional(), { kind: 'integer', ...o }),
    default: (value: number) => withMeta(wholeNumber(o.min, o.max, message).default(value), { kind: 'integer', ...o }),
  };
}

/** A resolver as a zod transform: the UserError it throws becomes the option's validation message. */
export function resolving<T>(resolve: (value: string) => T) {
  return (value: string, ctx: z.RefinementCtx<string>): T => {
    try {
      return resolve(value);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      ctx.issues.push({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  };
}

/** A category as people type it, resolved to its slug (undefined for "all"). */
export function categoryOption(description = 'Category: healthcare, cec, pnp, french, stem, trades… (default: all draws)') {
  const schema = z
    .string({ error: 'The category must be a word such as healthcare or cec' })
    .max(100, { error: 'That category name is too long' })
    .transform(resolving(resolveCategory))
    .optional();
  return withMeta(schema, { kind: 'string', description, autocomplete: 'category', rest: true });
}

/**
 * One or more categories ("healthcare cec", "health, french"), resolved to their slugs in the order
 * given; "all" gives 'all'. Left out: undefined, which the command reads as it sees fit.
 */
export function categoriesOption(description = 'Categories, e.g. healthcare cec or "health, french" (default: all draws)') {
  const schema = z
    .string({ error: 'The categories must be words such as healthcare or cec' })
    .max(200, { error: 'That list of categories is too long' })
    .transform(resolving(resolveCategories))
    .optional();
  return withMeta(schema, { kind: 'string', description, autocomplete: 'categories', rest: true });
}

/** What /subscribe and /unsubscribe take: categories, and the word "pool" for pool-distribution alerts. */
export interface AlertTopics {
  pool: boolean;
  /** The categories named ('all' for a word meaning every draw); undefined when only "pool" was. */
  categories?: CategorySlug[] | 'all';
}

/**
 * Categories as categoriesOption reads them, and "pool" among them (`/subscribe pool`,
 * `/unsubscribe pool cec`): pool alerts are not a draw category, so the word is taken out first.
 */
export function alertTopicsOption(description: string) {
  const schema = z
    .string({ error: 'The categories must be words such as healthcare or cec, or pool' })
    .max(200, { error: 'That list of categories is too long' })
    .transform(
      resolving((value): AlertTopics => {
        const words = value.split(/[\s,;]+/).filter(Boolean);
        const rest = words.filter((word) => bareWord(word) !== 'pool');
        const pool = rest.length < words.length;
        return { pool, ...(rest.length > 0 || !pool ? { categories: resolveCategories(rest.join(' ')) } : {}) };
      }),
    )
    .optional();
  return withMeta(schema, { kind: 'string', description, autocomplete: 'categories', rest: true });
}

/**
 * A calendar date that exists, typed as people write it (2025-1-2, Jan 2 2025, 2 January 2025…) and
 * handed to the command as YYYY-MM-DD. Whether it may lie in the future is the command's call.
 */
export function dateOption(description: string, label: string) {
  const message = `${label} must be a date such as 2025-01-31 or Jan 31 2025`;
  const schema = z
    .string({ error: message })
    .max(40, { error: message })
    .transform(resolving((value) => parseLooseDate(value, label)))
    .optional();
  return withMeta(schema, { kind: 'date', description });
}

/**
 * A period as people say it ("July", "since January", "between May 1 and June 30", "last month"),
 * read to a PeriodSpec; the command places it against today (resolvePeriod), which explains a
 * period still to come or before the first round.
 */
export function periodOption(description = 'A period: July, 2026, since January, last month, between May 1 and June 30…') {
  const message = `The period must be ${PERIOD_FORMS}`;
  const schema = z
    .string({ error: message })
    .max(60, { error: message })
    .transform(resolving((value) => parsePeriod(value)))
    .optional();
  return withMeta(schema, { kind: 'period', description });
}

export function roundOption() {
  const message = 'The round must be a round number such as 379 or 91a';
  const schema = z
    .string({ error: message })
    .trim()
    .max(12, { error: message })
    .regex(/^#?\d{1,4}[a-z]?$/i, { error: message });
  return withMeta(schema, { kind: 'string', description: 'Round number, e.g. 379 or 91a', autocomplete: 'round' });
}

export type NamedOptionMeta = OptionMeta & { name: string; required: boolean };
const metaCache = new WeakMap<z.ZodObject, NamedOptionMeta[]>();

/** The meta of each option of a command's schema, in declaration order (= positional order). */
export function optionMetas(schema: z.ZodObject): NamedOptionMeta[] {
  let metas = metaCache.get(schema);
  if (!metas) {
    metas = readOptionMetas(schema);
    metaCache.set(schema, metas);
  }
  return metas;
}

function readOptionMetas(schema: z.ZodObject): NamedOptionMeta[] {
  return Object.entries(schema.shape).map(([name, option]) => {
    const meta = (option as z.ZodType).meta() as unknown as OptionMeta | undefined;
    if (!meta) throw new Error(`option ${name} has no OptionMeta; build it with the helpers in options.ts`);
    return { name, required: !(option as z.ZodType).safeParse(undefined).success, ...meta };
  });
}
