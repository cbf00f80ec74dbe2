import { categorize } from '../domain/categorize.js';
import type { Draw, Pool } from '../domain/drawSchema.js';
import { ottawaDate } from '../domain/ottawa.js';
import { FeedError } from './feedError.js';
import { parseIrccDate, parseIrccTimestamp } from './parseTimestamp.js';
import type { RawRound } from './rawFeedSchema.js';

export const CANADA_CA = 'https://www.canada.ca';
const ROUND_PAGE =
  '/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html';

/** A YYYY-MM-DD string that names a real day. */
function isRealDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

/** Feed field of each band, lowest band first; dd3, dd9 and dd18 are sums and not bands. */
const BANDS: ReadonlyArray<readonly [field: string, min: number, max: number]> = [
  ['dd17', 0, 300],
  ['dd16', 301, 350],
  ['dd15', 351, 400],
  ['dd14', 401, 410],
  ['dd13', 411, 420],
  ['dd12', 421, 430],
  ['dd11', 431, 440],
  ['dd10', 441, 450],
  ['dd8', 451, 460],
  ['dd7', 461, 470],
  ['dd6', 471, 480],
  ['dd5', 481, 490],
  ['dd4', 491, 500],
  ['dd2', 501, 600],
  ['dd1', 601, 1200],
];

const PROGRAM_NAMES: Record<string, string> = {
  'federal skilled worker': 'Federal Skilled Worker Program',
  'federal skilled worker program': 'Federal Skilled Worker Program',
  'canadian experience class': 'Canadian Experience Class',
  'federal skilled trades': 'Federal Skilled Trades Program',
  'federal skilled trades program': 'Federal Skilled Trades Program',
  'provincial nominee program': 'Provincial Nominee Program',
};

export interface Normalized {
  draw: Draw;
  warnings: string[];
}

/** "3,500" -> 3500; anything but digits and thousands separators -> undefined. */
function wholeNumber(text: string): number | undefined {
  const compact = text.replace(/[,\s]/g, '');
  return /^\d+$/.test(compact) ? Number(compact) : undefined;
}

/** Where the run of whitespace starting at `from` ends. */
const BLANKS = /\s*/y;
function blanksEnd(text: string, from: number): number {
  BLANKS.lastIndex = from;
  BLANKS.test(text);
  return BLANKS.lastIndex;
}

/**
 * `text.split(/\s*,\s*|\s+and\s+/)`, piece for piece, in one pass: the regex retried both
 * alternatives at every blank of a run, scanning the run to its end each time (quadratic: 21 s on
 * 100,000 blanks). Both alternatives succeed or fail by what follows a run, so each run is read once.
 */
function splitOnSeparators(text: string): string[] {
  const pieces: string[] = [];
  let pieceStart = 0;
  let at = 0;
  while (at < text.length) {
    const runEnd = blanksEnd(text, at);
    let matchEnd = -1;
    if (text[runEnd] === ',') matchEnd = blanksEnd(text, runEnd + 1);
    else if (runEnd > at && text.startsWith('and', runEnd) && blanksEnd(text, runEnd + 3) > runEnd + 3)
      matchEnd = blanksEnd(text, runEnd + 3);
    if (matchEnd < 0) {
      // No separator starts anywhere in this run nor at the character after it.
      at = runEnd + 1;
      continue;
    }
    pieces.push(text.slice(pieceStart, at));
    pieceStart = at = matchEnd;
  }
  pieces.push(text.slice(pieceStart));
  return pieces;
}

function programsOf(text: string): string[] {
  return splitOnSeparators(text)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => PROGRAM_NAMES[p.toLowerCase()] ?? p);
}

function urlOf(html: string, round: string): string {
  const href = /href=['"]([^'"]+)['"]/.exec(html)?.[1];
  if (href?.startsWith('/')) return CANADA_CA + href.replace(/^\/content\/canadasite(?=\/)/, '');
  if (href?.startsWith(`${CANADA_CA}/`)) return href.replace(`${CANADA_CA}/content/canadasite/`, `${CANADA_CA}/`);
  return `${CANADA_CA}${ROUND_PAGE}?q=${encodeURIComponent(round)}`;
}

