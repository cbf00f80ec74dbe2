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
 * Cuts plain text into parts whose rendered form (`render(part)`, e.g. escaped and wrapped in <b>)
 * is at most `budget` long: at the last space or line break that keeps at least half the room,
 * otherwise between two characters — never inside a surrogate pair, and never inside an entity,
 * since escaping happens after the cut.
 */
export function splitToFit(text: string, render: (part: string) => string, budget: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (render(rest).length > budget) {
    const chars = [...rest];
    // The longest prefix that still fits; rendering grows with every character, so bisect.
    let low = 1;
    let high = chars.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (render(chars.slice(0, mid).join('')).length <= budget) low = mid;
      else high = mid - 1;
    }
    const prefix = chars.slice(0, low).join('');
    const space = Math.max(prefix.lastIndexOf(' '), prefix.lastIndexOf('\n'));
    if (space > prefix.length / 2) {
      parts.push(prefix.slice(0, space));
      rest = rest.slice(space + 1);
    } else {
      parts.push(prefix);
      rest = rest.slice(prefix.length);
    }
  }
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}
