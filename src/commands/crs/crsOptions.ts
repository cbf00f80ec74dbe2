import { z } from 'zod';
import { CANADA_STUDY, type CanadaStudy, EDUCATIONS, type Education, type LanguageLevels } from '../../core/crs/crsProfile.js';
import { type LanguageTest, toLevels } from '../../core/crs/languageTests.js';
import { UserError } from '../../domain/userError.js';
import { integerOption, type OptionMeta, resolving } from '../options.js';

/** Loose spellings of each education level, as typed after `education=` (lower case, apostrophes and "degree" dropped). */
const EDUCATION_WORDS: Record<string, Education> = {
  ...Object.fromEntries(EDUCATIONS.map((e) => [e, e])),
  'less-than-secondary': 'none',
  nothing: 'none',
  'high-school': 'secondary',
  highschool: 'secondary',
  'secondary-school': 'secondary',
  '1-year': 'one-year',
  'one-year-diploma': 'one-year',
  '2-year': 'two-year',
  'two-year-diploma': 'two-year',
  bachelor: 'bachelors',
  ba: 'bachelors',
  bsc: 'bachelors',
  bs: 'bachelors',
  beng: 'bachelors',
  btech: 'bachelors',
  undergraduate: 'bachelors',
  undergrad: 'bachelors',
  '3-year': 'bachelors',
  'three-year': 'bachelors',
  '2-or-more': 'two-or-more',
  'two-or-more-credentials': 'two-or-more',
  two: 'two-or-more',
  double: 'two-or-more',
  master: 'masters',
  ma: 'masters',
  msc: 'masters',
  ms: 'masters',
  mba: 'masters',
  meng: 'masters',
  mtech: 'masters',
  professional: 'masters',
  doctorate: 'phd',
  doctoral: 'phd',
  doctor: 'phd',
  dphil: 'phd',
};

const YES = new Set(['yes', 'y', 'true', '1', 'on']);
const NO = new Set(['no', 'n', 'false', '0', 'off', 'none']);

