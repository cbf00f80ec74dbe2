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
  const close = closeCategories(q);
  const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
  throw new UserError(
    close.length > 0
      ? `Unknown category "${shown}" — did you mean ${close.slice(0, 2).join(' or ')}?`
      : `Unknown category "${shown}"; /categories lists them (healthcare, cec, pnp, french…)`,
  );
}

/** Categories close to a word that names none, best first: what "did you mean" offers. "other" is nobody's meaning. */
export function closeCategories(word: string): CategorySlug[] {
  return suggestCategories(word, 4).filter((slug) => slug !== 'other');
}

/** Every single word of a category's names ("canadian", "experience"): such a word is never a typo. */
const NAME_WORDS = new Set(NAMES.flatMap(([name]) => name.split(' ')));

/**
 * Reads past one-word typos in a category option as typed ("helthcare", "frnch please"): a word
 * that names nothing, is part of no name, and has exactly one close category, is taken as that
 * category. Returns the text with those words replaced and what was assumed; words with two or
 * more close categories are left for resolveCategory's "did you mean … or …?".
 */
export function assumeCategoryTypos(text: string): { text: string; assumed: Array<{ typed: string; slug: CategorySlug }> } {
  const assumed: Array<{ typed: string; slug: CategorySlug }> = [];
  const words = text.split(/(\s+|,|;)/);
  for (let i = 0; i < words.length; i++) {
    const word = normalise(words[i]!);
    if (word.length < 3 || word.includes(' ') || /\d/.test(word) || ANY.has(word) || FILLERS.has(word)) continue;
    if (EXACT.has(word) || NAME_WORDS.has(word) || categorize(word).category !== 'other') continue;
    const close = closeCategories(word);
    if (close.length !== 1) continue;
    assumed.push({ typed: words[i]!, slug: close[0]! });
    words[i] = close[0]!;
  }
  return { text: words.join(''), assumed };
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
