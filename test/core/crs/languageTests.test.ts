import { describe, expect, it } from 'vitest';
import { LANGUAGE_TESTS, type LanguageTest, testLanguage, toLevels } from '../../../src/core/crs/languageTests.js';
import { UserError } from '../../../src/domain/userError.js';

type Four = readonly [number, number, number, number];

// IRCC's equivalency charts, typed again here from the published tables: each level's lowest score
// per ability (listening, reading, writing, speaking), CLB/NCLC 10 down to 4, and the test's step.
const CHARTS: Record<LanguageTest, { step: number; minimums: readonly Four[] }> = {
  ielts: {
    step: 0.5,
    minimums: [
      [8.5, 8, 7.5, 7.5],
      [8, 7, 7, 7],
      [7.5, 6.5, 6.5, 6.5],
      [6, 6, 6, 6],
      [5.5, 5, 5.5, 5.5],
      [5, 4, 5, 5],
      [4.5, 3.5, 4, 4],
    ],
  },
  celpip: {
    step: 1,
    minimums: [
      [10, 10, 10, 10],
      [9, 9, 9, 9],
      [8, 8, 8, 8],
      [7, 7, 7, 7],
      [6, 6, 6, 6],
      [5, 5, 5, 5],
      [4, 4, 4, 4],
    ],
  },
  pte: {
    step: 1,
    minimums: [
      [89, 88, 90, 89],
      [82, 78, 88, 84],
      [71, 69, 79, 76],
      [60, 60, 69, 68],
      [50, 51, 60, 59],
      [39, 42, 51, 51],
      [28, 33, 41, 42],
    ],
  },
  tef: {
    step: 1,
    minimums: [
      [546, 546, 558, 556],
      [503, 503, 512, 518],
      [462, 462, 472, 494],
      [434, 434, 428, 456],
      [393, 393, 379, 422],
      [352, 352, 330, 387],
      [306, 306, 268, 328],
    ],
  },
  tcf: {
    step: 1,
    minimums: [
      [549, 549, 16, 16],
      [523, 524, 14, 14],
      [503, 499, 12, 12],
      [458, 453, 10, 10],
      [398, 406, 7, 7],
      [369, 375, 6, 6],
      [331, 342, 4, 4],
    ],
  },
};
const ABILITIES = ['listening', 'reading', 'writing', 'speaking'] as const;
// Scores comfortably at level 10 in every ability, to vary one ability at a time.
const TOP: Record<LanguageTest, Four> = {
  ielts: [9, 9, 9, 9],
  celpip: [12, 12, 12, 12],
  pte: [90, 90, 90, 90],
  tef: [699, 699, 699, 699],
  tcf: [699, 699, 20, 20],
};

const edges = LANGUAGE_TESTS.flatMap((test) =>
  CHARTS[test].minimums.flatMap((row, index) =>
    ABILITIES.map((ability, at) => ({ test, ability, at, level: 10 - index, minimum: row[at]!, step: CHARTS[test].step })),
  ),
);

describe('toLevels', () => {
  it.each(edges)(
    '$test $ability: $minimum is level $level, one step below is a level lower',
    ({ test, ability, at, level, minimum, step }) => {
      const scores = (score: number) => TOP[test].map((each, i) => (i === at ? score : each)) as unknown as Four;
      expect(toLevels(test, scores(minimum))[ability]).toBe(level);
      expect(toLevels(test, scores(minimum - step))[ability]).toBe(level === 4 ? 0 : level - 1);
    },
  );

  it('gives every ability its own level, in the order listening, reading, writing, speaking', () => {
    expect(toLevels('ielts', [8, 6.5, 6, 7.5])).toEqual({ listening: 9, reading: 8, writing: 7, speaking: 10 });
    expect(toLevels('tcf', [460, 500, 12, 4])).toEqual({ listening: 7, reading: 8, writing: 8, speaking: 4 });
  });

  it('scores CELPIP 11 and 12 as CLB 10, and anything under level 4 as 0', () => {
    expect(toLevels('celpip', [11, 12, 3, 0])).toEqual({ listening: 10, reading: 10, writing: 0, speaking: 0 });
    expect(toLevels('pte', [10, 10, 10, 10])).toEqual({ listening: 0, reading: 0, writing: 0, speaking: 0 });
  });

  it.each([
    ['ielts', [9.5, 7, 7, 7], 'IELTS scores run from 0 to 9 in steps of 0.5 (listening was 9.5)'],
    ['ielts', [7, 6.3, 7, 7], 'IELTS scores run from 0 to 9 in steps of 0.5 (reading was 6.3)'],
    ['ielts', [7, 7, -0.5, 7], 'IELTS scores run from 0 to 9 in steps of 0.5 (writing was -0.5)'],
    ['celpip', [7, 7, 7, 13], 'CELPIP scores run from 0 to 12 in whole numbers (speaking was 13)'],
    ['celpip', [7.5, 7, 7, 7], 'CELPIP scores run from 0 to 12 in whole numbers (listening was 7.5)'],
    ['pte', [60, 9, 60, 60], 'PTE Core scores run from 10 to 90 in whole numbers (reading was 9)'],
    ['pte', [60, 60, 91, 60], 'PTE Core scores run from 10 to 90 in whole numbers (writing was 91)'],
    ['tef', [700, 500, 500, 500], 'TEF Canada scores run from 0 to 699 in whole numbers (listening was 700)'],
    ['tcf', [500, 500, 21, 10], 'TCF Canada writing scores run from 0 to 20 in whole numbers (writing was 21)'],
    ['tcf', [500, 700, 10, 10], 'TCF Canada reading scores run from 0 to 699 in whole numbers (reading was 700)'],
    ['tcf', [500, 500, 10, Number.NaN], 'TCF Canada speaking scores run from 0 to 20 in whole numbers (speaking was NaN)'],
  ] as const)('%s %j is refused: %s', (test, scores, message) => {
    expect(() => toLevels(test, scores)).toThrow(UserError);
    expect(() => toLevels(test, scores)).toThrow(message);
  });
});

describe('testLanguage', () => {
  it('names the language each test measures', () => {
    expect(LANGUAGE_TESTS.map((test) => [test, testLanguage(test)])).toEqual([
      ['ielts', 'english'],
      ['celpip', 'english'],
      ['pte', 'english'],
      ['tef', 'french'],
      ['tcf', 'french'],
    ]);
  });
});
