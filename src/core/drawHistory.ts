import type { CategorySlug, Draw } from '../domain/drawSchema.js';
import type { DrawIndex } from './drawIndex.js';

/** The last `count` draws (newest first) of a category, optionally inside [from, to]. */
export function drawHistory(index: DrawIndex, query: { category?: CategorySlug; count?: number; from?: string; to?: string }): Draw[] {
  const draws = index.between(query.category, query.from, query.to);
  return draws.slice(0, query.count ?? draws.length);
}
