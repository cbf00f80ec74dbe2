import { describe, expect, it } from 'vitest';
import { outcomeFor, qualify } from '../../src/core/qualify.js';
import { makeDraw, smallWorld } from '../fixtures/draws.js';

const tied = makeDraw({ round: '12', date: '2025-06-01', crs: 462, tieBreak: '2024-12-02T22:19:41Z' });

describe('outcomeFor', () => {
  it('invites a score above the cut-off', () => {
    expect(outcomeFor(tied, 470)).toMatchObject({ outcome: { kind: 'above', by: 8 }, invited: true });
  });
  it('does not invite a score below it, and says by how much', () => {
    expect(outcomeFor(tied, 450)).toMatchObject({ outcome: { kind: 'below', by: 12 }, invited: false });
  });
  it('invites a tie submitted before the tie-break day', () => {
    expect(outcomeFor(tied, 462, '2024-12-01')).toMatchObject({ outcome: { kind: 'tie-before' }, invited: true });
  });
  it('does not invite a tie submitted after it', () => {
    expect(outcomeFor(tied, 462, '2024-12-03')).toMatchObject({ outcome: { kind: 'tie-after' }, invited: false });
  });
  it('cannot tell a tie submitted on the tie-break day itself (the time decides)', () => {
    expect(outcomeFor(tied, 462, '2024-12-02')).toMatchObject({
      outcome: { kind: 'tie-same-day', tieBreak: '2024-12-02T22:19:41Z' },
      invited: null,
    });
  });
  it('says a tie depends on the submission time when no profile date is given', () => {
    expect(outcomeFor(tied, 462)).toMatchObject({ outcome: { kind: 'tie-unknown', tieBreak: '2024-12-02T22:19:41Z' }, invited: null });
  });
  it('says so when IRCC published no tie-break', () => {
    expect(outcomeFor({ ...tied, tieBreak: null }, 462, '2024-01-01')).toMatchObject({ outcome: { kind: 'tie-no-rule' }, invited: null });
  });
  it('does not invite a profile submitted after the draw, whatever its score', () => {
    expect(outcomeFor(tied, 900, '2025-06-02')).toMatchObject({ outcome: { kind: 'not-in-pool' }, invited: false });
  });
});

describe('qualify', () => {
  it('reports the category latest draw and counts the period draws a score makes', () => {
    const result = qualify(smallWorld(), { crs: 475, category: 'healthcare', since: '2025-01-01' });
    expect(result.latest?.draw.round).toBe('15');
    expect(result.latest?.outcome).toEqual({ kind: 'above', by: 5 });
    expect(result.draws.map((d) => [d.draw.round, d.invited])).toEqual([
      ['15', true],
      ['12', true],
      ['10', false],
    ]);
    expect(result.invited).toBe(2);
    expect(result.undecided).toBe(0);
  });

  it('counts ties without a profile date as undecided', () => {
    const result = qualify(smallWorld(), { crs: 462, category: 'healthcare', since: '2025-01-01' });
    expect(result.invited).toBe(0);
    expect(result.undecided).toBe(1);
  });

  it('limits the period with since, but still reports the latest draw', () => {
    const result = qualify(smallWorld(), { crs: 400, category: 'healthcare', since: '2026-06-01' });
    expect(result.draws).toEqual([]);
    expect(result.latest?.draw.round).toBe('15');
  });

  it('looks at every category when none is given', () => {
    expect(qualify(smallWorld(), { crs: 515 }).draws).toHaveLength(6);
  });
});