function poolOf(raw: RawRound, drawDate: string, warn: (m: string) => void): Pool | null {
  const total = wholeNumber(raw.dd18 ?? '');
  // IRCC published no distribution for some rounds, and zeros for others (#223-#227 in 2026).
  if (!total) return null;
  const asOf = parseIrccDate(raw.drawDistributionAsOn, drawDate);
  if (!asOf) {
    warn(`pool date ${JSON.stringify(raw.drawDistributionAsOn)} is unreadable; pool left out`);
    return null;
  }
  const bands = [];
  for (const [field, min, max] of BANDS) {
    const count = wholeNumber(raw[field as `dd${number}`] ?? '');
    if (count === undefined) {
      warn(`pool band ${field} ${JSON.stringify(raw[field as `dd${number}`])} is not a number; pool left out`);
      return null;
    }
    bands.push({ min, max, count });
  }
  return { asOf, total, bands };
}

/**
 * IRCC's drawDate is usually the day in Ottawa, but a few rounds (#104, #148, #274) carry a time a
 * day either side of it; more than that is a typo in the time.
 */
function nearDrawDate(instant: string, date: string): boolean {
  return Math.abs(Date.parse(ottawaDate(instant)) - Date.parse(date)) <= 86_400_000;
}

/**
 * Turns one raw round into a Draw. Round number, date, size and cut-off are the facts users act
 * on, so a round without them is refused (FeedError); an unreadable or inconsistent timestamp is
 * kept as null with a warning, because the rest of the round is still right.
 */
export function normalizeRound(raw: RawRound): Normalized {
  const round = raw.drawNumber.trim();
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(`round ${round}: ${message}`);
  if (!/^\d+[a-z]?$/.test(round)) throw new FeedError(`a round has an unreadable number ${JSON.stringify(raw.drawNumber)}`);
  const date = raw.drawDate.trim();
  if (!isRealDate(date)) {
    throw new FeedError(`round ${round} has an unreadable date ${JSON.stringify(raw.drawDate)}`);
  }
  const invitations = wholeNumber(raw.drawSize);
  const crs = wholeNumber(raw.drawCRS);
  if (invitations === undefined) throw new FeedError(`round ${round} has an unreadable size ${JSON.stringify(raw.drawSize)}`);
  if (crs === undefined || crs > 1200) throw new FeedError(`round ${round} has an unreadable cut-off ${JSON.stringify(raw.drawCRS)}`);
  const name = raw.drawName.replace(/\s+/g, ' ').trim();
  if (!name) throw new FeedError(`round ${round} has no category name`);
  const { category, version } = categorize(name);
  if (category === 'other') warn(`unknown category name ${JSON.stringify(name)}, filed as "other"`);

  let drawnAt: string | null = null;
  if (raw.drawDateTime.trim()) {
    drawnAt = parseIrccTimestamp(raw.drawDateTime, date);
    if (!drawnAt) warn(`draw time ${JSON.stringify(raw.drawDateTime)} is unreadable; stored as null`);
    else if (!nearDrawDate(drawnAt, date)) {
      // e.g. #357: drawDateTime says July 12, drawDate July 22. The date is the published fact.
      warn(`draw time ${JSON.stringify(raw.drawDateTime)} is far from the draw date ${date}; stored as null`);
      drawnAt = null;
    }
  }

  let tieBreak: string | null = null;
  if (raw.drawCutOff.trim()) {
    tieBreak = parseIrccTimestamp(raw.drawCutOff, date);
    if (!tieBreak) warn(`tie-break ${JSON.stringify(raw.drawCutOff)} is unreadable; stored as null`);
    else {
      // Same-format UTC strings compare in time order.
      if ((drawnAt && tieBreak > drawnAt) || ottawaDate(tieBreak) > date) {
        warn(`tie-break ${JSON.stringify(raw.drawCutOff)} is after the draw; stored as null`);
        tieBreak = null;
      }
    }
  }

  return {
    draw: {
      round,
      date,
      drawnAt,
      name,
      category,
      categoryVersion: version,
      programs: programsOf(raw.drawText2),
      invitations,
      crs,
      tieBreak,
      pool: poolOf(raw, date, warn),
      url: urlOf(raw.drawNumberURL, round),
    },
    warnings,
  };
}
