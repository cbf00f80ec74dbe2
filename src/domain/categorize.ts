import type { CategorySlug } from './drawSchema.js';

/**
 * Ordered rules: the first whose pattern matches IRCC's name wins. Patterns look for the words that
 * have survived every rename so far ("Healthcare occupations (2023-1)" -> "... (Version 1)" ->
 * "Healthcare and Social Services Occupations, 2026-Version 3"), not for whole names.
 * "Federal Skilled Trades" must come before the trade-occupations rule.
 */
const RULES: ReadonlyArray<readonly [RegExp, CategorySlug]> = [
  [/^(no program specified|general)$/, 'general'],
  [/provincial nominee/, 'pnp'],
  [/canadian experience class/, 'cec'],
  [/federal skilled worker/, 'fsw'],
  [/federal skilled trades/, 'fst'],
  [/french|francophone/, 'french'],
  [/health ?care|social services/, 'healthcare'],
  [/\bstem\b|science, technology/, 'stem'],
  [/\btrades?\b/, 'trades'],
  [/transport/, 'transport'],
  [/agricultur|agri-food/, 'agriculture'],
  [/education/, 'education'],
  [/physician/, 'physicians'],
  [/senior manager/, 'senior-managers'],
  [/military/, 'military'],
];

export interface Categorized {
  category: CategorySlug;
  version: number | null;
}

/** Reads the version out of "(Version 2)", "2026-Version 3" and the older "(2023-1)". */
function versionOf(name: string): number | null {
  const match = /version\s*(\d+)/i.exec(name) ?? /\(\s*\d{4}\s*-\s*(\d+)\s*\)/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Maps IRCC's category name to a stable slug and version; an unknown name becomes `other`. */
export function categorize(name: string): Categorized {
  const lower = name.toLowerCase().replace(/\s+/g, ' ').trim();
  const rule = RULES.find(([pattern]) => pattern.test(lower));
  return { category: rule ? rule[1] : 'other', version: versionOf(name) };
}
