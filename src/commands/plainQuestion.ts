import { CATEGORIES } from '../domain/categories.js';
import type { CategorySlug } from '../domain/drawSchema.js';
import { UserError } from '../domain/userError.js';
import { parseLooseDate } from './looseDate.js';
import { isNoiseWord } from './noiseWords.js';
import { periodAt } from './parsePeriod.js';

/** A command and the words a user would type after its slash, ready for argsToInput. */
export interface PlainCommand {
  name: string;
  args: string[];
}

/** Two questions the reader understands, for the answer to one it could not place. */
export const PLAIN_EXAMPLES: readonly [string, string] = ['latest healthcare draw', 'would 470 have made the last CEC draw?'];

const set = (...words: string[]) => new Set(words);

// Cues come strong (enough alone) or weak: a weak one ("last", "next", "average") is everyday English,
// so it counts only beside something about draws — a draw word, a category or a count.
const LATEST = set('latest', 'newest');
const LATEST_WEAK = set('last', 'recent', 'current', 'lately');
const HISTORY = set('history', 'trend', 'trends', 'chart', 'graph');
const HISTORY_WEAK = set('past', 'previous', 'prior');
const STATS = set('stats', 'stat', 'statistics', 'summary');
const STATS_WEAK = set('average', 'avg', 'median', 'mean', 'lowest', 'highest', 'minimum', 'maximum', 'min', 'max', 'total');
const POOL = set('pool', 'distribution');
const CROWD = set('people', 'profiles', 'profile', 'candidates', 'applicants', 'others');
const STANDING = set('stand', 'rank', 'ranking', 'ranked', 'position');
const ABOVE = set('above', 'ahead', 'over');
const NEXT_WEAK = set('next', 'upcoming', 'soon', 'expected', 'predict', 'prediction', 'forecast');
const HELP = set('help', 'commands', 'command', 'usage');
const CATEGORIES_CUE = set('categories');
const WHEN = set('when');
const CHECK = set(
  'qualify',
  'qualified',
  'qualifies',
  'eligible',
  'enough',
  'chance',
  'chances',
  'invited',
  'invite',
  'make',
  'made',
  'crs',
  'score',
  'points',
  'get',
  'got',
  'ita',
  'cutoff',
);
/** Words about draws: what lets a weak cue count. */
const DRAWISH = set(
  'draw',
  'draws',
  'round',
  'rounds',
  'cutoff',
  'cutoffs',
  'cut',
  'crs',
  'score',
  'scores',
  'ita',
  'itas',
  'invitation',
  'invitations',
  'invites',
  'ee',
  'express',
  'entry',
);
/** Draw words that are not about a score: "what was the cut-off score of the last draw" asks about a draw. */
const DRAWISH_ONLY = set(
  'draw',
  'draws',
  'round',
  'rounds',
  'cutoff',
  'cutoffs',
  'cut',
  'ita',
  'itas',
  'invitation',
  'invitations',
  'invites',
);
/** "How many people got an ITA" asks about a draw, not about the pool. */
const INVITED = set('ita', 'itas', 'invited', 'invitation', 'invitations', 'invites', 'got', 'get', 'received');
const SINCE = set('since', 'from', 'after');
/** Before a small number, these make it a count: "last 5", "past 10". */
const BEFORE_COUNT = set('last', 'latest', 'recent', 'past', 'previous', 'prior', 'newest');
const AFTER_COUNT = set('draws', 'rounds', 'last', 'latest', 'recent');
/** Before a number, these make it a round: "draw 434", "round #91a". */
const BEFORE_ROUND = set('draw', 'round');
const SCORE_WORDS = set('crs', 'score', 'points');
/** "calculate my crs", "crs calculator": the asker wants a score worked out, not compared. */
const CALCULATE = set('calculate', 'calculator', 'calc', 'compute', 'estimate', 'breakdown');
const WHAT = set('what', "what's", 'whats', 'how');
/** Words that make "my crs" a question about draws ("would my crs have made it?"), not about the score. */
const ABOUT_DRAWS: ReadonlySet<string> = new Set([...CHECK].filter((word) => !SCORE_WORDS.has(word) && word !== 'get' && word !== 'got'));
/** Question words and glue: known, so they never make chatter of a question. */
const GLUE = set(
  ...['what', "what's", 'whats', 'when', "when's", 'whens', 'where', 'which', 'who', 'why', 'how', 'much', 'many', 'if'],
  ...['was', "wasn't", 'is', "isn't", 'are', 'were', 'be', 'been', 'will', 'would', "would've", 'wouldve', 'could', 'should'],
  ...['can', "can't", 'do', 'does', 'did', 'have', 'has', 'had', "i've", 'ive', 'it', "it's", 'its', 'my', 'mine', 'i', "i'm"],
  ...['im', 'am', 'and', 'or', 'with', 'to', 'on', 'at', 'by', 'before', 'any', 'anyone', 'anybody', 'someone', 'guys'],
  ...['there', 'this', 'that', 'so', 'far', 'yet', 'now', 'today', 'tell', 'show', 'give', 'know', 'your', 'our', 'we', 'u'],
  ...['happen', 'happened', 'held', 'hold', 'like', 'ok', 'okay', 'bot', 'one', 'just', 'still', 'about', 'category'],
  ...['program', 'programme', 'stream', 'all', 'every', 'new', 'also', 'ircc', 'list', 'see', 'check', 'need', 'want'],
  ...['most', 'no', 'number', 'up', 'out'],
);
const KNOWN: ReadonlySet<string> = new Set(
  [
    LATEST,
    LATEST_WEAK,
    HISTORY,
    HISTORY_WEAK,
    STATS,
    STATS_WEAK,
    POOL,
    CROWD,
    STANDING,
    ABOVE,
    NEXT_WEAK,
    HELP,
    CHECK,
    DRAWISH,
    INVITED,
    SINCE,
    GLUE,
    CATEGORIES_CUE,
    CALCULATE,
    set('you'),
  ].flatMap((s) => [...s]),
);

