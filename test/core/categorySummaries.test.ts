import { describe, expect, it } from 'vitest';
import { categorySummaries } from '../../src/core/categorySummaries.js';
import { drawHistory } from '../../src/core/drawHistory.js';
import { findRound } from '../../src/core/findRound.js';
import { latestDraw } from '../../src/core/latestDraw.js';
import { UserError } from '../../src/domain/userError.js';
import { smallWorld } from '../fixtures/draws.js';

describe('look-ups', () => {
  const world = smallWorld();

  it('lists categories with their latest draw, most recently drawn first', () => {
    expect(categorySummaries(world).map((s) => [s.category.slug, s.latest.round, s.draws])).toEqual([
      ['healthcare', '15', 3],
      ['cec', '14', 2],
      ['pnp', '13', 1],
    ]);
  });

  it('finds the latest draw overall and per category', () => {
    expect(latestDraw(world)?.round).toBe('15');
    expect(latestDraw(world, 'cec')?.round).toBe('14');
    expect(latestDraw(world, 'stem')).toBeUndefined();
  });

  it('gives the last N draws, or those in a date range', () => {
    expect(drawHistory(world, { count: 2 }).map((d) => d.round)).toEqual(['15', '14']);
    expect(drawHistory(world, { category: 'healthcare', from: '2025-04-01', to: '2025-12-31' }).map((d) => d.round)).toEqual(['12']);
  });

  it('finds a round by number, with or without #, and explains an unknown one', () => {
    expect(findRound(world, '#12').round).toBe('12');
    expect(() => findRound(world, '99')).toThrow(UserError);
    expect(() => findRound(world, '99')).toThrow('There is no round "99"; rounds run from #10 to #15 — try /draw 15.');
  });
});
