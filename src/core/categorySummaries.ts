import { CATEGORIES, type CategoryInfo } from '../domain/categories.js';
import type { Draw } from '../domain/drawSchema.js';
import type { DrawIndex } from './drawIndex.js';

export interface CategorySummary {
  category: CategoryInfo;
  latest: Draw;
  draws: number;
}

/** Every category that has had a draw, with its latest draw; most recently drawn first. */
export function categorySummaries(index: DrawIndex): CategorySummary[] {
  return CATEGORIES.flatMap((category) => {
    const draws = index.inCategory(category.slug);
    return draws.length ? [{ category, latest: draws[0]!, draws: draws.length }] : [];
  }).sort((a, b) => (a.latest.date < b.latest.date ? 1 : a.latest.date > b.latest.date ? -1 : 0));
}