/** Category names as word sequences: slugs, their spaced form and every alias, "canadian experience class" included. */
const CATEGORY_NAMES = new Map<string, CategorySlug>();
for (const c of CATEGORIES) {
  if (c.slug === 'other') continue;
  for (const name of [c.slug, ...c.aliases]) {
    const words = name
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .join(' ');
    if (!isNoiseWord(words) && !CATEGORY_NAMES.has(words)) CATEGORY_NAMES.set(words, c.slug);
  }
}
const LONGEST_NAME = Math.max(...[...CATEGORY_NAMES.keys()].map((name) => name.split(' ').length));

interface Word {
  text: string;
  /** Written "#434": a round. */
  hash: boolean;
}

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** "2026-07": a month, kept whole like a date. */
const YEAR_MONTH = /^\d{4}-\d{1,2}$/;
/** Before a bare month or day, these make it a period: "in July", "on July 21", "since March" ("may" alone is a verb). */
const BEFORE_PERIOD = set('in', 'on', 'since', 'from', 'after', 'during', 'of', 'for', 'between');

/**
 * Words as typed: letters and digits joined by single apostrophes or hyphens, so "i'm", "cut-off"
 * and "2025-01-01" hold together while emoji and punctuation fall away. Hyphenated names split into
 * their words ("agri-food", "senior-managers"); dates stay whole.
 */
function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  const lower = text.normalize('NFKC').toLowerCase().replace(/’/g, "'");
  for (const match of lower.matchAll(/#?[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu)) {
    const hash = match[0].startsWith('#');
    const bare = hash ? match[0].slice(1) : match[0];
    if (bare === 'cut-off' || bare === 'cut-offs') words.push({ text: 'cutoff', hash });
    else if (DATE.test(bare) || YEAR_MONTH.test(bare)) words.push({ text: bare, hash });
    else words.push(...bare.split('-').map((part, i) => ({ text: part, hash: hash && i === 0 })));
  }
  return words;
}

