import { describe, expect, it } from 'vitest';
import { describeVerdict, inLanes, personalVerdictLine, verdictFor } from '../../src/core/verdict.js';
import { makeDraw } from '../fixtures/draws.js';

const draw = makeDraw({ round: '420', date: '2026-05-21', crs: 480, drawnAt: '2026-05-21T15:30:00Z', tieBreak: '2026-01-10T12:14:09Z' });

describe('verdictFor', () => {
  it('qualifies by the margin above the cut-off', () => {
    const { outcome, invited } = verdictFor(draw, 492);
    expect(invited).toBe(true);
    expect(describeVerdict(outcome)).toBe('qualifies (+12)');
  });

  it('is short by the margin below', () => {
    const { outcome, invited } = verdictFor(draw, 471, '2025-01-01');
    expect(invited).toBe(false);
    expect(describeVerdict(outcome)).toBe('short by 9');
  });

  it.each([
    ['2026-01-10T12:14:08Z', true, 'tie, settled by your submission time: made it'],
    ['2026-01-10T12:14:09Z', false, 'tie, settled by your submission time: missed'],
    ['2026-01-09', true, 'tie, settled by your submission time: made it'],
    ['2026-01-11', false, 'tie, settled by your submission time: missed'],
  ])('settles a tie by the submission time %s', (submittedAt, invited, text) => {
    const result = verdictFor(draw, 480, submittedAt);
    expect(result.invited).toBe(invited);
    expect(describeVerdict(result.outcome)).toBe(text);
  });

  it('leaves a tie open without a time on the tie-break day, or without any date', () => {
    expect(verdictFor(draw, 480, '2026-01-10').invited).toBeNull();
    expect(describeVerdict(verdictFor(draw, 480, '2026-01-10').outcome)).toMatch(/^tie on the tie-break day: add the time/);
    expect(verdictFor(draw, 480).invited).toBeNull();
  });

  it('was not in the pool when submitted after the draw, the same day included', () => {
    expect(verdictFor(draw, 600, '2026-05-22').outcome.kind).toBe('not-in-pool');
    expect(verdictFor(draw, 600, '2026-05-21T15:30:00Z').outcome.kind).toBe('not-in-pool');
    expect(verdictFor(draw, 600, '2026-05-21T15:29:59Z').outcome.kind).toBe('above');
  });
});

describe('personalVerdictLine', () => {
  const cec = makeDraw({ round: '436', date: '2026-08-12', category: 'cec', crs: 523 });
  const general = makeDraw({ round: '437', date: '2026-08-13', category: 'general', crs: 500 });

  it("speaks only of draws in the profile's lanes; general draws are everyone's", () => {
    expect(inLanes({ crs: 530, categories: ['healthcare'] }, cec)).toBe(false);
    expect(inLanes({ crs: 530, categories: ['healthcare'] }, general)).toBe(true);
    expect(inLanes({ crs: 530, categories: [] }, cec)).toBe(true);
    expect(personalVerdictLine(cec, { crs: 530, categories: ['healthcare'] })).toBeUndefined();
  });

  it('says qualifies or short, without a pool figure when the round has no pool', () => {
    expect(personalVerdictLine(cec, { crs: 530, categories: ['cec'] })).toBe('Your CRS 530 qualifies (+7).');
    expect(personalVerdictLine(cec, { crs: 511, categories: ['cec'] })).toBe('Your CRS 511: short by 12.');
  });
});
