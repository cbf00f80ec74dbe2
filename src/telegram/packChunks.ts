/** Telegram refuses longer message texts. Counted here in UTF-16 units of the raw HTML, which is never shorter than what Telegram counts. */
export const MESSAGE_LIMIT = 4096;

const PRE_OPEN = '<pre>';
const PRE_CLOSE = '</pre>';

/** Room a piece may take so that it still fits a message when wrapped in <pre></pre>. */
export const pieceBudget = (limit: number) => limit - PRE_OPEN.length - PRE_CLOSE.length;

/**
 * The smallest unit of a message: HTML that closes every tag it opens, so that a message may end
 * after any piece.
 */
export interface Piece {
  html: string;
  /** What separates it from the piece before it when both land in the same message. */
  gap: '\n' | '\n\n';
  /** A line of a monospace block; consecutive lines joined by '\n' share one <pre>. */
  pre?: boolean;
}

/**
 * Packs pieces into as few messages as fit `limit`, splitting only between pieces. A monospace
 * block cut by a message boundary is closed at the end of one message and reopened at the start of
 * the next, so every message is valid HTML on its own.
 */
export function packChunks(pieces: readonly Piece[], limit = MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let current = '';
  let inPre = false;
  const flush = () => {
    if (current) chunks.push(inPre ? current + PRE_CLOSE : current);
    current = '';
    inPre = false;
  };
  for (const piece of pieces) {
    if (piece.html.length > pieceBudget(limit)) throw new Error(`a message piece of ${piece.html.length} characters cannot fit ${limit}`);
    const pre = piece.pre === true;
    const continuesPre = pre && inPre && piece.gap === '\n';
    const addition = continuesPre
      ? `\n${piece.html}`
      : `${inPre ? PRE_CLOSE : ''}${current ? piece.gap : ''}${pre ? PRE_OPEN : ''}${piece.html}`;
    // The closing </pre> must still fit after this piece.
    if (current && current.length + addition.length + (pre ? PRE_CLOSE.length : 0) > limit) {
      flush();
      current = `${pre ? PRE_OPEN : ''}${piece.html}`;
    } else current += addition;
    inPre = pre;
  }
  flush();
  return chunks;
}

/**
 * Where each of up to `count` characters (code points; a lone surrogate counts as one, as in
 * `[...text]`) of `text` from the code unit `from` ends, in code units.
 */
function charEnds(text: string, from: number, count: number): number[] {
  const ends: number[] = [];
  let end = from;
  while (ends.length < count && end < text.length) {
    end += text.codePointAt(end)! > 0xffff ? 2 : 1;
    ends.push(end);
  }
  return ends;
}

/**
 * The largest count in [1, max] for which `fits` holds, or 1 when none does; `fits` holds up to
 * some count and not beyond. Gallops from `guess` (most text renders evenly, so a proportional
 * guess is within a character or two) to a bracket, then bisects it: a few renders per part
 * instead of a bisection over the whole window.
 */
function longestFitting(max: number, fits: (count: number) => boolean, guess: number): number {
  let low = 1;
  let high = max;
  const start = Math.min(Math.max(guess, 1), max);
  if (start > low && start <= high) {
    if (fits(start)) {
      low = start;
      for (let step = 1; low < high; step *= 2) {
        const probe = Math.min(high, low + step);
        if (!fits(probe)) {
          high = probe - 1;
          break;
        }
        low = probe;
      }
    } else {
      high = start - 1;
      for (let step = 1; low < high; step *= 2) {
        const probe = Math.max(low, high - step + 1);
        if (fits(probe)) {
          low = probe;
          break;
        }
        high = probe - 1;
      }
    }
  }
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Cuts plain text into parts whose rendered form (`render(part)`, e.g. escaped and wrapped in <b>)
 * is at most `budget` long: at the last space or line break that keeps at least half the room,
 * otherwise between two characters — never inside a surrogate pair, and never inside an entity,
 * since escaping happens after the cut.
 *
 * Rendering never shrinks as characters are added, so a part is looked for only in a window of
 * the rest whose rendering overflows (grown fourfold until it does: characters may render to
 * nothing), never in the whole rest, which made a long text quadratic. The result is the same.
 */
export function splitToFit(text: string, render: (part: string) => string, budget: number): string[] {
  const parts: string[] = [];
  const firstWindow = Math.max(1, budget + 1);
  let start = 0;
  for (let size = firstWindow; ; ) {
    const ends = charEnds(text, start, size);
    const end = ends.at(-1) ?? start;
    const rendered = render(text.slice(start, end)).length;
    if (rendered <= budget) {
      if (end === text.length) break;
      size *= 4;
      continue;
    }
    const fits = (count: number) => render(text.slice(start, ends[count - 1])).length <= budget;
    const guess = Math.floor((ends.length * budget) / rendered);
    const low = longestFitting(ends.length - 1, fits, guess);
    const prefix = text.slice(start, ends[low - 1] ?? start);
    const space = Math.max(prefix.lastIndexOf(' '), prefix.lastIndexOf('\n'));
    if (space > prefix.length / 2) {
      parts.push(prefix.slice(0, space));
      start += space + 1;
    } else {
      parts.push(prefix);
      start += prefix.length;
    }
    // Text renders much as it did just before: a window twice the last part most often overflows.
    size = Math.min(firstWindow, 2 * low + 1);
  }
  const rest = text.slice(start);
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}