/** Marks the words that name a category, longest name first; returns the first category named. */
function findCategory(words: readonly Word[], used: boolean[]): CategorySlug | undefined {
  let first: CategorySlug | undefined;
  for (let i = 0; i < words.length; i++) {
    for (let end = Math.min(words.length, i + LONGEST_NAME); end > i; end--) {
      const slug = CATEGORY_NAMES.get(
        words
          .slice(i, end)
          .map((w) => w.text)
          .join(' '),
      );
      if (!slug) continue;
      first ??= slug;
      used.fill(true, i, end);
      i = end - 1;
      break;
    }
  }
  return first;
}

/** The date as the date options read it (looseDate), or undefined for a date that is no real one. */
function isoDate(text: string): string | undefined {
  try {
    return parseLooseDate(text);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/** A period the question names, as the words to hand the command, and whether it is one day. */
interface FoundPeriod {
  words: string[];
  oneDay: boolean;
  /** A calendar year alone ("in 2025"): stats, as before periods, unless history is asked for. */
  year: boolean;
}

/** Glue before a period that its command does not need: "in July" is "July". */
const PERIOD_GLUE = set('in', 'on', 'for', 'of', 'the', 'during');

/** Marks the words of the first period the question names ("since January", "last month", "on July 21"). */
function findPeriod(words: readonly Word[], used: boolean[]): FoundPeriod | undefined {
  const texts = words.map((w) => w.text);
  for (let i = 0; i < words.length; i++) {
    if (used[i] || words[i]!.hash) continue;
    const found = periodAt(texts, i);
    if (!found || used.slice(i, i + found.length).some(Boolean)) continue;
    const { length, spec } = found;
    let start = i;
    while (start < i + length - 1 && PERIOD_GLUE.has(texts[start]!)) start++;
    const phrase = texts.slice(start, i + length);
    // A bare month or day needs "in", "on", "since"… before it: "may I…" is no period.
    const bare = spec?.kind === 'point' && spec.point.unit !== 'year' && !phrase.some((w) => /\d{4}/.test(w));
    if (bare && !BEFORE_PERIOD.has(texts[i - 1] ?? '')) continue;
    const oneDay = spec?.kind === 'today' || spec?.kind === 'yesterday' || (spec?.kind === 'point' && spec.point.unit === 'day');
    const year = spec?.kind === 'point' && spec.point.unit === 'year';
    used.fill(true, i, i + length);
    return { words: phrase, oneDay, year };
  }
  return undefined;
}

/** What the numbers and dates of a question say. */
interface Values {
  round?: string;
  score?: number;
  count?: number;
  year?: number;
  since?: string;
}

function readValues(words: readonly Word[], used: boolean[]): Values {
  const values: Values = {};
  for (let i = 0; i < words.length; i++) {
    if (used[i]) continue;
    const { text, hash } = words[i]!;
    const prev = words[i - 1]?.text ?? '';
    const prev2 = words[i - 2]?.text ?? '';
    const afterRoundWord = BEFORE_ROUND.has(prev) || ((prev === 'no' || prev === 'number') && BEFORE_ROUND.has(prev2));
    if (DATE.test(text)) {
      used[i] = true;
      if (SINCE.has(prev)) values.since ??= isoDate(text);
    } else if (/^\d{1,4}[a-z]$/.test(text) && (hash || afterRoundWord)) {
      used[i] = true;
      values.round ??= text;
    } else if (/^\d{1,5}$/.test(text)) {
      used[i] = true;
      const n = Number(text);
      if (text.length === 4 && n >= 2015 && n <= 2035) {
        values.year ??= n;
      } else if ((hash || afterRoundWord) && text.length <= 4) values.round ??= String(n);
      else if (n >= 1 && n <= 50 && (BEFORE_COUNT.has(prev) || AFTER_COUNT.has(words[i + 1]?.text ?? ''))) values.count ??= n;
      // Real scores are rarely under 100, while chatter is full of small numbers ("3 months").
      else if (n <= 1200 && (n >= 100 || SCORE_WORDS.has(prev) || SCORE_WORDS.has(prev2))) values.score ??= n;
    }
  }
  return values;
}

const follows = (words: readonly Word[], a: string, b: string) => words.some((w, i) => w.text === a && words[i + 1]?.text === b);

function command(name: string, ...args: Array<string | number | undefined>): PlainCommand {
  return { name, args: args.filter((a) => a !== undefined).map(String) };
}

/**
 * Reads a question as people write it in Express Entry groups ("my crs is 481 and I'm CEC", "last 5
 * cec draws", "when is the next draw?") into the command that answers it and the words to hand to
 * argsToInput. Returns undefined for commands ("/…") and for chatter with no cue. Categories are read
 * by their exact names and aliases only: a guess on a stray word would answer a question nobody asked.
 */
export function plainQuestion(text: string): PlainCommand | undefined {
  if (text.trimStart().startsWith('/')) return undefined;
  const words = wordsOf(text);
  const used = words.map(() => false);
  const category = findCategory(words, used);
  const period = findPeriod(words, used);
  const v = readValues(words, used);
  const during = period?.words ?? [];
  const has = (...sets: ReadonlySet<string>[]) => words.some((w, i) => !used[i] && sets.some((s) => s.has(w.text)));
  const unknown = words.filter((w, i) => !used[i] && !isNoiseWord(w.text) && !KNOWN.has(w.text)).length;
  const context = has(DRAWISH) || category !== undefined || v.count !== undefined;
  const howMany = follows(words, 'how', 'many');
  // /check counts draws from a date: "since 2025" and "in 2025" both start it on January 1.
  const since = v.since ?? (v.year === undefined ? undefined : `${v.year}-01-01`);

  if (v.round) return command('draw', v.round);
  const crowd = has(CROWD);
  if (has(POOL) || (v.score !== undefined && (crowd || has(STANDING))) || (howMany && (crowd || has(ABOVE)) && !has(INVITED))) {
    return command('pool', v.score);
  }
  const ownScore = [...SCORE_WORDS].some((word) => follows(words, 'my', word));
  const calculates = (has(CALCULATE) && has(SCORE_WORDS)) || (ownScore && has(WHAT));
  if (v.score === undefined && !category && calculates && !has(ABOUT_DRAWS) && !has(DRAWISH_ONLY)) return command('crs');
  if (v.score !== undefined && (has(CHECK) || unknown === 0)) {
    return command('check', v.score, category, ...(period ? during : [since && `since=${since}`]));
  }
  // "what was the cut-off on July 21?", "was there a draw today?": that day's rounds.
  if (period?.oneDay && !has(NEXT_WEAK) && (has(DRAWISH) || unknown === 0)) return command('draw', ...during);
  if (has(CATEGORIES_CUE)) return command('categories');
  if (has(NEXT_WEAK) && (context || has(WHEN))) return command('next', category);
  if (follows(words, 'when', 'will') && context) return command('next', category);
  // A period with a category alone is not enough: "canadian weather is crazy today" is chatter.
  if (period && (has(DRAWISH) || v.count !== undefined || unknown === 0 || has(HISTORY, STATS))) {
    const stats =
      has(STATS) || ((has(STATS_WEAK) || howMany) && context) || (period.year && v.count === undefined && !has(HISTORY, LATEST));
    return command(stats ? 'stats' : 'history', category, ...(stats ? [] : [v.count]), ...during);
  }
  if (has(HISTORY) || (has(HISTORY_WEAK) && context) || v.count !== undefined) return command('history', category, v.count);
  if (has(STATS) || ((has(STATS_WEAK) || howMany) && context)) return command('stats', category, v.year);
  if (has(LATEST) || (has(LATEST_WEAK) && context) || follows(words, 'most', 'recent')) return command('latest', category);
  const asksHelp = has(HELP) || (follows(words, 'can', 'you') && follows(words, 'you', 'do'));
  if (asksHelp && unknown <= 1) return command('help');
  if (v.year !== undefined && (context || unknown === 0)) return command('stats', category, v.year);
  if (category && unknown === 0) return command('latest', category);
  return undefined;
}
