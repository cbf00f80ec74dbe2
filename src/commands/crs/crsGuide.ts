import type { CrsProfile, Education, LanguageLevels } from '../../core/crs/crsProfile.js';
import type { Reply, ReplyButton } from '../../core/reply.js';
import { UserError } from '../../domain/userError.js';

/**
 * /crs step by step, with buttons. The conversation lives in the buttons themselves: each carries
 * when it started and every answer so far, one character each (the choice's index in base 36), so
 * any instance can take the next press and nothing is stored until the asker saves. "Back" is the
 * same answers less the last; an unfinished conversation is forgotten 30 minutes after it started.
 */

/** A guide conversation as its buttons carry it: "g<version><minute started, base 36>.<answers>". */
export interface GuideState {
  startedMinute: number;
  answers: string;
}

export const GUIDE_MINUTES = 30;
export const EXPIRED = `This /crs conversation was left for over ${GUIDE_MINUTES} minutes and has been forgotten; send /crs to start again.`;
const STALE = 'That button is from a /crs conversation I cannot read; send /crs to start again.';

interface Draft {
  profile: CrsProfile;
  spouse: 'none' | 'coming' | 'single';
  /** The languages given ability by ability. */
  each: Record<'english' | 'french', boolean>;
}

interface Choice {
  label: string;
  apply(draft: Draft): void;
}

interface Step {
  /** Shown in "So far": "Age 20–29". */
  name: string;
  question: string;
  hint?: string;
  placeholder: string;
  choices: Choice[];
  when?(draft: Draft): boolean;
}

const age = (label: string, years: number): Choice => ({
  label,
  apply: (d) => {
    d.profile.age = years;
  },
});

/** 20 to 29 score alike; every other year differs. */
const AGES: Choice[] = [
  age('17 or younger', 17),
  age('18', 18),
  age('19', 19),
  age('20–29', 25),
  ...Array.from({ length: 15 }, (_, i) => age(String(30 + i), 30 + i)),
  age('45 or older', 45),
];

const spouse = (label: string, kind: Draft['spouse']): Choice => ({
  label,
  apply: (d) => {
    d.spouse = kind;
    if (kind === 'coming') d.profile.spouse = { education: 'none', canadaWork: 0 };
  },
});

const education = (set: (d: Draft, education: Education) => void): Choice[] =>
  EDUCATION_LABELS.map(([level, label]) => ({ label, apply: (d) => set(d, level) }));

const EDUCATION_LABELS: Array<[Education, string]> = [
  ['none', 'Less than secondary school'],
  ['secondary', 'Secondary (high school)'],
  ['one-year', 'One-year post-secondary'],
  ['two-year', 'Two-year post-secondary'],
  ['bachelors', "Bachelor's (or 3+ year program)"],
  ['two-or-more', 'Two or more (one 3+ years)'],
  ['masters', "Master's or professional degree"],
  ['phd', 'Doctorate (PhD)'],
];

const YEARS = (most: number, apply: (d: Draft, years: number) => void): Choice[] =>
  Array.from({ length: most + 1 }, (_, years) => ({
    label: years === 0 ? 'None, or under a year' : years === most ? `${years} years or more` : years === 1 ? '1 year' : `${years} years`,
    apply: (d: Draft) => apply(d, years),
  }));

const YES_NO = (apply: (d: Draft, yes: boolean) => void): Choice[] => [
  { label: 'No', apply: (d) => apply(d, false) },
  { label: 'Yes', apply: (d) => apply(d, true) },
];

const ABILITIES = ['listening', 'reading', 'writing', 'speaking'] as const;
const all = (level: number): LanguageLevels => ({ listening: level, reading: level, writing: level, speaking: level });

/** "CLB 4" … "CLB 10 or more": the levels that score differently, each with what picking it does. */
function levels(scale: string, apply: (d: Draft, level: number) => void): Choice[] {
  return Array.from({ length: 7 }, (_, i) => ({
    label: `${scale} ${4 + i}${i === 6 ? ' or more' : ''}`,
    apply: (d: Draft) => apply(d, 4 + i),
  }));
}

/** A level for all four abilities, "no test", or (when `each` is given) "different in each ability". */
function levelChoices(
  scale: string,
  none: string,
  apply: (d: Draft, levels: LanguageLevels | undefined) => void,
  each?: (d: Draft) => void,
): Choice[] {
  return [
    { label: none, apply: (d) => apply(d, undefined) },
    ...levels(scale, (d, level) => apply(d, all(level))),
    ...(each ? [{ label: 'Different in each ability', apply: each }] : []),
  ];
}

