import { isDeepStrictEqual } from 'node:util';
import { compareDraws } from '../domain/compareDraws.js';
import type { Draw } from '../domain/drawSchema.js';

export interface MergeResult {
  draws: Draw[];
  /** Rounds we did not hold before: the only ones that are news. */
  added: Draw[];
  /** Rounds IRCC edited (renamed, corrected): updated silently. */
  updated: Draw[];
  /** Rounds we hold that the newer feed no longer lists: kept. */
  missing: string[];
}

/** Merges a newer feed into what we hold, by round number. Pure; never drops a round. */
export function mergeDraws(existing: readonly Draw[], incoming: readonly Draw[]): MergeResult {
  const merged = new Map(existing.map((d) => [d.round, d]));
  const added: Draw[] = [];
  const updated: Draw[] = [];
  for (const draw of incoming) {
    const held = merged.get(draw.round);
    if (!held) added.push(draw);
    else if (!isDeepStrictEqual(held, draw)) updated.push(draw);
    merged.set(draw.round, draw);
  }
  const seen = new Set(incoming.map((d) => d.round));
  const missing = existing.filter((d) => !seen.has(d.round)).map((d) => d.round);
  return { draws: [...merged.values()].sort(compareDraws), added: added.sort(compareDraws), updated, missing };
}
