import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { OTTAWA } from '../../src/domain/ottawa.js';
import { parseFeed } from '../../src/feed/parseFeed.js';
import { HAS_SHARED_IRCC, readSnapshot, SKIP_REASON } from '../fixtures/sharedIrcc.js';

describe.skipIf(!HAS_SHARED_IRCC)(`the real IRCC snapshots (../shared/ircc)${HAS_SHARED_IRCC ? '' : ` — ${SKIP_REASON}`}`, () => {
  const y2026 = HAS_SHARED_IRCC ? parseFeed(readSnapshot('2026-08-07')) : undefined!;
  const y2024 = HAS_SHARED_IRCC ? parseFeed(readSnapshot('2024-04-06')) : undefined!;

  it('imports every round: 435 in the 2026 file, 292 in the 2024 file, no duplicates', () => {
    expect(y2026.draws).toHaveLength(435);
    expect(y2024.draws).toHaveLength(292);
    for (const { draws } of [y2026, y2024]) expect(new Set(draws.map((d) => d.round)).size).toBe(draws.length);
    expect(y2026.draws[0]?.round).toBe('434');
    expect(y2026.draws.at(-1)?.round).toBe('1');
    expect(y2026.draws.map((d) => d.round)).toContain('91a');
  });

  it('files every round of both files under a known category (none as "other")', () => {
    const other = [...y2026.draws, ...y2024.draws].filter((d) => d.category === 'other').map((d) => `${d.round} ${d.name}`);
    expect(other).toEqual([]);
    expect(y2026.warnings.filter((w) => w.includes('unknown category'))).toEqual([]);
  });

  it('gives every round of the 2024 file the same category in the 2026 file, despite renames', () => {
    const newer = new Map(y2026.draws.map((d) => [d.round, d]));
    const renamed = y2024.draws.filter((d) => newer.get(d.round)!.name !== d.name);
    expect(renamed.length).toBeGreaterThan(0);
    for (const draw of y2024.draws) {
      expect({ round: draw.round, category: newer.get(draw.round)?.category }).toEqual({ round: draw.round, category: draw.category });
      expect(newer.get(draw.round)?.categoryVersion).toBe(draw.categoryVersion);
    }
  });

  it('puts no tie-break after its draw (compared with the draw time, or the draw date in Ottawa)', () => {
    for (const { draws } of [y2026, y2024]) {
      for (const d of draws) {
        if (!d.tieBreak) continue;
        if (d.drawnAt) expect(d.tieBreak <= d.drawnAt, `round ${d.round}`).toBe(true);
        expect(DateTime.fromISO(d.tieBreak).setZone(OTTAWA).toISODate()! <= d.date, `round ${d.round}`).toBe(true);
      }
    }
  });

  it('reads almost every timestamp; the few it cannot trust are reported by round', () => {
    const withTime = y2026.draws.filter((d) => d.drawnAt).length;
    expect(withTime).toBeGreaterThanOrEqual(434);
    expect(y2026.warnings).toEqual([
      expect.stringMatching(/^round 357: draw time "July 12, 2025 at 16:27:45 UTC" is far from the draw date/),
    ]);
    const tieBreaks = y2026.draws.filter((d) => d.tieBreak).length;
    expect(tieBreaks).toBe(435 - 76); // the 76 oldest rounds were published without a tie-break
  });

  it('keeps the edits IRCC made to past rounds (#262 tie-break)', () => {
    expect(y2024.draws.find((d) => d.round === '262')?.tieBreak).toBe('2023-08-01T12:59:52Z');
    expect(y2026.draws.find((d) => d.round === '262')?.tieBreak).toBe('2023-07-04T19:36:18Z');
  });

  it('makes absolute canada.ca links without the /content/canadasite prefix', () => {
    const page =
      /^https:\/\/www\.canada\.ca\/en\/immigration-refugees-citizenship\/.+\/express-entry-rounds\/invitations(-\d+\.html|\.html\?q=\d+[ab]?)$/;
    for (const d of y2026.draws) expect(d.url).toMatch(page);
  });
});
