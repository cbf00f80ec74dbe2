import type { CategorySlug } from './drawSchema.js';

export interface CategoryInfo {
  slug: CategorySlug;
  label: string;
  /** How a sentence names it: "CEC", "PNP", "STEM", "French", "healthcare" (acronyms upper-case everywhere; a title capitalises the first letter). */
  short: string;
  /** Words people type for it, beside the slug; lower case, single spaces. */
  aliases: readonly string[];
  /** Embed colour (0xRRGGBB); one hue a category so a channel of alerts scans at a glance. */
  colour: number;
}

export const CATEGORIES: readonly CategoryInfo[] = [
  {
    slug: 'general',
    short: 'general',
    label: 'General (all programs)',
    aliases: ['general', 'no program specified', 'all programs', 'no program', 'nps'],
    colour: 0x5865f2,
  },
  {
    slug: 'pnp',
    short: 'PNP',
    label: 'Provincial Nominee Program',
    aliases: ['provincial', 'provincial nominee', 'provincial nominee program', 'nominee', 'pnp draw'],
    colour: 0x9b59b6,
  },
  {
    slug: 'cec',
    short: 'CEC',
    label: 'Canadian Experience Class',
    aliases: ['canadian experience', 'canadian experience class', 'experience class', 'canadian'],
    colour: 0xe74c3c,
  },
  {
    slug: 'fsw',
    short: 'FSW',
    label: 'Federal Skilled Worker',
    aliases: ['federal skilled worker', 'skilled worker', 'skilled workers', 'fswp'],
    colour: 0x3498db,
  },
  {
    slug: 'fst',
    short: 'FST',
    label: 'Federal Skilled Trades',
    aliases: ['federal skilled trades', 'fstp', 'federal trades'],
    colour: 0xe67e22,
  },
  {
    slug: 'french',
    short: 'French',
    label: 'French-language proficiency',
    aliases: ['francophone', 'french language', 'french language proficiency', 'francais', 'français', 'fr'],
    colour: 0x1f5fbf,
  },
  {
    slug: 'healthcare',
    short: 'healthcare',
    label: 'Healthcare and social services',
    aliases: ['health', 'health care', 'healthcare and social services', 'social services', 'medical', 'nurses', 'nursing'],
    colour: 0x2ecc71,
  },
  { slug: 'stem', short: 'STEM', label: 'STEM occupations', aliases: ['science', 'technology', 'tech', 'engineering'], colour: 0x00bcd4 },
  {
    slug: 'trades',
    short: 'trades',
    label: 'Trade occupations',
    aliases: ['trade', 'trade occupations', 'trades occupations', 'skilled trades'],
    colour: 0xd35400,
  },
  {
    slug: 'transport',
    short: 'transport',
    label: 'Transport occupations',
    aliases: ['transportation', 'transport occupations', 'trucking', 'truck drivers'],
    colour: 0x95a5a6,
  },
  {
    slug: 'agriculture',
    short: 'agriculture',
    label: 'Agriculture and agri-food',
    aliases: ['agri', 'agri food', 'agrifood', 'agriculture and agri food', 'farming'],
    colour: 0x8bc34a,
  },
  { slug: 'education', short: 'education', label: 'Education occupations', aliases: ['teachers', 'teaching', 'teacher'], colour: 0xf1c40f },
  {
    slug: 'physicians',
    short: 'physicians',
    label: 'Physicians with Canadian work experience',
    aliases: ['physician', 'doctors', 'doctor'],
    colour: 0x16a085,
  },
  {
    slug: 'senior-managers',
    short: 'senior managers',
    label: 'Senior managers with Canadian work experience',
    aliases: ['senior managers', 'senior manager', 'managers', 'executives'],
    colour: 0x7f8c8d,
  },
  {
    slug: 'military',
    short: 'military',
    label: 'Skilled military recruits',
    aliases: ['skilled military recruits', 'military recruits', 'armed forces', 'forces'],
    colour: 0x556b2f,
  },
  { slug: 'other', short: 'other', label: 'Other (a category new to this bot)', aliases: [], colour: 0x607d8b },
];

const BY_SLUG = new Map(CATEGORIES.map((c) => [c.slug, c]));

export function categoryInfo(slug: CategorySlug): CategoryInfo {
  return BY_SLUG.get(slug)!;
}
