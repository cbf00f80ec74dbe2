import type { OfficialLanguage } from './crsProfile.js';
import type { RuleSource, RuleTable } from './crsRules.js';

export const LANGUAGE_TESTS = ['ielts', 'celpip', 'pte', 'tef', 'tcf'] as const;
export type LanguageTest = (typeof LANGUAGE_TESTS)[number];

export const TEST_EQUIVALENCY_CHARTS: RuleSource = {
  title: 'Language test equivalency charts (IRCC)',
  url: 'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/publications-manuals/operational-bulletins-manuals/standard-requirements/language-requirements/test-equivalency-charts.html',
};

export interface Scale {
  min: number;
  max: number;
  step: number;
}

/** A level's lowest score per ability: [level, listening, reading, writing, speaking]. */
export type Minimums = ReadonlyArray<readonly [level: number, listening: number, reading: number, writing: number, speaking: number]>;

export interface LanguageTestChart extends RuleTable {
  /** As people call it: "IELTS". */
  name: string;
  language: OfficialLanguage;
  /** Per ability: listening, reading, writing, speaking. */
  scales: readonly [Scale, Scale, Scale, Scale];
  /** Highest level first; a score under the CLB/NCLC 4 minimum is level 0. */
  minimums: Minimums;
}

const uniform = (scale: Scale) => [scale, scale, scale, scale] as const;

export const LANGUAGE_TEST_CHARTS: Readonly<Record<LanguageTest, LanguageTestChart>> = {
  ielts: {
    name: 'IELTS',
    language: 'english',
    source: [TEST_EQUIVALENCY_CHARTS],
    // IELTS General Training; the chart predates Express Entry and has applied since it opened.
    effective: '2015-01-01',
    scales: uniform({ min: 0, max: 9, step: 0.5 }),
    minimums: [
      [10, 8.5, 8, 7.5, 7.5],
      [9, 8, 7, 7, 7],
      [8, 7.5, 6.5, 6.5, 6.5],
      [7, 6, 6, 6, 6],
      [6, 5.5, 5, 5.5, 5.5],
      [5, 5, 4, 5, 5],
      [4, 4.5, 3.5, 4, 4],
    ],
  },
  celpip: {
    name: 'CELPIP',
    language: 'english',
    source: [TEST_EQUIVALENCY_CHARTS],
    // CELPIP-General; levels 10-12 are all CLB 10 here (the chart stops at 10).
    effective: '2015-01-01',
    scales: uniform({ min: 0, max: 12, step: 1 }),
    minimums: [10, 9, 8, 7, 6, 5, 4].map((level) => [level, level, level, level, level] as const),
  },
  pte: {
    name: 'PTE Core',
    language: 'english',
    source: [TEST_EQUIVALENCY_CHARTS],
    // IRCC began accepting PTE Core on 2024-01-30.
    effective: '2024-01-30',
    scales: uniform({ min: 10, max: 90, step: 1 }),
    minimums: [
      [10, 89, 88, 90, 89],
      [9, 82, 78, 88, 84],
      [8, 71, 69, 79, 76],
      [7, 60, 60, 69, 68],
      [6, 50, 51, 60, 59],
      [5, 39, 42, 51, 51],
      [4, 28, 33, 41, 42],
    ],
  },
  tef: {
    name: 'TEF Canada',
    language: 'french',
    source: [TEST_EQUIVALENCY_CHARTS],
    // IRCC's chart for tests taken after 2023-12-10 (the /699 scale); older tests have other charts.
    effective: '2023-12-11',
    scales: uniform({ min: 0, max: 699, step: 1 }),
    minimums: [
      [10, 546, 546, 558, 556],
      [9, 503, 503, 512, 518],
      [8, 462, 462, 472, 494],
      [7, 434, 434, 428, 456],
      [6, 393, 393, 379, 422],
      [5, 352, 352, 330, 387],
      [4, 306, 306, 268, 328],
    ],
  },
  tcf: {
    name: 'TCF Canada',
    language: 'french',
    source: [TEST_EQUIVALENCY_CHARTS],
    // IRCC designated TCF Canada in November 2018 (Francophone Immigration Week).
    effective: '2018-11-10',
    scales: [
      { min: 0, max: 699, step: 1 },
      { min: 0, max: 699, step: 1 },
      { min: 0, max: 20, step: 1 },
      { min: 0, max: 20, step: 1 },
    ],
    minimums: [
      [10, 549, 549, 16, 16],
      [9, 523, 524, 14, 14],
      [8, 503, 499, 12, 12],
      [7, 458, 453, 10, 10],
      [6, 398, 406, 7, 7],
      [5, 369, 375, 6, 6],
      [4, 331, 342, 4, 4],
    ],
  },
};
