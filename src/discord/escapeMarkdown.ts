/**
 * Whether any of the rules below could apply; most feed text has nothing to escape. A superset of
 * them (a marker anywhere, not only at a line start), so that it stays linear: `^\s*` with the m
 * flag rescans a run of blank lines from each of its line starts.
 */
const SPECIAL = /[\\*_~`|[\]<>#+-]|\d\./;

/** JavaScript's line terminators: where `^` matches with the m flag. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Block syntax at the start of a line, before a space: headings, lists, subtext. Read from the
 * start of each run of whitespace (never from inside one, which made `^\s*` with the m flag
 * quadratic); the run counts as a line start when it begins the text or holds a line break.
 */
const MARKER = /(?<!\s)(\s*)(#{1,3}|-#|[-+])(?=\s)/g;
const NUMBERED = /(?<!\s)(\s+)(\d+)\.(?=\s)|^(\d+)\.(?=\s)/g;

const atLineStart = (blanks: string, offset: number) => offset === 0 || LINE_BREAK.test(blanks);

/**
 * Plain text as Discord Markdown that shows exactly that text: feed names and what users typed must
 * not turn into bold, spoilers, links, mentions, headings or quotes. Discord drops a backslash
 * before any punctuation, so over-escaping is harmless; under-escaping is not.
 */
export function escapeMarkdown(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return (
    text
      .replace(/[\\*_~`|[\]<>]/g, '\\$&')
      // Block syntax counts only at the start of a line, before a space: headings, lists, subtext
      // (quotes are covered above). "#422" stays as it is.
      .replace(MARKER, (match, blanks: string, marker: string, offset: number) =>
        atLineStart(blanks, offset) ? `${blanks}\\${marker}` : match,
      )
      .replace(NUMBERED, (match, blanks: string | undefined, digits: string | undefined, first: string | undefined, offset: number) => {
        if (first !== undefined) return `${first}\\.`;
        return atLineStart(blanks!, offset) ? `${blanks}${digits}\\.` : match;
      })
  );
}

/** Text inside a ``` block is literal; only a backtick could close the block early. */
export function escapeCodeBlock(text: string): string {
  return text.includes('`') ? text.replace(/`/g, 'ˋ') : text;
}
