import { describe, expect, it } from 'vitest';
import { mergeDraws } from '../../src/feed/mergeDraws.js';
import { normalizeRound } from '../../src/feed/normalizeRound.js';
import { rawRound } from '../fixtures/rawRound.js';

const draw = (overrides: Record<string, string>) => normalizeRound(rawRound(overrides)).draw;
const r378 = draw({ drawNumber: '378', drawDate: '2025-11-13', drawDateTime: 'November 13, 2025 at 12:00:00 UTC' });
const r379 = draw({});
const r380 = draw({ drawNumber: '380', drawDate: '2025-11-20', drawDateTime: 'November 20, 2025 at 12:00:00 UTC' });

describe('mergeDraws', () => {
  it('adds new rounds and reports only them as added', () => {
    const result = mergeDraws([r379, r378], [r380, r379, r378]);
    expect(result.draws.map((d) => d.round)).toEqual(['380', '379', '378']);
    expect(result.added.map((d) => d.round)).toEqual(['380']);
    expect(result.updated).toEqual([]);
    expect(result.missing).toEqual([]);
  });

  it('replaces a round IRCC edited (renamed, corrected) and reports it as updated, not added', () => {
    const renamed = { ...r379, name: 'Healthcare occupations (Version 9)', categoryVersion: 9 };
    const result = mergeDraws([r379, r378], [renamed, r378]);
    expect(result.added).toEqual([]);
    expect(result.updated).toEqual([renamed]);
    expect(result.draws[0]).toEqual(renamed);
  });

  it('keeps rounds a newer feed no longer lists, and reports them', () => {
    const result = mergeDraws([r380, r379, r378], [r380]);
    expect(result.draws.map((d) => d.round)).toEqual(['380', '379', '378']);
    expect(result.missing).toEqual(['379', '378']);
  });

  it('treats an identical feed as no change', () => {
    const result = mergeDraws([r379, r378], [r379, r378]);
    expect(result.added).toEqual([]);
    expect(result.updated).toEqual([]);
  });
});
