import { CANADA_STUDY, type CrsProfile, EDUCATIONS, type LanguageLevels } from '../../core/crs/crsProfile.js';
import { UserError } from '../../domain/userError.js';

/**
 * A CrsProfile in about 25 characters, for buttons (Telegram allows 64 bytes of callback data):
 * "Save as my profile" and the lane buttons carry the profile they were drawn for, so that pressing
 * one can save it and draw the breakdown again, on whichever instance takes the press, with
 * nothing kept in between.
 */

const STALE = 'That button is from a /crs answer I cannot read; send /crs again.';
/** Raise it with any change to the layout below: a Save button never expires, and must not be misread. */
const VERSION = '1';

const digit = (n: number, width = 1) => n.toString(36).padStart(width, '0');

function levels(l: LanguageLevels | undefined): string {
  return l ? [l.listening, l.reading, l.writing, l.speaking].map((n) => digit(Math.min(n, 12))).join('') : '-';
}

export function encodeProfile(p: CrsProfile): string {
  const flags = (p.certificate ? 1 : 0) | (p.sibling ? 2 : 0) | (p.nomination ? 4 : 0) | (CANADA_STUDY.indexOf(p.canadaStudy) << 3);
  const spouse = p.spouse
    ? `${digit(EDUCATIONS.indexOf(p.spouse.education))}${levels(p.spouse.language)}${digit(Math.min(p.spouse.canadaWork, 50), 2)}`
    : '-';
  return [
    VERSION,
    digit(Math.min(p.age, 120), 2),
    digit(EDUCATIONS.indexOf(p.education)),
    levels(p.english),
    levels(p.french),
    p.first === 'english' ? 'e' : p.first === 'french' ? 'f' : '-',
    digit(Math.min(p.canadaWork, 50), 2),
    digit(Math.min(p.foreignWork, 50), 2),
    digit(flags),
    spouse,
  ].join('');
}

/** Reads what encodeProfile wrote; anything else (a forged or older button) is refused with a UserError. */
export function decodeProfile(code: string): CrsProfile {
  if (code[0] !== VERSION) throw new UserError(STALE);
  let at = 1;
  const take = (width: number, max: number): number => {
    const text = code.slice(at, at + width);
    at += width;
    const n = /^[0-9a-z]+$/.test(text) && text.length === width ? Number.parseInt(text, 36) : Number.NaN;
    if (!(n >= 0 && n <= max)) throw new UserError(STALE);
    return n;
  };
  const dash = () => code[at] === '-' && ++at > 0;
  const readLevels = (): LanguageLevels | undefined =>
    dash() ? undefined : { listening: take(1, 12), reading: take(1, 12), writing: take(1, 12), speaking: take(1, 12) };

  const age = take(2, 120);
  const education = EDUCATIONS[take(1, EDUCATIONS.length - 1)]!;
  const english = readLevels();
  const french = readLevels();
  const firstCode = code[at++];
  if (firstCode !== 'e' && firstCode !== 'f' && firstCode !== '-') throw new UserError(STALE);
  const canadaWork = take(2, 50);
  const foreignWork = take(2, 50);
  const flags = take(1, 23);
  const study = CANADA_STUDY[flags >> 3];
  if (!study) throw new UserError(STALE);
  const profile: CrsProfile = {
    age,
    education,
    canadaWork,
    foreignWork,
    certificate: (flags & 1) !== 0,
    sibling: (flags & 2) !== 0,
    nomination: (flags & 4) !== 0,
    canadaStudy: study,
  };
  if (english) profile.english = english;
  if (french) profile.french = french;
  if (firstCode !== '-') profile.first = firstCode === 'e' ? 'english' : 'french';
  if (!dash()) {
    const spouseEducation = EDUCATIONS[take(1, EDUCATIONS.length - 1)]!;
    const language = readLevels();
    profile.spouse = { education: spouseEducation, canadaWork: take(2, 50) };
    if (language) profile.spouse.language = language;
  }
  if (at !== code.length) throw new UserError(STALE);
  return profile;
}
