import type { CategorySlug, Draw } from '../domain/drawSchema.js';
import type { DrawIndex } from './drawIndex.js';

/** The newest draw overall, or of one category; undefined if the category never had one. */
export function latestDraw(index: DrawIndex, category?: CategorySlug): Draw | undefined {
  return index.inCategory(category)[0];
}
