import { UserError } from '../../domain/userError.js';
import type { LanguageLevels, OfficialLanguage } from './crsProfile.js';
import { LANGUAGE_TEST_CHARTS, type LanguageTest, type Scale } from './languageTestCharts.js';

export { LANGUAGE_TESTS, type LanguageTest } from './languageTestCharts.js';

const ABILITIES = ['listening', 'reading', 'writing', 'speaking'] as const;

/** The official language a test measures. */
export function testLanguage(test: LanguageTest): OfficialLanguage {
  return LANGUAGE_TEST_CHARTS[test].language;
}

const sameScale = (a: Scale, b: Scale) => a.min === b.min && a.max === b.max && a.step === b.step;
const onScale = (score: number, scale: Scale) =>
  Number.isFinite(score) && score >= scale.min && score <= scale.max && Number.isInteger((score - scale.min) / scale.step);

/**
 * CLB/NCLC levels from a test's scores, given in the order listening, reading, writing, speaking;
 * a score below the level 4 minimum is 0. Throws a UserError for a score off the test's scale.
 */
export function toLevels(test: LanguageTest, scores: readonly [number, number, number, number]): LanguageLevels {
  const chart = LANGUAGE_TEST_CHARTS[test];
  const levels = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const score = scores[i]!;
    const scale = chart.scales[i]!;
    if (!onScale(score, scale)) {
      const ability = ABILITIES[i]!;
      const which = chart.scales.every((each) => sameScale(each, scale)) ? chart.name : `${chart.name} ${ability}`;
      const steps = scale.step === 1 ? 'in whole numbers' : `in steps of ${scale.step}`;
      throw new UserError(`${which} scores run from ${scale.min} to ${scale.max} ${steps} (${ability} was ${score})`);
    }
    for (const row of chart.minimums) {
      if (score >= row[i + 1]!) {
        levels[i] = row[0];
        break;
      }
    }
  }
  const [listening, reading, writing, speaking] = levels as [number, number, number, number];
  return { listening, reading, writing, speaking };
}
