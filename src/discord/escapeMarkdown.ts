/** Whether any of the rules below could apply; most feed text has nothing to escape. */
const SPECIAL = /[\\*_~`|[\]<>]|^\s*(?:#|-|\+|\d+\.)/m;

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
      .replace(/^(\s*)(#{1,3}|-#|[-+])(?=\s)/gm, '$1\\$2')
      .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
  );
}

/** Text inside a ``` block is literal; only a backtick could close the block early. */
export function escapeCodeBlock(text: string): string {
  return text.includes('`') ? text.replace(/`/g, 'ˋ') : text;
}