/** One ability of a language given ability by ability. */
function abilitySteps(language: 'english' | 'french', scale: string, when: (d: Draft) => boolean): Step[] {
  return ABILITIES.map((ability) => ({
    name: `${language === 'english' ? 'English' : 'French'} ${ability}`,
    question: `Your ${language === 'english' ? 'English' : 'French'} ${ability} level (${scale})?`,
    placeholder: `${scale} level for ${ability}`,
    when,
    choices: [
      { label: `Below ${scale} 4`, apply: (d: Draft) => setAbility(d, language, ability, 0) },
      ...levels(scale, (d, level) => setAbility(d, language, ability, level)),
    ],
  }));
}

function setAbility(d: Draft, language: 'english' | 'french', ability: (typeof ABILITIES)[number], level: number): void {
  const levels = d.profile[language] ?? all(0);
  d.profile[language] = { ...levels, [ability]: level };
}

/** A language's level for all four abilities, then (when they differ) ability by ability. */
function languageSteps(language: 'english' | 'french', scale: string, hint: string): Step[] {
  const name = language === 'english' ? 'English' : 'French';
  const whole: Step = {
    name,
    question: `Your ${name} test result (${scale}), the same in all four abilities?`,
    hint,
    placeholder: `${name} (${scale})`,
    choices: levelChoices(
      scale,
      `No ${name} test`,
      (d, levels) => {
        if (levels) d.profile[language] = levels;
      },
      (d) => {
        d.each[language] = true;
      },
    ),
  };
  return [whole, ...abilitySteps(language, scale, (d) => d.each[language])];
}

const coming = (d: Draft) => d.spouse === 'coming';

const STEPS: Step[] = [
  { name: 'Age', question: 'How old are you?', placeholder: 'Your age', choices: AGES },
  {
    name: 'Spouse',
    question: 'Do you have a spouse or common-law partner?',
    hint: 'A spouse who is a Canadian citizen or permanent resident, or is not coming with you, is scored as single.',
    placeholder: 'Spouse or partner',
    choices: [
      spouse('No', 'none'),
      spouse('Yes, coming with me', 'coming'),
      spouse('Yes, Canadian citizen or PR', 'single'),
      spouse('Yes, not coming with me', 'single'),
    ],
  },
  {
    name: 'Education',
    question: 'Your highest education (with an ECA if it is from outside Canada)?',
    placeholder: 'Highest education',
    choices: education((d, level) => {
      d.profile.education = level;
    }),
  },
  {
    name: 'Study in Canada',
    question: 'Did you earn a post-secondary credential in Canada?',
    placeholder: 'Study in Canada',
    when: (d) => d.profile.education !== 'none' && d.profile.education !== 'secondary',
    choices: (
      [
        ['No', 'none'],
        ['1 or 2 years', '1-2'],
        ['3 years or more', '3+'],
      ] as const
    ).map(([label, study]) => ({
      label,
      apply: (d: Draft) => {
        d.profile.canadaStudy = study;
      },
    })),
  },
  ...languageSteps(
    'english',
    'CLB',
    'CLB 7 is IELTS 6.0 in each ability; CLB 9 is IELTS 8, 7, 7, 7 (listening, reading, writing, speaking). With test scores, type /crs … ielts=8,7,7,7 instead.',
  ),
  ...languageSteps(
    'french',
    'NCLC',
    'NCLC 7 is TEF Canada 434 in listening and reading, 428 in writing, 456 in speaking. With test scores, type /crs … tef=… or tcf=… instead.',
  ),
  {
    name: 'Canadian work',
    question: 'Years of skilled work in Canada (TEER 0-3)?',
    placeholder: 'Canadian work',
    choices: YEARS(5, (d, years) => {
      d.profile.canadaWork = years;
    }),
  },
  {
    name: 'Foreign work',
    question: 'Years of skilled work outside Canada, in the last 10 years?',
    placeholder: 'Foreign work',
    choices: YEARS(3, (d, years) => {
      d.profile.foreignWork = years;
    }),
  },
  {
    name: 'Trade certificate',
    question: 'A certificate of qualification in a trade, from a Canadian province or territory?',
    placeholder: 'Trade certificate',
    choices: YES_NO((d, yes) => {
      d.profile.certificate = yes;
    }),
  },
  {
    name: 'Sibling',
    question: 'A brother or sister living in Canada as a citizen or permanent resident?',
    placeholder: 'Sibling in Canada',
    choices: YES_NO((d, yes) => {
      d.profile.sibling = yes;
    }),
  },
  {
    name: 'Nomination',
    question: 'A provincial or territorial nomination?',
    hint: 'A job offer no longer earns CRS points (since March 25, 2025), so it is not asked.',
    placeholder: 'Nomination',
    choices: YES_NO((d, yes) => {
      d.profile.nomination = yes;
    }),
  },
  {
    name: 'Spouse education',
    question: "Your spouse's highest education?",
    placeholder: "Spouse's education",
    when: coming,
    choices: education((d, level) => {
      d.profile.spouse!.education = level;
    }),
  },
  {
    name: 'Spouse language',
    question: "Your spouse's English or French result (CLB/NCLC), the better one, same in all four abilities?",
    placeholder: "Spouse's language",
    when: coming,
    choices: levelChoices('CLB', 'No test', (d, levels) => {
      if (levels) d.profile.spouse!.language = levels;
    }),
  },
  {
    name: 'Spouse Canadian work',
    question: "Your spouse's years of skilled work in Canada?",
    placeholder: "Spouse's Canadian work",
    when: coming,
    choices: YEARS(5, (d, years) => {
      d.profile.spouse!.canadaWork = years;
    }),
  },
];

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

