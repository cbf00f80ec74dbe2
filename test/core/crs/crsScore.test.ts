import { describe, expect, it } from 'vitest';
import type { CrsProfile, LanguageLevels } from '../../../src/core/crs/crsProfile.js';
import { crsScore } from '../../../src/core/crs/crsScore.js';

const clb = (n: number): LanguageLevels => ({ listening: n, reading: n, writing: n, speaking: n });
const levels = (listening: number, reading: number, writing: number, speaking: number): LanguageLevels => ({
  listening,
  reading,
  writing,
  speaking,
});
const profile = (changes: Partial<CrsProfile>): CrsProfile => ({
  age: 29,
  education: 'secondary',
  canadaWork: 0,
  foreignWork: 0,
  certificate: false,
  canadaStudy: 'none',
  sibling: false,
  nomination: false,
  ...changes,
});
const noSpouse = { education: 'none', canadaWork: 0 } as const;

// Worked out by hand from IRCC's grid; [core, spouse, transferability, additional], total.
const GOLDEN: ReadonlyArray<readonly [string, Partial<CrsProfile>, readonly [number, number, number, number], number]> = [
  // 110 + 135 + 124 | education 50 + foreign 50
  ['single, 29, masters, CLB 9, 3 years foreign', { education: 'masters', english: clb(9), foreignWork: 3 }, [369, 0, 100, 0], 469],
  // age 0 + 30 + 68
  ['age 17 scores nothing for age', { age: 17, english: clb(7) }, [98, 0, 0, 0], 98],
  // 99 + 30 + 68
  ['age 18, single', { age: 18, english: clb(7) }, [197, 0, 0, 0], 197],
  // 6 + 30 + 68
  ['age 44, single', { age: 44, english: clb(7) }, [104, 0, 0, 0], 104],
  // 0 + 30 + 68
  ['age 45 scores nothing for age', { age: 45, english: clb(7) }, [98, 0, 0, 0], 98],
  // 90 + 28 + 64 | spouse 0
  ['age 18, with a spouse', { age: 18, english: clb(7), spouse: noSpouse }, [182, 0, 0, 0], 182],
  // 5 + 28 + 64
  ['age 44, with a spouse', { age: 44, english: clb(7), spouse: noSpouse }, [97, 0, 0, 0], 97],
  // 110 + 0
  ['no education, no test', { education: 'none' }, [110, 0, 0, 0], 110],
  // 110 + 90 + 68 | education with CLB 7: 13
  ['one-year credential, CLB 7', { education: 'one-year', english: clb(7) }, [268, 0, 13, 0], 281],
  // 100 + 91 + 64 | spouse 8 + 20 + 10 | 13
  [
    'two-year credential with a spouse (bachelors, CLB 9, 5 years in Canada)',
    { education: 'two-year', english: clb(7), spouse: { education: 'bachelors', language: clb(9), canadaWork: 5 } },
    [255, 38, 13, 0],
    306,
  ],
  // 110 + 98 + 68 | 13
  ['the same without the spouse is scored as single', { education: 'two-year', english: clb(7) }, [276, 0, 13, 0], 289],
  // 110 + 30 + (23 + 9 + 6 + 34)
  ['mixed CLB 8/6/4/10, single', { english: levels(8, 6, 4, 10) }, [212, 0, 0, 0], 212],
  // 100 + 28 + (22 + 8 + 6 + 32)
  ['mixed CLB 8/6/4/10, with a spouse', { english: levels(8, 6, 4, 10), spouse: noSpouse }, [196, 0, 0, 0], 196],
  // 110 + 30 + 4 × 34
  ['CLB 12 scores as 10', { english: clb(12) }, [276, 0, 0, 0], 276],
  // 110 + 30 + 0
  ['CLB 3 scores nothing', { english: clb(3) }, [140, 0, 0, 0], 140],
  // 110 + 30 + 68 + 80 (7 years count as 5)
  ['7 years of Canadian work count as 5', { english: clb(7), canadaWork: 7 }, [288, 0, 0, 0], 288],
  // 100 + 28 + 64 + 56
  ['3 years of Canadian work, with a spouse', { english: clb(7), canadaWork: 3, spouse: noSpouse }, [248, 0, 0, 0], 248],
  // 110 + 30 + 124 + 24 (6 × 4, cap 24) | French 50
  ['English 9 and French 9, single: second language 24', { english: clb(9), french: clb(9) }, [288, 0, 0, 50], 338],
  // 100 + 28 + 116 + 22 (24 capped at 22) | French 50
  [
    'English 9 and French 9, with a spouse: second language capped at 22',
    { english: clb(9), french: clb(9), spouse: noSpouse },
    [266, 0, 0, 50],
    316,
  ],
  // 110 + 30 + 136 + (1 + 1 + 3 + 3)
  ['French 5/6/7/8 as second language', { english: clb(10), french: levels(5, 6, 7, 8) }, [284, 0, 0, 0], 284],
  // 110 + 30 + 92 (French first) + 4 (English 6 as second) | French with English 5+: 50
  ['French first because it earns more', { english: clb(6), french: clb(8) }, [236, 0, 0, 50], 286],
  // 110 + 30 + 36 (English forced first) + 12 (French 8 as second) | 50
  ['English forced first', { english: clb(6), french: clb(8), first: 'english' }, [188, 0, 0, 50], 238],
  // 110 + 30 + 68 | French without English: 25
  ['French only, NCLC 7', { french: clb(7) }, [208, 0, 0, 25], 233],
  // 110 + 30 + 68 + (0 + 1 + 1 + 1) | English 4 in one ability: 25
  ['French 7 with English CLB 4 in one ability', { french: clb(7), english: levels(4, 5, 5, 5) }, [211, 0, 0, 25], 236],
  // 110 + 30 + 68 + 4 | 50
  ['French 7 with English CLB 5', { french: clb(7), english: clb(5) }, [212, 0, 0, 50], 262],
  // 110 + 30 + 124 + (3 + 3 + 3 + 1) | NCLC 6 in one ability: no French points
  ['French 7/7/7/6 earns no French points', { english: clb(9), french: levels(7, 7, 7, 6) }, [274, 0, 0, 0], 274],
  // 110 + 120 + (17 + 23 + 31 + 31) | CLB 7+ (not all 9): 13
  ['bachelors with CLB 7/8/9/9', { education: 'bachelors', english: levels(7, 8, 9, 9) }, [332, 0, 13, 0], 345],
  // 110 + 120 + 68 + 40 | 13 + 13
  ['bachelors, CLB 7, 1 year in Canada', { education: 'bachelors', english: clb(7), canadaWork: 1 }, [338, 0, 26, 0], 364],
  // 110 + 135 + 124 + 53 | 50 + 50 capped at 50
  [
    'masters, CLB 9, 2 years in Canada: education pair capped at 50',
    { education: 'masters', english: clb(9), canadaWork: 2 },
    [422, 0, 50, 0],
    472,
  ],
  // 110 + 30 + 68 | foreign 1 year with CLB 7: 13
  ['1 year foreign, CLB 7', { english: clb(7), foreignWork: 1 }, [208, 0, 13, 0], 221],
  // 110 + 30 + 124 + 40 | 25 + 13
  ['2 years foreign, CLB 9, 1 year in Canada', { english: clb(9), foreignWork: 2, canadaWork: 1 }, [304, 0, 38, 0], 342],
  // 110 + 30 + 68 + 40 | 25 + 25
  ['3 years foreign, CLB 7, 1 year in Canada', { english: clb(7), foreignWork: 3, canadaWork: 1 }, [248, 0, 50, 0], 298],
  // 110 + 30 + 124 + 53 | 50 + 50 capped at 50
  [
    '3 years foreign, CLB 9, 2 years in Canada: foreign pair capped at 50',
    { english: clb(9), foreignWork: 3, canadaWork: 2 },
    [317, 0, 50, 0],
    367,
  ],
  // 422 | 50 + 50 + 50 capped at 100
  [
    'transferability capped at 100',
    { education: 'masters', english: clb(9), canadaWork: 2, foreignWork: 3, certificate: true },
    [422, 0, 100, 0],
    522,
  ],
  // 110 + 30 + (6 + 9 + 17 + 17) | certificate with CLB 5+ (one under 7): 25
  ['certificate with CLB 5/6/7/7', { english: levels(5, 6, 7, 7), certificate: true }, [189, 0, 25, 0], 214],
  // 110 + 30 + 68 | certificate with CLB 7+: 50
  ['certificate with CLB 7', { english: clb(7), certificate: true }, [208, 0, 50, 0], 258],
  // 110 + 30 + (6 + 17 + 17 + 17) | CLB 4 in one ability: 0
  ['certificate with CLB 4 in one ability', { english: levels(4, 7, 7, 7), certificate: true }, [197, 0, 0, 0], 197],
  // 208 | 15
  ['sibling', { english: clb(7), sibling: true }, [208, 0, 0, 15], 223],
  // 208 | 15
  ['1–2 year Canadian credential', { english: clb(7), canadaStudy: '1-2' }, [208, 0, 0, 15], 223],
  // 208 | 30 + 15
  ['3+ year Canadian credential and a sibling', { english: clb(7), canadaStudy: '3+', sibling: true }, [208, 0, 0, 45], 253],
  // 208 | 600
  ['provincial nomination', { english: clb(7), nomination: true }, [208, 0, 0, 600], 808],
  // 110 + 30 + 124 + 12 | 600 + 15 + 30 + 50 capped at 600
  [
    'additional points capped at 600',
    { english: clb(9), french: clb(7), nomination: true, sibling: true, canadaStudy: '3+' },
    [276, 0, 0, 600],
    876,
  ],
  // 110 + 150 + 136 + 24 + 80 | 100 | 600
  [
    'the most a single person can score: 1200',
    { age: 25, education: 'phd', english: clb(10), french: clb(10), canadaWork: 5, foreignWork: 3, certificate: true, nomination: true },
    [500, 0, 100, 600],
    1200,
  ],
  // 100 + 140 + 128 + 22 + 70 | 10 + 20 + 10 | 100 | 600
  [
    'the most with a spouse: 1200',
    {
      age: 25,
      education: 'phd',
      english: clb(10),
      french: clb(10),
      canadaWork: 5,
      foreignWork: 3,
      certificate: true,
      nomination: true,
      spouse: { education: 'phd', language: clb(10), canadaWork: 5 },
    },
    [460, 40, 100, 600],
    1200,
  ],
  // 100 + 28 + 64 | spouse 10 + (1 + 1 + 3 + 5) + 9
  [
    'spouse: masters, CLB 5/6/7/9, 4 years in Canada',
    { english: clb(7), spouse: { education: 'masters', language: levels(5, 6, 7, 9), canadaWork: 4 } },
    [192, 29, 0, 0],
    221,
  ],
  // 192 | spouse 10 + 0 + 0
  [
    'spouse: PhD, CLB 4, no Canadian work',
    { english: clb(7), spouse: { education: 'phd', language: clb(4), canadaWork: 0 } },
    [192, 10, 0, 0],
    202,
  ],
  // 110 + 30
  ['no language test at all', {}, [140, 0, 0, 0], 140],
];

