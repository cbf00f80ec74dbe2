import type { CrsProfile, LanguageLevels } from '../../core/crs/crsProfile.js';
import { ARRANGED_EMPLOYMENT_REMOVED } from '../../core/crs/crsRules.js';
import { crsScore } from '../../core/crs/crsScore.js';
import { formatDate } from '../../core/format.js';
import { UserError } from '../../domain/userError.js';
import type { CrsOptions } from './crsOptions.js';

export const CRS_EXAMPLE = '/crs age=29 education=masters english=9 foreign_work=3';

/** What /crs read from its options: the profile to score, and what the asker should know about how it was read. */
export interface ReadCrs {
  profile: CrsProfile;
  notes: string[];
}

export const JOB_OFFER_NOTE = `A job offer no longer earns CRS points: IRCC removed the points for arranged employment on ${formatDate(ARRANGED_EMPLOYMENT_REMOVED)}.`;

/** One language's levels from at most one source: `english=9` or one test's scores. */
function oneSource(language: string, sources: Array<[string, LanguageLevels | undefined]>): LanguageLevels | undefined {
  const given = sources.filter(([, levels]) => levels !== undefined);
  if (given.length > 1) {
    const [first, second] = given.map(([name]) => `${name}=`);
    throw new UserError(`Give your ${language} once: ${first} or ${second}, not both — e.g. ${CRS_EXAMPLE}.`);
  }
  return given[0]?.[1];
}

/**
 * The CrsProfile the options describe. Age and education are needed (without them the score would
 * mislead); everything else defaults to what earns nothing, and a note says so where it matters.
 */
export function readCrsOptions(o: CrsOptions): ReadCrs {
  if (o.age === undefined || o.education === undefined) {
    throw new UserError(`Give at least your age and education, e.g. ${CRS_EXAMPLE}; /help crs lists every option.`);
  }
  const notes: string[] = [];
  const english = oneSource('English', [
    ['english', o.english],
    ['ielts', o.ielts],
    ['celpip', o.celpip],
    ['pte', o.pte],
  ]);
  const french = oneSource('French', [
    ['french', o.french],
    ['tef', o.tef],
    ['tcf', o.tcf],
  ]);
  if (!english && !french) notes.push('No language results given, so language earns nothing: add english=9 (your CLB) or ielts=8,7,7,7.');
  if (o.first === 'english' && !english)
    throw new UserError(
      'first=english needs your English results too, e.g. /crs age=29 education=masters english=9 french=7 first=english.',
    );
  if (o.first === 'french' && !french)
    throw new UserError('first=french needs your French results too, e.g. /crs age=29 education=masters french=9 english=7 first=french.');
  if (o.job_offer) notes.push(JOB_OFFER_NOTE);

  const profile: CrsProfile = {
    age: o.age,
    education: o.education,
    canadaWork: o.canada_work ?? 0,
    foreignWork: o.foreign_work ?? 0,
    certificate: o.certificate ?? false,
    canadaStudy: o.canada_study ?? 'none',
    sibling: o.sibling ?? false,
    nomination: o.nomination ?? false,
  };
  if (english) profile.english = english;
  if (french) profile.french = french;
  if (o.first) profile.first = o.first;

  const spouseDetails = o.spouse_education !== undefined || o.spouse_english || o.spouse_french || o.spouse_canada_work !== undefined;
  const spouse = o.spouse ?? (spouseDetails ? 'yes' : 'no');
  if (spouse === 'yes') {
    if (!spouseDetails) {
      notes.push(
        "Your spouse's education, language and Canadian work can add up to 40 points: add spouse_education=, spouse_english= and spouse_canada_work=.",
      );
    }
    profile.spouse = { education: o.spouse_education ?? 'none', canadaWork: o.spouse_canada_work ?? 0 };
    const language = betterSpouseLanguage(profile, o.spouse_english, o.spouse_french);
    if (language) profile.spouse.language = language;
  } else if (spouseDetails) {
    notes.push(
      "A spouse who is a Canadian citizen or PR, or not coming with you, is scored as single: your spouse's details are left out.",
    );
  }
  return { profile, notes };
}

/** The spouse scores on one official language: of two given, the one that earns more. */
function betterSpouseLanguage(profile: CrsProfile, english?: LanguageLevels, french?: LanguageLevels): LanguageLevels | undefined {
  if (!english || !french) return english ?? french;
  const score = (language: LanguageLevels) => crsScore({ ...profile, spouse: { ...profile.spouse!, language } }).total;
  return score(french) > score(english) ? french : english;
}
