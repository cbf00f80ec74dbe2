import type { Draw, Pool } from '../domain/drawSchema.js';
import type { DrawIndex } from './drawIndex.js';

export interface PoolStanding {
  draw: Draw;
  pool: Pool;
  /** Estimated profiles with a higher score than the one asked about. */
  above?: number;
  /** `above` as a share of the pool, 0..1. */
  share?: number;
}

/**
 * Profiles scoring strictly above `crs`, assuming profiles spread evenly over the scores inside
 * the band that holds `crs` (IRCC publishes only band totals).
 */
export function profilesAbove(pool: Pool, crs: number): number {
  let above = 0;
  for (const band of pool.bands) {
    if (band.min > crs) above += band.count;
    else if (band.max > crs) above += (band.count * (band.max - crs)) / (band.max - band.min + 1);
  }
  return Math.round(above);
}

/** The newest published pool snapshot and, given a score, where it stands in it. */
export function poolStanding(index: DrawIndex, crs?: number): PoolStanding | undefined {
  const newest = index.newestPool;
  if (!newest) return undefined;
  if (crs === undefined) return { ...newest };
  const above = profilesAbove(newest.pool, crs);
  return { ...newest, above, share: newest.pool.total ? above / newest.pool.total : 0 };
}