describe('crsScore', () => {
  it.each(GOLDEN)('%s', (_name, changes, sections, total) => {
    const result = crsScore(profile(changes));
    expect(result.sections.map((section) => section.points)).toEqual(sections);
    expect(result.total).toBe(total);
  });

  it('lists the sections in order, with their titles and maxima, single', () => {
    const result = crsScore(profile({ english: clb(9) }));
    expect(result.withSpouse).toBe(false);
    expect(result.sections.map(({ key, title, max }) => [key, title, max])).toEqual([
      ['core', 'Core / human capital', 500],
      ['spouse', 'Spouse or partner', 0],
      ['transferability', 'Skill transferability', 100],
      ['additional', 'Additional points', 600],
    ]);
    expect(result.sections[1]!.lines).toEqual([]);
  });

  it('gives the core 460 and the spouse 40 with a spouse', () => {
    const result = crsScore(profile({ english: clb(9), spouse: noSpouse }));
    expect(result.withSpouse).toBe(true);
    expect(result.sections.map((section) => section.max)).toEqual([460, 40, 100, 600]);
  });

  it('writes a line per earning factor, with its maximum', () => {
    const result = crsScore(
      profile({ education: 'masters', english: clb(9), french: levels(7, 7, 8, 9), foreignWork: 3, canadaWork: 2, sibling: true }),
    );
    expect(result.sections[0]!.lines).toEqual([
      { factor: 'age', label: 'Age 29', points: 110, max: 110 },
      { factor: 'education', label: "Education: master's or professional degree", points: 135, max: 150 },
      { factor: 'firstLanguage', label: 'English (first language): CLB 9, 9, 9, 9', points: 124, max: 136 },
      { factor: 'secondLanguage', label: 'French (second language): NCLC 7, 7, 8, 9', points: 15, max: 24 },
      { factor: 'canadaWork', label: 'Canadian work: 2 years', points: 53, max: 80 },
    ]);
    expect(result.sections[2]!.lines).toEqual([
      { factor: 'transferEducation', label: 'Education with CLB 9+ in all four and 2+ years of Canadian work', points: 50, max: 50 },
      {
        factor: 'transferForeignWork',
        label: '3+ years of foreign work with CLB 9+ in all four and 2+ years of Canadian work',
        points: 50,
        max: 50,
      },
    ]);
    expect(result.sections[3]!.lines).toEqual([
      { factor: 'sibling', label: 'Sibling in Canada', points: 15, max: 15 },
      { factor: 'french', label: 'French NCLC 7+ and English CLB 5+', points: 50, max: 50 },
    ]);
  });

  it('leaves out factors that earned nothing', () => {
    const result = crsScore(profile({ age: 45, education: 'none', english: clb(3), spouse: noSpouse }));
    expect(result.sections.flatMap((section) => section.lines)).toEqual([]);
    expect(result.total).toBe(0);
  });

  it('labels the spouse lines and the certificate', () => {
    const result = crsScore(
      profile({ english: levels(5, 6, 7, 7), certificate: true, spouse: { education: 'bachelors', language: clb(7), canadaWork: 1 } }),
    );
    expect(result.sections[1]!.lines.map((line) => line.label)).toEqual([
      "Spouse's education: bachelor's degree or 3+ year program",
      "Spouse's first language: CLB 7, 7, 7, 7",
      "Spouse's Canadian work: 1 year",
    ]);
    expect(result.sections[2]!.lines.map((line) => line.label)).toEqual(['Certificate of qualification with CLB 5+ in all four']);
  });

  it('picks the first language by core points, English on a tie, or as told', () => {
    expect(crsScore(profile({ english: clb(6), french: clb(8) })).first).toBe('french');
    expect(crsScore(profile({ english: clb(8), french: clb(8) })).first).toBe('english');
    expect(crsScore(profile({ english: clb(6), french: clb(8), first: 'english' })).first).toBe('english');
    expect(crsScore(profile({ french: clb(7) })).first).toBe('french');
    expect(crsScore(profile({})).first).toBeUndefined();
  });

  it('scores transferability on the first language only', () => {
    // French NCLC 9 is second here (forced), English CLB 6 first: no language pairs.
    const result = crsScore(profile({ education: 'masters', english: clb(6), french: clb(9), first: 'english', foreignWork: 3 }));
    expect(result.sections[2]!.points).toBe(0);
  });
});
