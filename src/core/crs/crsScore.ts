import { type CanadaStudy, type CrsProfile, EDUCATION_LABELS, type LanguageLevels, type OfficialLanguage } from './crsProfile.js';
import {
  ADDITIONAL_CAP,
  AGE_POINTS,
  CANADA_STUDY_POINTS,
  CANADA_WORK_POINTS,
  CORE_MAX,
  EDUCATION_POINTS,
  FIRST_LANGUAGE_POINTS,
  FRENCH_POINTS,
  NOMINATION_POINTS,
  SECOND_LANGUAGE_POINTS,
  SIBLING_POINTS,
  SPOUSE_POINTS,
  type SpouseSteps,
  type Steps,
  TOTAL_CAP,
  TRANSFERABILITY,
} from './crsRules.js';

export type CrsSectionKey = 'core' | 'spouse' | 'transferability' | 'additional';
/** label e.g. "Age 29", "English (first language): CLB 9, 9, 9, 9". */
export interface CrsLine {
  factor: string;
  label: string;
  points: number;
  max: number;
}
/** `lines` holds only the factors that earned points. */
export interface CrsSection {
  key: CrsSectionKey;
  title: string;
  points: number;
  max: number;
  lines: CrsLine[];
}
/**
 * Sections always come in the order core, spouse, transferability, additional; a single applicant's
 * spouse section is there with 0 points out of 0 and no lines.
 */
export interface CrsResult {
  total: number;
  sections: CrsSection[];
  /** The language scored as first official language; undefined when there is no test at all. */
  first?: OfficialLanguage;
  withSpouse: boolean;
}

const ABILITIES = ['listening', 'reading', 'writing', 'speaking'] as const;

function spouseStep(steps: SpouseSteps, count: number, withSpouse: boolean): number {
  let points = 0;
  for (const [from, paired, single] of steps) {
    if (count < from) break;
    points = withSpouse ? paired : single;
  }
  return points;
}

function step(steps: Steps, count: number): number {
  let points = 0;
  for (const [from, value] of steps) {
    if (count < from) break;
    points = value;
  }
  return points;
}

/** How many of the thresholds `count` reaches. */
function band(thresholds: readonly number[], count: number): number {
  let reached = 0;
  for (const threshold of thresholds) if (count >= threshold) reached++;
  return reached;
}

/** The weakest of the four abilities, 0 without a test. */
function lowest(levels: LanguageLevels | undefined): number {
  return levels ? Math.min(levels.listening, levels.reading, levels.writing, levels.speaking) : 0;
}

function perAbility(levels: LanguageLevels | undefined, points: (level: number) => number): number {
  if (!levels) return 0;
  let sum = 0;
  for (const ability of ABILITIES) sum += points(levels[ability]);
  return sum;
}

const firstLanguagePoints = (levels: LanguageLevels | undefined, withSpouse: boolean) =>
  perAbility(levels, (level) => spouseStep(FIRST_LANGUAGE_POINTS.steps, level, withSpouse));

/** `first` when given, else the language with more core points (ties: English); undefined without any test. */
export function firstLanguageOf(profile: CrsProfile): OfficialLanguage | undefined {
  if (profile.first) return profile.first;
  if (!profile.english) return profile.french ? 'french' : undefined;
  if (!profile.french) return 'english';
  const withSpouse = profile.spouse !== undefined;
  return firstLanguagePoints(profile.french, withSpouse) > firstLanguagePoints(profile.english, withSpouse) ? 'french' : 'english';
}

const maxOf = (steps: SpouseSteps, withSpouse: boolean) => Math.max(...steps.map(([, paired, single]) => (withSpouse ? paired : single)));
/** Each core factor's most, worked out once from the tables: [with a spouse, single]. */
const CORE_FACTOR_MAX = {
  age: [maxOf(AGE_POINTS.steps, true), maxOf(AGE_POINTS.steps, false)],
  education: EDUCATION_POINTS.points.phd,
  firstLanguage: [4 * maxOf(FIRST_LANGUAGE_POINTS.steps, true), 4 * maxOf(FIRST_LANGUAGE_POINTS.steps, false)],
  canadaWork: [maxOf(CANADA_WORK_POINTS.steps, true), maxOf(CANADA_WORK_POINTS.steps, false)],
} as const;
const LANGUAGE_NAMES: Record<OfficialLanguage, string> = { english: 'English', french: 'French' };
const UNITS: Record<OfficialLanguage, string> = { english: 'CLB', french: 'NCLC' };
const STUDY_TEXT: Record<CanadaStudy, string> = { none: 'none', '1-2': '1–2 years', '3+': '3+ years' };
const SPOUSE_MAX = {
  education: Math.max(...Object.values(SPOUSE_POINTS.education)),
  language: 4 * step(SPOUSE_POINTS.language, Number.POSITIVE_INFINITY),
  canadaWork: step(SPOUSE_POINTS.canadaWork, Number.POSITIVE_INFINITY),
};
const years = (count: number) => (count === 1 ? '1 year' : `${count} years`);
const levelsText = (levels: LanguageLevels) => `${levels.listening}, ${levels.reading}, ${levels.writing}, ${levels.speaking}`;

