import { CANADA_STUDY, type CrsProfile, EDUCATIONS, type Education, type LanguageLevels, type OfficialLanguage } from './crsProfile.js';
import { crsScore, firstLanguageOf } from './crsScore.js';

export interface CrsImprovement {
  /** A short sentence fragment, shown as "<change>: +N". */
  change: string;
  gain: number;
  /** The changed profile, as scored. */
  profile: CrsProfile;
}

const NAMES: Record<OfficialLanguage, string> = { english: 'English', french: 'French' };
const A_TEST: Record<OfficialLanguage, string> = { english: 'an English test', french: 'a French test' };
const UNITS: Record<OfficialLanguage, string> = { english: 'CLB', french: 'NCLC' };
const GOALS: Record<Education, string> = {
  none: 'no credential',
  secondary: 'a secondary school diploma',
  'one-year': 'a one-year post-secondary credential',
  'two-year': 'a two-year post-secondary credential',
  bachelors: "a bachelor's degree (or a 3+ year program)",
  'two-or-more': 'a second credential (one of 3+ years)',
  masters: "a master's or professional degree",
  phd: 'a doctorate (PhD)',
};
const STUDY_GOALS = { '1-2': 'a 1–2 year Canadian credential', '3+': 'a 3+ year Canadian credential' } as const;
/** Levels above 10 score as 10, so raising stops there. */
const TOP_LEVEL = 10;
/** The level a first test in the second language is suggested at: where its points start to count. */
const SECOND_TEST_LEVEL = 7;

/** A change worth scoring; `total` when the search that found it has scored it already. */
type Candidate = { change: string; profile: CrsProfile; total?: number };

const lowest = (levels: LanguageLevels) => Math.min(levels.listening, levels.reading, levels.writing, levels.speaking);
const atLeast = (levels: LanguageLevels | undefined, level: number): LanguageLevels => ({
  listening: Math.max(levels?.listening ?? 0, level),
  reading: Math.max(levels?.reading ?? 0, level),
  writing: Math.max(levels?.writing ?? 0, level),
  speaking: Math.max(levels?.speaking ?? 0, level),
});

/**
 * The first level above the weakest ability that, reached in every ability, scores more; the
 * candidate is that change, or nothing when no level up to 10 does.
 */
function nextLevel(
  base: number,
  levels: LanguageLevels | undefined,
  apply: (levels: LanguageLevels) => CrsProfile,
  describe: (from: number, to: number) => string,
): Candidate | undefined {
  const from = levels ? lowest(levels) : 0;
  for (let to = from + 1; to <= TOP_LEVEL; to++) {
    const profile = apply(atLeast(levels, to));
    const total = crsScore(profile, false).total;
    if (total > base) return { change: describe(from, to), profile, total };
  }
  return undefined;
}

/** The first step up a ladder (education, Canadian study) that scores more. */
function nextStep<T>(
  base: number,
  ladder: readonly T[],
  current: T,
  apply: (value: T) => CrsProfile,
  describe: (value: T) => string,
): Candidate | undefined {
  for (let i = ladder.indexOf(current) + 1; i < ladder.length; i++) {
    const profile = apply(ladder[i]!);
    const total = crsScore(profile, false).total;
    if (total > base) return { change: describe(ladder[i]!), profile, total };
  }
  return undefined;
}

function languageCandidate(base: number, profile: CrsProfile, language: OfficialLanguage, role: 'first' | 'second'): Candidate | undefined {
  const levels = profile[language];
  const unit = UNITS[language];
  const name = NAMES[language];
  // A first test in the second language is suggested at the level where it starts to pay.
  if (!levels && role === 'second') {
    const changed = { ...profile, [language]: atLeast(undefined, SECOND_TEST_LEVEL) };
    const total = crsScore(changed, false).total;
    return total > base
      ? { change: `${A_TEST[language]} at ${unit} ${SECOND_TEST_LEVEL} in every ability`, profile: changed, total }
      : undefined;
  }
  return nextLevel(
    base,
    levels,
    (raised) => ({ ...profile, [language]: raised }),
    (from, to) => (levels ? `${name} ${unit} ${from} → ${to} in every ability` : `${A_TEST[language]} at ${unit} ${to} in every ability`),
  );
}

/**
 * The changes that would raise the score most, each found by scoring the changed profile: gains
 * above 0 only, largest first, ties in the order the candidates are listed here. Age and a sibling
 * are not suggested (nobody can choose them). `base`: the profile's total, when the caller has it.
 */
export function crsImprovements(profile: CrsProfile, limit = 3, base = crsScore(profile, false).total): CrsImprovement[] {
  const candidates: Array<Candidate | undefined> = [];
  const first = firstLanguageOf(profile) ?? 'english';
  const second: OfficialLanguage = first === 'english' ? 'french' : 'english';

  candidates.push(languageCandidate(base, profile, first, 'first'));
  if (profile[first]) candidates.push(languageCandidate(base, profile, second, 'second'));
  candidates.push({ change: 'one more year of Canadian work', profile: { ...profile, canadaWork: profile.canadaWork + 1 } });
  const foreignTarget = profile.foreignWork < 1 ? 1 : profile.foreignWork < 3 ? 3 : undefined;
  if (foreignTarget !== undefined) {
    candidates.push({
      change: foreignTarget === 1 ? 'a year of skilled foreign work' : `3 years of skilled foreign work (now ${profile.foreignWork})`,
      profile: { ...profile, foreignWork: foreignTarget },
    });
  }
  candidates.push(
    nextStep(
      base,
      EDUCATIONS,
      profile.education,
      (education) => ({ ...profile, education }),
      (education) => GOALS[education],
    ),
  );
  candidates.push(
    nextStep(
      base,
      CANADA_STUDY,
      profile.canadaStudy,
      (canadaStudy) => ({ ...profile, canadaStudy }),
      (study) => STUDY_GOALS[study as keyof typeof STUDY_GOALS],
    ),
  );
  if (!profile.nomination) candidates.push({ change: 'a provincial nomination', profile: { ...profile, nomination: true } });
  const spouse = profile.spouse;
  if (spouse) {
    candidates.push(
      nextLevel(
        base,
        spouse.language,
        (language) => ({ ...profile, spouse: { ...spouse, language } }),
        (from, to) =>
          spouse.language ? `your spouse's CLB ${from} → ${to} in every ability` : `a language test for your spouse at CLB ${to}`,
      ),
    );
    candidates.push(
      nextStep(
        base,
        EDUCATIONS,
        spouse.education,
        (education) => ({ ...profile, spouse: { ...spouse, education } }),
        (education) => `${GOALS[education]} for your spouse`,
      ),
    );
    candidates.push({
      change: 'one more year of Canadian work for your spouse',
      profile: { ...profile, spouse: { ...spouse, canadaWork: spouse.canadaWork + 1 } },
    });
  }

  const improvements: CrsImprovement[] = [];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const gain = (candidate.total ?? crsScore(candidate.profile, false).total) - base;
    if (gain > 0) improvements.push({ change: candidate.change, gain, profile: candidate.profile });
  }
  // Array.prototype.sort is stable, so equal gains keep the candidates' order.
  return improvements.sort((a, b) => b.gain - a.gain).slice(0, limit);
}
