import { distance } from 'fastest-levenshtein';
import { CATEGORIES } from './categories.js';
import { categorize } from './categorize.js';
import type { CategorySlug } from './drawSchema.js';
import { UserError } from './userError.js';

/** Every word that names a category: slugs first, then aliases. */
const NAMES: ReadonlyArray<readonly [name: string, slug: CategorySlug]> = [
  ...CATEGORIES.map((c) => [c.slug, c.slug] as const),
  ...CATEGORIES.flatMap((c) => c.aliases.map((a) => [a, c.slug] as const)),
  ...CATEGORIES.map((c) => [c.slug.replace('-', ' '), c.slug] as const),
];
const EXACT = new Map(NAMES.map(([name, slug]) => [name, slug]));

/** Words that mean "no filter". */
const ANY = new Set(['all', 'any', 'every', 'everything', '*']);

function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Categories matching a partial word, best first — for autocomplete and for "did you mean".
 * Prefix matches rank before substring matches, which rank before near misses.
 */
export function suggestCategories(query: string, limit = 25): CategorySlug[] {
  const q = normalise(query);
  if (!q)
    return CATEGORIES.filter((c) => c.slug !== 'other')
      .map((c) => c.slug)
      .slice(0, limit);
  const scored = new Map<CategorySlug, number>();
  for (const [name, slug] of NAMES) {
    let score: number;
    if (name === q) score = 0;
    else if (name.startsWith(q)) score = 1;
    else if (name.includes(q)) score = 2;
    else {
      // Whole-word typos ("helthcare") and typos in what was typed so far ("frnc").
      const d = Math.min(distance(q, name), distance(q, name.slice(0, q.length)));
      if (d > (q.length <= 4 ? 1 : 2)) continue;
      score = 3 + d;
    }
    if (score < (scored.get(slug) ?? Infinity)) scored.set(slug, score);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1])
    .slice(0, limit)
    .map(([slug]) => slug);
}

/**
 * Reads a category as people type it ("health", "canadian experience", "PNP", IRCC's own full
 * name). Returns undefined for "all"; throws a UserError that suggests the closest slug otherwise.
 */
export function resolveCategory(input: string): CategorySlug | undefined {
  const q = normalise(input);
  if (!q) throw new UserError('The category is empty; name one such as healthcare, cec, pnp or french');
  if (ANY.has(q)) return undefined;
  const exact = EXACT.get(q);
  if (exact) return exact;
  if (q.length >= 3) {
    const fromName = categorize(input).category;
    if (fromName !== 'other') return fromName;
  }
  const suggestion = suggestCategories(q, 1)[0];
  const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
  throw new UserError(
    suggestion
      ? `Unknown category "${shown}" — did you mean ${suggestion}?`
      : `Unknown category "${shown}"; /categories lists them (healthcare, cec, pnp, french…)`,
  );
}

/** Words that only join or qualify names in a list: "healthcare and cec", "all draws", "stem occupations". */
const FILLERS = new Set(['and', 'or', 'draw', 'draws', 'occupation', 'occupations', 'version']);

/**
 * Several categories as people type them ("healthcare cec", "health, french", "canadian
 * experience class and stem"): the slugs in the order given, each once, or 'all' when a word
 * means every draw. Names of several words are read longest first, so "all programs" is general
 * and "healthcare and social services" is one category; numbers ("Version 2", "2023-1") and
 * joining words are passed over. The first word that names nothing gets resolveCategory's error,
 * with its "did you mean".
 */
export function resolveCategories(input: string): CategorySlug[] | 'all' {
  const found: CategorySlug[] = [];
  for (const part of input.split(/[,;]/)) {
    const words = normalise(part).split(' ').filter(Boolean);
    for (let i = 0; i < words.length; ) {
      let end = words.length;
      let slug: CategorySlug | undefined;
      for (; end > i; end--) {
        const phrase = words.slice(i, end).join(' ');
        if (ANY.has(phrase)) return 'all';
        slug = EXACT.get(phrase);
        if (slug) break;
      }
      if (slug) {
        found.push(slug);
        i = end;
        continue;
      }
      const word = words[i++]!;
      if (FILLERS.has(word) || /^\d+$/.test(word)) continue;
      const resolved = resolveCategory(word); // throws the "did you mean"
      if (resolved) found.push(resolved);
    }
  }
  if (found.length === 0) throw new UserError('Name at least one category, such as healthcare, cec, pnp or french');
  return [...new Set(found)];
}
