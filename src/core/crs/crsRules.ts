import type { CanadaStudy, Education } from './crsProfile.js';

/**
 * The CRS grid as data, one table per factor, each naming where it comes from and since when it
 * holds, so a rule change is an edit here (with its date) rather than a hunt through code.
 */

export interface RuleSource {
  title: string;
  url?: string;
}

export interface RuleTable {
  source: readonly RuleSource[];
  /** ISO date the figures took effect. */
  effective: string;
}

/** [from, points with a spouse, points single]: the last row whose `from` is ≤ the count applies. */
export type SpouseSteps = ReadonlyArray<readonly [from: number, withSpouse: number, single: number]>;
/** [from, points]: the last row whose `from` is ≤ the count applies. */
export type Steps = ReadonlyArray<readonly [from: number, points: number]>;
/** Points by [education tier][band]; see TRANSFERABILITY. */
export type Matrix = ReadonlyArray<readonly [number, number, number]>;

export const CRS_CRITERIA: RuleSource = {
  title: 'Comprehensive Ranking System (CRS) criteria – Express Entry (IRCC)',
  url: 'https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html',
};
/** The CRS grid is set, and changed, by the Minister's instructions published in the Canada Gazette. */
export const MINISTERIAL_INSTRUCTIONS: RuleSource = {
  title: 'Ministerial Instructions respecting the Express Entry system (Canada Gazette, Part I)',
};

/** The day Express Entry and the CRS began. */
const CRS_START = '2015-01-01';
const GRID = [CRS_CRITERIA, MINISTERIAL_INSTRUCTIONS] as const;

/** Job-offer points (50 or 200) were taken out of the CRS on this day; a job offer now scores 0. */
export const ARRANGED_EMPLOYMENT_REMOVED = '2025-03-25';

export const TOTAL_CAP = 1200;

export const CORE_MAX = { source: GRID, effective: CRS_START, withSpouse: 460, single: 500 } as const;

export const AGE_POINTS: RuleTable & { steps: SpouseSteps } = {
  source: GRID,
  effective: CRS_START,
  steps: [
    [18, 90, 99],
    [19, 95, 105],
    [20, 100, 110],
    [30, 95, 105],
    [31, 90, 99],
    [32, 85, 94],
    [33, 80, 88],
    [34, 75, 83],
    [35, 70, 77],
    [36, 65, 72],
    [37, 60, 66],
    [38, 55, 61],
    [39, 50, 55],
    [40, 45, 50],
    [41, 35, 39],
    [42, 25, 28],
    [43, 15, 17],
    [44, 5, 6],
    [45, 0, 0],
  ],
};

export const EDUCATION_POINTS: RuleTable & { points: Readonly<Record<Education, readonly [withSpouse: number, single: number]>> } = {
  source: GRID,
  effective: CRS_START,
  points: {
    none: [0, 0],
    secondary: [28, 30],
    'one-year': [84, 90],
    'two-year': [91, 98],
    bachelors: [112, 120],
    'two-or-more': [119, 128],
    masters: [126, 135],
    phd: [140, 150],
  },
};

/** Per ability, by CLB/NCLC level; levels above 10 score as 10. */
export const FIRST_LANGUAGE_POINTS: RuleTable & { steps: SpouseSteps } = {
  source: GRID,
  effective: CRS_START,
  steps: [
    [4, 6, 6],
    [6, 8, 9],
    [7, 16, 17],
    [8, 22, 23],
    [9, 29, 31],
    [10, 32, 34],
  ],
};

/** Per ability, by CLB/NCLC level, the four together capped. */
export const SECOND_LANGUAGE_POINTS: RuleTable & { steps: Steps; cap: { withSpouse: number; single: number } } = {
  source: GRID,
  effective: CRS_START,
  steps: [
    [5, 1],
    [7, 3],
    [9, 6],
  ],
  cap: { withSpouse: 22, single: 24 },
};

/** By whole years of skilled Canadian work; 5 or more score as 5. */
export const CANADA_WORK_POINTS: RuleTable & { steps: SpouseSteps } = {
  source: GRID,
  effective: CRS_START,
  steps: [
    [1, 35, 40],
    [2, 46, 53],
    [3, 56, 64],
    [4, 63, 72],
    [5, 70, 80],
  ],
};

