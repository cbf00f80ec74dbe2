/**
 * Words people add to a question that carry no option: politeness, "draw", "cut-off", "score",
 * punctuation and emoji. Every command and the plain-language reader pass over them, so they
 * are never read as a category or a value ("/history cec 20 please", "latest draw?").
 */
const NOISE = new Set([
  'please',
  'pls',
  'plz',
  'thanks',
  'thank',
  'thx',
  'you',
  'draw',
  'draws',
  'round',
  'rounds',
  'cutoff',
  'cut-off',
  'cutoffs',
  'cut-offs',
  'cut',
  'off',
  'score',
  'scores',
  'crs',
  'the',
  'a',
  'an',
  'of',
  'for',
  'in',
  'me',
  'us',
  'hi',
  'hello',
  'hey',
  'ee',
  'express',
  'entry',
  'ita',
  'itas',
]);

/** Strips what surrounds a word people type: "draw?" → "draw", "(cec)" → "cec". */
export function bareWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/[^\p{L}\p{N}]+$/u, '');
}

/** Whether a typed word is noise: a word of NOISE, or nothing but punctuation and emoji. */
export function isNoiseWord(word: string): boolean {
  const bare = bareWord(word);
  return bare === '' || NOISE.has(bare);
}
