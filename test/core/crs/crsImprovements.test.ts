import { describe, expect, it } from 'vitest';
import { crsImprovements } from '../../../src/core/crs/crsImprovements.js';
import type { CrsProfile, LanguageLevels } from '../../../src/core/crs/crsProfile.js';
import { crsScore } from '../../../src/core/crs/crsScore.js';

const clb = (n: number): LanguageLevels => ({ listening: n, reading: n, writing: n, speaking: n });
const profile = (changes: Partial<CrsProfile>): CrsProfile => ({
  age: 29,
  education: 'secondary',
  canadaWork: 0,
  foreignWork: 0,
  certificate: false,
  canadaStudy: 'none',
  sibling: false,
  nomination: false,
  ...changes,
});
const shown = (base: CrsProfile, limit?: number) => crsImprovements(base, limit).map(({ change, gain }) => `${change}: +${gain}`);

const EXAMPLE = profile({ education: 'masters', english: clb(9), foreignWork: 3 });

describe('crsImprovements', () => {
  it('suggests the three largest gains', () => {
    // 469 now; nominated 1069; French NCLC 7: 4 × 3 second-language + 50 French points; 1 year in Canada: 40.
    expect(shown(EXAMPLE)).toEqual([
      'a provincial nomination: +600',
      'a French test at NCLC 7 in every ability: +62',
      'one more year of Canadian work: +40',
    ]);
  });

  it('keeps the candidates’ order on equal gains', () => {
    // A PhD (+15) is listed before a Canadian credential (+15); CLB 10 gives 4 × 3 = 12.
    expect(shown(EXAMPLE, 10).slice(3)).toEqual([
      'a doctorate (PhD): +15',
      'a 1–2 year Canadian credential: +15',
      'English CLB 9 → 10 in every ability: +12',
    ]);
  });

  it('finds each gain by scoring the changed profile', () => {
    const bases = [
      EXAMPLE,
      profile({
        age: 33,
        education: 'bachelors',
        english: { listening: 8, reading: 7, writing: 7, speaking: 7 },
        canadaWork: 1,
        spouse: { education: 'secondary', canadaWork: 0 },
      }),
      profile({ english: clb(10), french: { listening: 5, reading: 6, writing: 7, speaking: 8 }, foreignWork: 1 }),
      profile({ french: clb(8), spouse: { education: 'bachelors', language: clb(6), canadaWork: 2 } }),
    ];
    for (const base of bases) {
      const improvements = crsImprovements(base, 20);
      expect(improvements.length).toBeGreaterThan(0);
      for (const { gain, profile: changed } of improvements) {
        expect(gain).toBe(crsScore(changed).total - crsScore(base).total);
        expect(gain).toBeGreaterThan(0);
      }
      const gains = improvements.map((each) => each.gain);
      expect(gains).toEqual([...gains].sort((a, b) => b - a));
    }
  });

  it('raises a language to the first level that scores more', () => {
    // French 5/6/7/8: NCLC 6 in every ability changes nothing, 7 earns 12 − 8 = 4 plus 50 French points.
    const base = profile({ english: clb(10), french: { listening: 5, reading: 6, writing: 7, speaking: 8 } });
    expect(shown(base, 20)).toContain('French NCLC 5 → 7 in every ability: +54');
  });

  it('suggests the spouse’s language, education and Canadian work one step up', () => {
    const base = profile({ english: clb(7), spouse: { education: 'bachelors', language: clb(6), canadaWork: 2 } });
    expect(shown(base, 20)).toEqual(
      expect.arrayContaining([
        "your spouse's CLB 6 → 7 in every ability: +8",
        'a second credential (one of 3+ years) for your spouse: +1',
        'one more year of Canadian work for your spouse: +1',
      ]),
    );
  });

  it('never suggests a nomination to the nominated, nor age or a sibling', () => {
    const nominated = profile({ age: 45, english: clb(7), nomination: true });
    const changes = crsImprovements(nominated, 20).map((each) => each.change);
    expect(changes.some((change) => /nomination/.test(change))).toBe(false);
    const older = profile({ age: 45, english: clb(7) });
    for (const { profile: changed } of crsImprovements(older, 20)) {
      expect(changed.age).toBe(45);
      expect(changed.sibling).toBe(false);
    }
  });

  it('suggests nothing when the score is already the most there is', () => {
    const top = profile({
      age: 25,
      education: 'phd',
      english: clb(10),
      french: clb(10),
      canadaWork: 5,
      foreignWork: 3,
      certificate: true,
      nomination: true,
    });
    expect(crsScore(top).total).toBe(1200);
    expect(crsImprovements(top)).toEqual([]);
  });

  it('does not suggest raising what already scores its most', () => {
    // CLB 10+, a PhD and 3 years abroad: no English, education or foreign-work suggestion.
    const base = profile({ education: 'phd', english: clb(12), foreignWork: 3 });
    const changes = crsImprovements(base, 20).map((each) => each.change);
    expect(changes.filter((change) => /English|doctorate|foreign/.test(change))).toEqual([]);
  });
});