/** Only for an accompanying spouse who is not a Canadian citizen or permanent resident. */
export const SPOUSE_POINTS: RuleTable & {
  max: number;
  education: Readonly<Record<Education, number>>;
  /** Per ability of the spouse's first official language. */
  language: Steps;
  canadaWork: Steps;
} = {
  source: GRID,
  effective: CRS_START,
  max: 40,
  education: { none: 0, secondary: 2, 'one-year': 6, 'two-year': 7, bachelors: 8, 'two-or-more': 9, masters: 10, phd: 10 },
  language: [
    [5, 1],
    [7, 3],
    [9, 5],
  ],
  canadaWork: [
    [1, 5],
    [2, 7],
    [3, 8],
    [4, 9],
    [5, 10],
  ],
};

const PAIR: Matrix = [
  [0, 0, 0],
  [0, 13, 25],
  [0, 25, 50],
];

/**
 * Skill transferability, first official language only. A "band" counts the thresholds reached:
 * language band 1 = CLB 7+ in all four abilities (not all 9+), 2 = CLB 9+ in all four; Canadian
 * work band 1 = one year, 2 = two or more; foreign work band 1 = one or two years, 2 = three or more.
 * Rows of a matrix are the education tier (or foreign-work band), columns the other factor's band.
 */
export const TRANSFERABILITY: RuleTable & {
  cap: number;
  languageBands: readonly number[];
  canadaWorkBands: readonly number[];
  foreignWorkBands: readonly number[];
  /** 0: secondary or less; 1: one-year, two-year or 3+ year credential; 2: two or more, master's or PhD. */
  educationTiers: Readonly<Record<Education, 0 | 1 | 2>>;
  education: { cap: number; withLanguage: Matrix; withCanadaWork: Matrix };
  foreignWork: { cap: number; withLanguage: Matrix; withCanadaWork: Matrix };
  /** Language band here: 1 = CLB 5+ in all four (one under 7), 2 = CLB 7+ in all four. */
  certificate: { cap: number; languageBands: readonly number[]; points: readonly number[] };
} = {
  source: GRID,
  effective: CRS_START,
  cap: 100,
  languageBands: [7, 9],
  canadaWorkBands: [1, 2],
  foreignWorkBands: [1, 3],
  educationTiers: { none: 0, secondary: 0, 'one-year': 1, 'two-year': 1, bachelors: 1, 'two-or-more': 2, masters: 2, phd: 2 },
  education: { cap: 50, withLanguage: PAIR, withCanadaWork: PAIR },
  foreignWork: { cap: 50, withLanguage: PAIR, withCanadaWork: PAIR },
  certificate: { cap: 50, languageBands: [5, 7], points: [0, 25, 50] },
};

export const ADDITIONAL_CAP = 600;

export const NOMINATION_POINTS: RuleTable & { points: number } = { source: GRID, effective: CRS_START, points: 600 };

/** Brother or sister in Canada (citizen or PR, 18+), added by Ministerial Instructions of June 2017. */
export const SIBLING_POINTS: RuleTable & { points: number } = { source: GRID, effective: '2017-06-06', points: 15 };

/** Post-secondary education in Canada, added with the November 2016 changes. */
export const CANADA_STUDY_POINTS: RuleTable & { points: Readonly<Record<CanadaStudy, number>> } = {
  source: GRID,
  effective: '2016-11-19',
  points: { none: 0, '1-2': 15, '3+': 30 },
};

/**
 * NCLC 7+ in all four French abilities: 25 points, or 50 with CLB 5+ in all four English abilities
 * (raised from 15/30, which applied from 2017-06-06).
 */
export const FRENCH_POINTS: RuleTable & { minFrench: number; minEnglish: number; withoutEnglish: number; withEnglish: number } = {
  source: GRID,
  effective: '2020-10-27',
  minFrench: 7,
  minEnglish: 5,
  withoutEnglish: 25,
  withEnglish: 50,
};