/** A section's points as they are added up, and its lines when they are wanted (labels are what costs). */
interface Lines {
  detail: boolean;
  points: number;
  list: CrsLine[];
}

const linesOf = (detail: boolean): Lines => ({ detail, points: 0, list: [] });

/** Adds a factor's points; its line (and label) only when the breakdown is wanted. */
function line(lines: Lines, factor: string, label: string | (() => string), points: number, max: number): number {
  if (points > 0) {
    lines.points += points;
    if (lines.detail) lines.list.push({ factor, label: typeof label === 'string' ? label : label(), points, max });
  }
  return points;
}

function section(key: CrsSectionKey, title: string, max: number, lines: Lines, cap = max): CrsSection {
  return { key, title, points: Math.min(lines.points, cap), max, lines: lines.list };
}

/**
 * A profile's Comprehensive Ranking System score, section by section. `detail` false leaves the
 * sections without lines: the what-ifs score dozens of changed profiles and need the totals only.
 */
export function crsScore(profile: CrsProfile, detail = true): CrsResult {
  const withSpouse = profile.spouse !== undefined;
  const first = firstLanguageOf(profile);
  const firstLevels = first === 'english' ? profile.english : first === 'french' ? profile.french : undefined;
  const second: OfficialLanguage = first === 'french' ? 'english' : 'french';
  const secondLevels = first === undefined ? undefined : second === 'english' ? profile.english : profile.french;
  const pick = (paired: number, single: number) => (withSpouse ? paired : single);

  const core = linesOf(detail);
  line(core, 'age', () => `Age ${profile.age}`, spouseStep(AGE_POINTS.steps, profile.age, withSpouse), pick(...CORE_FACTOR_MAX.age));
  const [educationPaired, educationSingle] = EDUCATION_POINTS.points[profile.education];
  line(
    core,
    'education',
    () => `Education: ${EDUCATION_LABELS[profile.education]}`,
    pick(educationPaired, educationSingle),
    pick(...CORE_FACTOR_MAX.education),
  );
  if (first && firstLevels) {
    line(
      core,
      'firstLanguage',
      () => `${LANGUAGE_NAMES[first]} (first language): ${UNITS[first]} ${levelsText(firstLevels)}`,
      firstLanguagePoints(firstLevels, withSpouse),
      pick(...CORE_FACTOR_MAX.firstLanguage),
    );
  }
  if (secondLevels) {
    const cap = pick(SECOND_LANGUAGE_POINTS.cap.withSpouse, SECOND_LANGUAGE_POINTS.cap.single);
    line(
      core,
      'secondLanguage',
      () => `${LANGUAGE_NAMES[second]} (second language): ${UNITS[second]} ${levelsText(secondLevels)}`,
      Math.min(
        cap,
        perAbility(secondLevels, (level) => step(SECOND_LANGUAGE_POINTS.steps, level)),
      ),
      cap,
    );
  }
  line(
    core,
    'canadaWork',
    () => `Canadian work: ${years(profile.canadaWork)}`,
    spouseStep(CANADA_WORK_POINTS.steps, profile.canadaWork, withSpouse),
    pick(...CORE_FACTOR_MAX.canadaWork),
  );

  const spouseLines = linesOf(detail);
  const spouse = profile.spouse;
  if (spouse) {
    line(
      spouseLines,
      'spouseEducation',
      () => `Spouse's education: ${EDUCATION_LABELS[spouse.education]}`,
      SPOUSE_POINTS.education[spouse.education],
      SPOUSE_MAX.education,
    );
    const language = spouse.language;
    if (language) {
      const points = perAbility(language, (level) => step(SPOUSE_POINTS.language, level));
      line(spouseLines, 'spouseLanguage', () => `Spouse's first language: CLB ${levelsText(language)}`, points, SPOUSE_MAX.language);
    }
    line(
      spouseLines,
      'spouseCanadaWork',
      () => `Spouse's Canadian work: ${years(spouse.canadaWork)}`,
      step(SPOUSE_POINTS.canadaWork, spouse.canadaWork),
      SPOUSE_MAX.canadaWork,
    );
  }

  const transfer = linesOf(detail);
  const rules = TRANSFERABILITY;
  const weakest = lowest(firstLevels);
  const unit = first ? UNITS[first] : 'CLB';
  const languageBand = band(rules.languageBands, weakest);
  const canadaBand = band(rules.canadaWorkBands, profile.canadaWork);
  const foreignBand = band(rules.foreignWorkBands, profile.foreignWork);
  const languageText = `${unit} ${rules.languageBands[languageBand - 1]}+ in all four`;
  const canadaText = `${canadaBand === 1 ? '1 year' : `${rules.canadaWorkBands[1]}+ years`} of Canadian work`;
  const pairLabel = (subject: string, withLanguage: number, withCanada: number) =>
    `${subject} with ${[withLanguage > 0 ? languageText : '', withCanada > 0 ? canadaText : ''].filter(Boolean).join(' and ')}`;

  const tier = rules.educationTiers[profile.education];
  const educationLanguage = rules.education.withLanguage[tier]![languageBand]!;
  const educationCanada = rules.education.withCanadaWork[tier]![canadaBand]!;
  line(
    transfer,
    'transferEducation',
    () => pairLabel('Education', educationLanguage, educationCanada),
    Math.min(rules.education.cap, educationLanguage + educationCanada),
    rules.education.cap,
  );
  const foreignLanguage = rules.foreignWork.withLanguage[foreignBand]![languageBand]!;
  const foreignCanada = rules.foreignWork.withCanadaWork[foreignBand]![canadaBand]!;
  const foreignText =
    foreignBand === 1 ? `${rules.foreignWorkBands[0]}–${rules.foreignWorkBands[1]! - 1} years` : `${rules.foreignWorkBands[1]}+ years`;
  line(
    transfer,
    'transferForeignWork',
    () => pairLabel(`${foreignText} of foreign work`, foreignLanguage, foreignCanada),
    Math.min(rules.foreignWork.cap, foreignLanguage + foreignCanada),
    rules.foreignWork.cap,
  );
  if (profile.certificate) {
    const certificateBand = band(rules.certificate.languageBands, weakest);
    line(
      transfer,
      'transferCertificate',
      () => `Certificate of qualification with ${unit} ${rules.certificate.languageBands[certificateBand - 1]}+ in all four`,
      Math.min(rules.certificate.cap, rules.certificate.points[certificateBand]!),
      rules.certificate.cap,
    );
  }

  const additional = linesOf(detail);
  if (profile.nomination) line(additional, 'nomination', 'Provincial nomination', NOMINATION_POINTS.points, NOMINATION_POINTS.points);
  if (profile.sibling) line(additional, 'sibling', 'Sibling in Canada', SIBLING_POINTS.points, SIBLING_POINTS.points);
  line(
    additional,
    'canadaStudy',
    () => `Canadian credential: ${STUDY_TEXT[profile.canadaStudy]}`,
    CANADA_STUDY_POINTS.points[profile.canadaStudy],
    CANADA_STUDY_POINTS.points['3+'],
  );
  if (lowest(profile.french) >= FRENCH_POINTS.minFrench) {
    const withEnglish = lowest(profile.english) >= FRENCH_POINTS.minEnglish;
    line(
      additional,
      'french',
      withEnglish
        ? `French NCLC ${FRENCH_POINTS.minFrench}+ and English CLB ${FRENCH_POINTS.minEnglish}+`
        : `French NCLC ${FRENCH_POINTS.minFrench}+ (English below CLB ${FRENCH_POINTS.minEnglish} or no test)`,
      withEnglish ? FRENCH_POINTS.withEnglish : FRENCH_POINTS.withoutEnglish,
      FRENCH_POINTS.withEnglish,
    );
  }

  const sections = [
    section('core', 'Core / human capital', pick(CORE_MAX.withSpouse, CORE_MAX.single), core),
    section('spouse', 'Spouse or partner', withSpouse ? SPOUSE_POINTS.max : 0, spouseLines),
    section('transferability', 'Skill transferability', rules.cap, transfer),
    section('additional', 'Additional points', ADDITIONAL_CAP, additional),
  ];
  let total = 0;
  for (const each of sections) total += each.points;
  return { total: Math.min(total, TOTAL_CAP), sections, first, withSpouse };
}