/** "Master's degree" → "masters", "high school" → "high-school". */
function looseWord(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/['’.]/g, '')
    .replace(/[\s_]+/g, '-')
    .replace(/-(degree|diploma-or-certificate|program|programme)$/, '');
}

/** A string option read by `read`, whose UserError becomes the option's message. */
function stringOption<T>(meta: Omit<OptionMeta, 'kind'>, message: string, read: (value: string) => T) {
  return z
    .string({ error: message })
    .max(60, { error: message })
    .transform(resolving(read))
    .optional()
    .meta({ kind: 'string', ...meta } satisfies OptionMeta as unknown as Record<string, unknown>);
}

function educationOf(option: string, whose: string) {
  const message = `${option} must be one of ${EDUCATIONS.join(', ')} (e.g. ${option}=masters)`;
  return stringOption({ description: `${whose} highest education, e.g. masters`, choices: EDUCATIONS }, message, (value) => {
    const education = EDUCATION_WORDS[looseWord(value)];
    if (!education) throw new UserError(message);
    return education;
  });
}

function yesNo(option: string, description: string) {
  const message = `${option} must be yes or no (e.g. ${option}=yes)`;
  return stringOption({ description, choices: ['yes', 'no'] }, message, (value) => {
    const word = looseWord(value);
    if (YES.has(word)) return true;
    if (NO.has(word)) return false;
    throw new UserError(message);
  });
}

/** Whole years of work; IRCC counts full years only, so 2.5 is 2. */
function years(option: string, description: string) {
  const message = `${option} must be a number of years from 0 to 50 (e.g. ${option}=2)`;
  return stringOption({ description }, message, (value) => {
    const typed = value.trim().replace(/\+$/, '');
    const n = /^\d{1,2}(\.\d+)?$/.test(typed) ? Math.floor(Number(typed)) : Number.NaN;
    if (!(n >= 0 && n <= 50)) throw new UserError(message);
    return n;
  });
}

const ABILITIES = 'listening,reading,writing,speaking';

/** "9" (all four abilities) or "9,8,9,9" (listening, reading, writing, speaking); "clb 9" and "nclc7" too. */
function levels(option: string, scale: 'CLB' | 'NCLC', whose = 'Your') {
  const message = `${option} must be a ${scale} level from 0 to 12 for all four abilities (${option}=9) or four levels in the order ${ABILITIES} (${option}=9,8,9,9)`;
  return stringOption(
    { description: `${whose} ${scale} level: one for all four (9) or four (listening, reading, writing, speaking)` },
    message,
    (value) => readLevels(value.replace(/^\s*(clb|nclc)\s*/i, ''), message),
  );
}

function readLevels(value: string, message: string): LanguageLevels {
  const parts = value.split(/[\s,;/]+/).filter(Boolean);
  if (parts.length !== 1 && parts.length !== 4) throw new UserError(message);
  const numbers = parts.map((part) => (/^\d{1,2}$/.test(part) ? Number(part) : Number.NaN));
  if (numbers.some((n) => !(n >= 0 && n <= 12))) throw new UserError(message);
  const [listening, reading, writing, speaking] = numbers.length === 1 ? [numbers[0]!, numbers[0]!, numbers[0]!, numbers[0]!] : numbers;
  return { listening: listening!, reading: reading!, writing: writing!, speaking: speaking! };
}

const TEST_NAMES: Record<LanguageTest, string> = {
  ielts: 'IELTS General Training',
  celpip: 'CELPIP-General',
  pte: 'PTE Core',
  tef: 'TEF Canada',
  tcf: 'TCF Canada',
};
const TEST_EXAMPLES: Record<LanguageTest, string> = {
  ielts: '8,7,7,7',
  celpip: '10,9,9,9',
  pte: '84,80,88,84',
  tef: '520,510,530,520',
  tcf: '530,530,14,14',
};

/** A test's four scores (or one for all four), converted with IRCC's equivalency chart. */
function testScores(test: LanguageTest) {
  const example = `${test}=${TEST_EXAMPLES[test]}`;
  const message = `${test} must be four ${TEST_NAMES[test]} scores in the order ${ABILITIES} (e.g. ${example})`;
  return stringOption({ description: `${TEST_NAMES[test]} scores: ${ABILITIES}, e.g. ${TEST_EXAMPLES[test]}` }, message, (value) => {
    const parts = value.split(/[\s,;/]+/).filter(Boolean);
    if (parts.length !== 1 && parts.length !== 4) throw new UserError(message);
    const scores = parts.map((part) => (/^\d{1,3}(\.\d)?$/.test(part) ? Number(part) : Number.NaN));
    if (scores.some(Number.isNaN)) throw new UserError(message);
    const four = (scores.length === 1 ? [scores[0], scores[0], scores[0], scores[0]] : scores) as [number, number, number, number];
    return toLevels(test, four);
  });
}

function oneOf<const T extends string>(option: string, description: string, values: readonly T[], words: Record<string, T>) {
  const message = `${option} must be one of ${values.join(', ')} (e.g. ${option}=${values[1] ?? values[0]})`;
  return stringOption({ description, choices: values }, message, (value) => {
    const found = words[looseWord(value)];
    if (!found) throw new UserError(message);
    return found;
  });
}

const STUDY_WORDS: Record<string, CanadaStudy> = {
  ...Object.fromEntries(CANADA_STUDY.map((s) => [s, s])),
  no: 'none',
  '0': 'none',
  '1': '1-2',
  '2': '1-2',
  '1-or-2': '1-2',
  '3': '3+',
  '4': '3+',
  '3-or-more': '3+',
};

export const SPOUSE = ['no', 'yes', 'canadian'] as const;
export type SpouseAnswer = (typeof SPOUSE)[number];
const SPOUSE_WORDS: Record<string, SpouseAnswer> = {
  no: 'no',
  none: 'no',
  single: 'no',
  'not-coming': 'no',
  yes: 'yes',
  coming: 'yes',
  accompanying: 'yes',
  canadian: 'canadian',
  citizen: 'canadian',
  pr: 'canadian',
  'permanent-resident': 'canadian',
};

/** /crs's options, in the order positional words fill them: `/crs 29 masters 9` is age, education, English. */
export const crsOptions = z.strictObject({
  age: integerOption({ description: 'Your age in years', min: 0, max: 120, label: 'age' }).optional(),
  education: educationOf('education', 'Your'),
  english: levels('english', 'CLB'),
  french: levels('french', 'NCLC'),
  ielts: testScores('ielts'),
  celpip: testScores('celpip'),
  pte: testScores('pte'),
  tef: testScores('tef'),
  tcf: testScores('tcf'),
  canada_work: years('canada_work', 'Years of skilled work in Canada'),
  foreign_work: years('foreign_work', 'Years of skilled work outside Canada (last 10 years)'),
  certificate: yesNo('certificate', 'A Canadian trade certificate of qualification'),
  canada_study: oneOf('canada_study', 'Post-secondary study in Canada: none, 1-2 or 3+ years', CANADA_STUDY, STUDY_WORDS),
  sibling: yesNo('sibling', 'A brother or sister in Canada (citizen or PR)'),
  nomination: yesNo('nomination', 'A provincial or territorial nomination'),
  spouse: oneOf('spouse', 'A spouse or partner coming with you: no, yes, or canadian (citizen/PR)', SPOUSE, SPOUSE_WORDS),
  spouse_education: educationOf('spouse_education', "Your spouse's"),
  spouse_english: levels('spouse_english', 'CLB', "Your spouse's"),
  spouse_french: levels('spouse_french', 'NCLC', "Your spouse's"),
  spouse_canada_work: years('spouse_canada_work', "Your spouse's years of skilled work in Canada"),
  first: oneOf('first', 'Your first official language (default: the one scoring more)', ['english', 'french'] as const, {
    english: 'english',
    en: 'english',
    french: 'french',
    fr: 'french',
  }),
  job_offer: yesNo('job_offer', 'A job offer (it no longer earns CRS points)'),
  save: yesNo('save', 'Save the score in your /profile (private chats)'),
});

export type CrsOptions = z.output<typeof crsOptions>;