function emptyDraft(): Draft {
  return {
    profile: {
      age: 0,
      education: 'none',
      canadaWork: 0,
      foreignWork: 0,
      certificate: false,
      canadaStudy: 'none',
      sibling: false,
      nomination: false,
    },
    spouse: 'none',
    each: { english: false, french: false },
  };
}

interface Walked {
  draft: Draft;
  /** "Age 20–29", one per answer. */
  given: string[];
  /** The next question, or undefined when every question is answered. */
  next?: Step;
}

/** Replays the answers; a character that names no choice (a forged button) is refused. */
function walk(answers: string): Walked {
  const draft = emptyDraft();
  const given: string[] = [];
  let i = 0;
  for (const step of STEPS) {
    if (step.when && !step.when(draft)) continue;
    if (i === answers.length) return { draft, given, next: step };
    const choice = step.choices[DIGITS.indexOf(answers[i]!)];
    if (!choice) throw new UserError(STALE);
    choice.apply(draft);
    given.push(`${step.name}: ${choice.label}`);
    i++;
  }
  if (i !== answers.length) throw new UserError(STALE);
  return { draft, given };
}

/**
 * The questions' version: answers are indexes into STEPS, so a button made before STEPS changed
 * would be read against the wrong questions. Raise it with any change to STEPS or their choices.
 */
const STEPS_VERSION = '1';

export function encodeState(state: GuideState): string {
  return `g${STEPS_VERSION}${state.startedMinute.toString(36)}.${state.answers}`;
}

/** The state a "g…" payload carries; refused when unreadable, expired or dated in the future. */
export function readState(payload: string, nowMs: number): GuideState {
  const match = /^g([0-9a-z])([0-9a-z]{1,8})\.([0-9a-z]{0,40})$/.exec(payload);
  if (!match || match[1] !== STEPS_VERSION) throw new UserError(STALE);
  const startedMinute = Number.parseInt(match[2]!, 36);
  const minutes = nowMs / 60_000 - startedMinute;
  if (minutes < -2) throw new UserError(STALE);
  if (minutes > GUIDE_MINUTES) throw new UserError(EXPIRED);
  return { startedMinute, answers: match[3]! };
}

export function startState(nowMs: number): GuideState {
  return { startedMinute: Math.floor(nowMs / 60_000), answers: '' };
}

/** Where a conversation stands: the next question, or the finished profile. */
export type GuideProgress = { done: false; reply: Reply } | { done: true; profile: CrsProfile; given: string[] };

const action = (payload: string) => `crs:${payload}`;
export const CANCEL_ACTION = action('x');

/** The next question as a reply (a menu of its choices, Back and Cancel), or the profile once all are answered. */
export function guideProgress(state: GuideState): GuideProgress {
  const { draft, given, next } = walk(state.answers);
  if (!next) return { done: true, profile: draft.profile, given };
  const buttons: ReplyButton[] = [];
  if (state.answers.length > 0)
    buttons.push({ label: '« Back', action: action(encodeState({ ...state, answers: state.answers.slice(0, -1) })) });
  buttons.push({ label: 'Cancel', action: CANCEL_ACTION });
  return {
    done: false,
    reply: {
      kind: 'answer',
      title: 'Your CRS score, step by step',
      lines: [next.question, ...(next.hint ? [next.hint] : []), ...(given.length > 0 ? [`So far: ${given.join(' · ')}`] : [])],
      menu: {
        placeholder: next.placeholder,
        choices: next.choices.map((choice, index) => ({
          label: choice.label,
          action: action(encodeState({ ...state, answers: state.answers + DIGITS[index] })),
        })),
      },
      buttons: [buttons],
      private: true,
    },
  };
}

/** Buttons under the finished breakdown: change the last answer, or start over. */
export function finishedButtons(state: GuideState, nowMs: number): ReplyButton[] {
  return [
    { label: '« Back', action: action(encodeState({ ...state, answers: state.answers.slice(0, -1) })) },
    { label: 'Start over', action: action(encodeState(startState(nowMs))) },
  ];
}
