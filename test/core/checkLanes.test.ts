import { describe, expect, it } from 'vitest';
import { checkLanes, describeLane, laneName, laneNeeds, laneRank, withNomination } from '../../src/core/checkLanes.js';
import { qualify } from '../../src/core/qualify.js';
import { makeDraw, makeIndex, smallWorld } from '../fixtures/draws.js';

describe('checkLanes', () => {
  it('splits the period per kind of draw: programs before categories, each with its own count and newest draw', () => {
    const { draws } = qualify(smallWorld(), { crs: 475, since: '2025-01-01' });
    const lanes = checkLanes(draws, undefined, 475);
    expect(lanes.map((l) => [l.category, l.invited, l.draws, l.latest.round])).toEqual([
      ['cec', 0, 2, '14'],
      ['pnp', 0, 1, '13'],
      ['healthcare', 2, 3, '15'],
    ]);
  });

  it('counts a PNP draw for the same score with a nomination, and ties the profile date settles as undecided', () => {
    const index = makeIndex([
      makeDraw({ round: '1', date: '2026-01-01', category: 'pnp', crs: 1070, tieBreak: '2025-06-01T00:00:00Z' }),
      makeDraw({ round: '2', date: '2026-02-01', category: 'pnp', crs: 1060 }),
      makeDraw({ round: '3', date: '2026-03-01', category: 'pnp', crs: 1080 }),
    ]);
    const [lane] = checkLanes(qualify(index, { crs: 470 }).draws, undefined, 470);
    expect(lane).toMatchObject({ draws: 3, invited: 0, undecided: 0, nominated: { crs: 1070, invited: 1, undecided: 1 } });
    const [settled] = checkLanes(qualify(index, { crs: 470, profileDate: '2025-05-01' }).draws, '2025-05-01', 470);
    expect(settled!.nominated).toEqual({ crs: 1070, invited: 2, undecided: 0 });
  });

  it('adds no nomination to a score that may already hold one', () => {
    expect(withNomination(600)).toBe(1200);
    expect(withNomination(601)).toBeUndefined();
    const index = makeIndex([makeDraw({ round: '1', date: '2026-01-01', category: 'pnp', crs: 700 })]);
    expect(checkLanes(qualify(index, { crs: 720 }).draws, undefined, 720)[0]!.nominated).toBeUndefined();
  });

  it('ranks general draws first, programs next, category-based draws last', () => {
    const order = ['healthcare', 'pnp', 'general', 'french', 'cec', 'fst', 'fsw'] as const;
    expect([...order].sort((a, b) => laneRank(a) - laneRank(b))).toEqual(['general', 'cec', 'fsw', 'fst', 'pnp', 'french', 'healthcare']);
  });

  it('says who may enter each lane', () => {
    expect(laneNeeds('general')).toBe('open to every program');
    expect(laneNeeds('french')).toBe('needs French-language proficiency');
    expect(laneNeeds('other')).toBe('needs the eligibility IRCC set for it');
    expect([laneName('cec'), laneName('senior-managers'), laneName('stem')]).toEqual(['CEC', 'Senior managers', 'STEM']);
  });

  it('describes a lane on one line, ties and the nomination included', () => {
    const index = makeIndex([
      makeDraw({ round: '1', date: '2026-01-01', category: 'pnp', crs: 700 }),
      makeDraw({ round: '2', date: '2026-02-01', category: 'pnp', crs: 470, tieBreak: '2025-06-01T00:00:00Z' }),
    ]);
    const [lane] = checkLanes(qualify(index, { crs: 470 }).draws, undefined, 470);
    expect(describeLane(lane!, 470)).toBe(
      'PNP (needs a provincial nomination): would have made 0 of 2 draws (1 more depends on when your profile was submitted); ' +
        'latest cut-off 470 on Feb 1, 2026; with a nomination 470 + 600 = 1,070 would have made 2 of 2.',
    );
  });
});
