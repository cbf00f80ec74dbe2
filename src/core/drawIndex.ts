import type { CategorySlug, Dataset, Draw, Pool } from '../domain/drawSchema.js';

/**
 * The dataset in memory with the look-ups every answer needs, built once per dataset so a query
 * never scans for what it can index. Draws are newest first everywhere.
 */
export class DrawIndex {
  readonly draws: readonly Draw[];
  readonly newest: Draw;
  readonly source: string;
  readonly generatedAt: string;
  readonly newestPool: { draw: Draw; pool: Pool } | undefined;
  private readonly byRound: ReadonlyMap<string, Draw>;
  private readonly byCategory: ReadonlyMap<CategorySlug, readonly Draw[]>;

  constructor(dataset: Dataset) {
    if (dataset.draws.length === 0) throw new Error('the dataset holds no draws');
    this.draws = dataset.draws;
    this.newest = dataset.draws[0]!;
    this.source = dataset.source;
    this.generatedAt = dataset.generatedAt;
    this.byRound = new Map(dataset.draws.map((d) => [d.round, d]));
    const byCategory = new Map<CategorySlug, Draw[]>();
    for (const draw of dataset.draws) {
      const list = byCategory.get(draw.category) ?? [];
      list.push(draw);
      byCategory.set(draw.category, list);
    }
    this.byCategory = byCategory;
    const withPool = dataset.draws.find((d) => d.pool);
    this.newestPool = withPool ? { draw: withPool, pool: withPool.pool! } : undefined;
  }

  round(round: string): Draw | undefined {
    return this.byRound.get(round);
  }

  /** All draws of a category, or every draw when no category is given. */
  inCategory(category: CategorySlug | undefined): readonly Draw[] {
    return category ? (this.byCategory.get(category) ?? []) : this.draws;
  }

  /** Draws whose date lies in [from, to] (YYYY-MM-DD, both inclusive, either open). */
  between(category: CategorySlug | undefined, from?: string, to?: string): readonly Draw[] {
    return this.inCategory(category).filter((d) => (!from || d.date >= from) && (!to || d.date <= to));
  }
}
