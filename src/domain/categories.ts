import type { CategorySlug } from './drawSchema.js';

export interface CategoryInfo {
  slug: CategorySlug;
  label: string;
  /** How a sentence names it: "CEC", "PNP", "STEM", "French", "healthcare" (acronyms upper-case everywhere; a title capitalises the first letter). */
  short: string;
  /** Who may enter its draws, as /check says it: "needs French-language proficiency". */
  eligibility: string;
  /** Words people type for it, beside the slug; lower case, single spaces. */
  aliases: readonly string[];
  /** Embed colour (0xRRGGBB); one hue a category so a channel of alerts scans at a glance. */
  colour: number;
}

export const CATEGORIES: readonly CategoryInfo[] = [
  {
    slug: 'general',
    short: 'general',
    eligibility: 'open to every program',
    label: 'General (all programs)',
    aliases: ['general', 'no program specified', 'all programs', 'no program', 'nps'],
    colour: 0x5865f2,
  },
  {
    slug: 'pnp',
    short: 'PNP',
    eligibility: 'needs a provincial nomination',
    label: 'Provincial Nominee Program',
    aliases: ['provincial', 'provincial nominee', 'provincial nominee program', 'nominee', 'pnp draw'],
    colour: 0x9b59b6,
  },
  {
    slug: 'cec',
    short: 'CEC',
    eligibility: 'needs Canadian Experience Class eligibility',
    label: 'Canadian Experience Class',
    aliases: ['canadian experience', 'canadian experience class', 'experience class', 'canadian'],
    colour: 0xe74c3c,
  },
  {
    slug: 'fsw',
    short: 'FSW',
    eligibility: 'needs Federal Skilled Worker eligibility',
    label: 'Federal Skilled Worker',
    aliases: ['federal skilled worker', 'skilled worker', 'skilled workers', 'fswp'],
    colour: 0x3498db,
  },
  {
    slug: 'fst',
    short: 'FST',
    eligibility: 'needs Federal Skilled Trades eligibility',
    label: 'Federal Skilled Trades',
    aliases: ['federal skilled trades', 'fstp', 'federal trades'],
    colour: 0xe67e22,
  },
  {
    slug: 'french',
    short: 'French',
    eligibility: 'needs French-language proficiency',
    label: 'French-language proficiency',
    aliases: ['francophone', 'french language', 'french language proficiency', 'francais', 'français', 'fr'],
    colour: 0x1f5fbf,
  },
  {
    slug: 'healthcare',
    short: 'healthcare',
    eligibility: 'needs healthcare or social services work experience',
    label: 'Healthcare and social services',
    aliases: ['health', 'health care', 'healthcare and social services', 'social services', 'medical', 'nurses', 'nursing'],
    colour: 0x2ecc71,
  },
  {
    slug: 'stem',
    short: 'STEM',
    eligibility: 'needs STEM work experience',
    label: 'STEM occupations',
    aliases: ['science', 'technology', 'tech', 'engineering'],
    colour: 0x00bcd4,
  },
  {
    slug: 'trades',
    short: 'trades',
    eligibility: 'needs work experience in a trade',
    label: 'Trade occupations',
    aliases: ['trade', 'trade occupations', 'trades occupations', 'skilled trades'],
    colour: 0xd35400,
  },
  {
    slug: 'transport',
    short: 'transport',
    eligibility: 'needs transport work experience',
    label: 'Transport occupations',
    aliases: ['transportation', 'transport occupations', 'trucking', 'truck drivers'],
    colour: 0x95a5a6,
  },
  {
    slug: 'agriculture',
    short: 'agriculture',
    eligibility: 'needs agriculture or agri-food work experience',
    label: 'Agriculture and agri-food',
    aliases: ['agri', 'agri food', 'agrifood', 'agriculture and agri food', 'farming'],
    colour: 0x8bc34a,
  },
  {
    slug: 'education',
    short: 'education',
    eligibility: 'needs work experience in education',
    label: 'Education occupations',
    aliases: ['teachers', 'teaching', 'teacher'],
    colour: 0xf1c40f,
  },
  {
    slug: 'physicians',
    short: 'physicians',
    eligibility: 'needs Canadian work experience as a physician',
    label: 'Physicians with Canadian work experience',
    aliases: ['physician', 'doctors', 'doctor'],
    colour: 0x16a085,
  },
  {
    slug: 'senior-managers',
    short: 'senior managers',
    eligibility: 'needs Canadian work experience as a senior manager',
    label: 'Senior managers with Canadian work experience',
    aliases: ['senior managers', 'senior manager', 'managers', 'executives'],
    colour: 0x7f8c8d,
  },
  {
    slug: 'military',
    short: 'military',
    eligibility: 'needs recruitment by the Canadian Armed Forces',
    label: 'Skilled military recruits',
    aliases: ['skilled military recruits', 'military recruits', 'armed forces', 'forces'],
    colour: 0x556b2f,
  },
  {
    slug: 'other',
    short: 'other',
    eligibility: 'needs the eligibility IRCC set for it',
    label: 'Other (a category new to this bot)',
    aliases: [],
    colour: 0x607d8b,
  },
];

const BY_SLUG = new Map(CATEGORIES.map((c) => [c.slug, c]));

export function categoryInfo(slug: CategorySlug): CategoryInfo {
  return BY_SLUG.get(slug)!;
}
