import { describe, expect, it } from 'vitest';
import { poolStanding, profilesAbove } from '../../src/core/poolStanding.js';
import { smallWorld } from '../fixtures/draws.js';

describe('poolStanding', () => {
  const world = smallWorld();
  const pool = world.newestPool!.pool;

  it('finds the newest published pool', () => {
    expect(poolStanding(world)?.draw.round).toBe('13');
    expect(poolStanding(world)?.pool.total).toBe(1000);
  });

  it('counts whole bands above the score', () => {
    expect(profilesAbove(pool, 500)).toBe(100);
    expect(profilesAbove(pool, 470)).toBe(300);
  });

  it('interpolates inside the band that holds the score', () => {
    // 461-470 holds 200 profiles over 10 scores: 5 scores (466-470) lie above 465.
    expect(profilesAbove(pool, 465)).toBe(300 + 100);
    expect(profilesAbove(pool, 461)).toBe(300 + 180);
  });

  it('counts everyone above a score below the lowest band and no one above the top', () => {
    expect(profilesAbove(pool, 1200)).toBe(0);
    expect(profilesAbove({ ...pool, bands: [{ min: 10, max: 20, count: 5 }] }, 0)).toBe(5);
  });

  it('gives the share of the pool', () => {
    expect(poolStanding(world, 470)).toMatchObject({ above: 300, share: 0.3 });
  });
});
