export const EDUCATIONS = ['none', 'secondary', 'one-year', 'two-year', 'bachelors', 'two-or-more', 'masters', 'phd'] as const;
export type Education = (typeof EDUCATIONS)[number];

/** How a level of education reads in a breakdown line. */
export const EDUCATION_LABELS: Readonly<Record<Education, string>> = {
  none: 'less than secondary school',
  secondary: 'secondary school',
  'one-year': 'one-year post-secondary credential',
  'two-year': 'two-year post-secondary credential',
  bachelors: "bachelor's degree or 3+ year program",
  'two-or-more': 'two or more credentials, one of 3+ years',
  masters: "master's or professional degree",
  phd: 'doctorate (PhD)',
};

/** CLB/NCLC per ability; 0 = below CLB 4 or no test; levels above 10 score as 10 (keep them as given, e.g. 12). */
export interface LanguageLevels {
  listening: number;
  reading: number;
  writing: number;
  speaking: number;
}

export type OfficialLanguage = 'english' | 'french';

export const CANADA_STUDY = ['none', '1-2', '3+'] as const;
export type CanadaStudy = (typeof CANADA_STUDY)[number];

/** What the CRS calculator asks; private to the person, never logged. */
export interface CrsProfile {
  /** Whole years, 0-120. */
  age: number;
  education: Education;
  /** undefined = no English test. */
  english?: LanguageLevels;
  french?: LanguageLevels;
  /** undefined: whichever earns more core points (ties: english). */
  first?: OfficialLanguage;
  /** Whole years of skilled Canadian work, 0+. */
  canadaWork: number;
  /** Whole years of skilled foreign work, 0+. */
  foreignWork: number;
  /** A trade certificate of qualification. */
  certificate: boolean;
  /** Length of a Canadian post-secondary credential. */
  canadaStudy: CanadaStudy;
  /** A sibling in Canada who is a citizen or permanent resident. */
  sibling: boolean;
  /** A provincial/territorial nomination. */
  nomination: boolean;
  /** An accompanying spouse who is NOT a Canadian citizen/PR; undefined = scored as single. */
  spouse?: { education: Education; language?: LanguageLevels; canadaWork: number };
}
