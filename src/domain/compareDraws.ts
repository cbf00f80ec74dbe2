import type { Draw } from './drawSchema.js';

function roundKey(round: string): [number, string] {
  const match = /^(\d+)([a-z]?)$/.exec(round);
  return match ? [Number(match[1]), match[2]!] : [Number.NaN, round];
}

/** Newest first: by date, then by round number ("91b" after "91a", so newer). */
export function compareDraws(a: Pick<Draw, 'date' | 'round'>, b: Pick<Draw, 'date' | 'round'>): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  const [an, as] = roundKey(a.round);
  const [bn, bs] = roundKey(b.round);
  if (an !== bn) return bn - an;
  return as === bs ? 0 : as < bs ? 1 : -1;
}
