import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/feed/feedError.js';
import { normalizeRound } from '../../src/feed/normalizeRound.js';
import { rawRound } from '../fixtures/rawRound.js';

describe('normalizeRound', () => {
  it('turns a raw round into the documented draw', () => {
    const { draw, warnings } = normalizeRound(rawRound());
    expect(warnings).toEqual([]);
    expect(draw).toMatchObject({
      round: '379',
      date: '2025-11-14',
      drawnAt: '2025-11-14T11:53:39Z',
      name: 'Healthcare and social services occupations (Version 2)',
      category: 'healthcare',
      categoryVersion: 2,
      programs: ['Federal Skilled Worker Program', 'Canadian Experience Class', 'Federal Skilled Trades Program'],
      invitations: 3500,
      crs: 462,
      tieBreak: '2024-12-02T22:19:41Z',
      url: 'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=379',
    });
  });

  it('builds non-overlapping bands from the leaf fields, lowest first, keeping IRCC total', () => {
    const { pool } = normalizeRound(rawRound()).draw;
    expect(pool?.asOf).toBe('2025-11-09');
    expect(pool?.total).toBe(245706);
    expect(pool?.bands.map((b) => `${b.min}-${b.max}`)).toEqual([
      '0-300',
      '301-350',
      '351-400',
      '401-410',
      '411-420',
      '421-430',
      '431-440',
      '441-450',
      '451-460',
      '461-470',
      '471-480',
      '481-490',
      '491-500',
      '501-600',
      '601-1200',
    ]);
    expect(pool?.bands[0]).toEqual({ min: 0, max: 300, count: 8018 });
    expect(pool?.bands.at(-1)).toEqual({ min: 601, max: 1200, count: 696 });
    for (let i = 1; i < pool!.bands.length; i++) expect(pool!.bands[i]!.min).toBe(pool!.bands[i - 1]!.max + 1);
  });

  it('stores no pool where IRCC published zeros or nothing', () => {
    const zeros = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`dd${i + 1}`, '0']));
    expect(normalizeRound(rawRound(zeros)).draw.pool).toBeNull();
    const blank = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`dd${i + 1}`, '']));
    expect(normalizeRound(rawRound({ ...blank, drawDistributionAsOn: '' })).draw.pool).toBeNull();
  });

  it('reads "91a" rounds and builds a link when the feed gives none', () => {
    const { draw } = normalizeRound(rawRound({ drawNumber: '91a', drawNumberURL: '' }));
    expect(draw.round).toBe('91a');
    expect(draw.url).toMatch(/^https:\/\/www\.canada\.ca\/en\/.*invitations\.html\?q=91a$/);
  });

  it('keeps the round but nulls a time that is far from the draw date (#357: July 12 vs July 22)', () => {
    const { draw, warnings } = normalizeRound(rawRound({ drawDate: '2025-07-22', drawDateTime: 'July 12, 2025 at 16:27:45 UTC' }));
    expect(draw.drawnAt).toBeNull();
    expect(draw.date).toBe('2025-07-22');
    expect(warnings).toEqual([expect.stringContaining('round 379: draw time "July 12, 2025 at 16:27:45 UTC" is far from the draw date')]);
  });

  it('accepts a time a day either side of the Ottawa date (#139 ran 02:04 UTC the next day)', () => {
    const { draw, warnings } = normalizeRound(
      rawRound({ drawDate: '2020-03-18', drawDateTime: 'March 19, 2020 at 02:04:06 UTC', drawCutOff: 'March 19, 2020 at 02:04:06 UTC' }),
    );
    expect(warnings).toEqual([]);
    expect(draw.drawnAt).toBe('2020-03-19T02:04:06Z');
    expect(draw.tieBreak).toBe('2020-03-19T02:04:06Z');
  });

  it('reports and nulls an unreadable timestamp without refusing the round', () => {
    const { draw, warnings } = normalizeRound(rawRound({ drawCutOff: 'sometime in spring' }));
    expect(draw.tieBreak).toBeNull();
    expect(draw.crs).toBe(462);
    expect(warnings).toEqual(['round 379: tie-break "sometime in spring" is unreadable; stored as null']);
  });

  it('nulls a tie-break that falls after the draw', () => {
    const { draw, warnings } = normalizeRound(rawRound({ drawCutOff: 'November 20, 2025 at 10:00:00 UTC' }));
    expect(draw.tieBreak).toBeNull();
    expect(warnings[0]).toContain('is after the draw');
  });

  it('files an unknown name as "other" with a warning', () => {
    const { draw, warnings } = normalizeRound(rawRound({ drawName: 'Aerospace Occupations, 2027-Version 1' }));
    expect(draw.category).toBe('other');
    expect(draw.name).toBe('Aerospace Occupations, 2027-Version 1');
    expect(warnings).toEqual(['round 379: unknown category name "Aerospace Occupations, 2027-Version 1", filed as "other"']);
  });

  it('splits programs however many blanks a field holds (1 MB)', () => {
    const blanks = ' '.repeat(1_000_000);
    const programs = (drawText2: string) => normalizeRound(rawRound({ drawText2 })).draw.programs;
    expect(programs(`Federal Skilled Worker${blanks}and${blanks}Canadian Experience Class`)).toEqual([
      'Federal Skilled Worker Program',
      'Canadian Experience Class',
    ]);
    expect(programs(`Federal Skilled Trades${blanks},${blanks}Provincial Nominee Program`)).toEqual([
      'Federal Skilled Trades Program',
      'Provincial Nominee Program',
    ]);
    // No separator: the blanks stay inside the one program, as before.
    expect(programs(`a${blanks}b${blanks}`)).toEqual([`a${blanks}b`]);
  });

  it.each([
    ['A, B and C', ['A', 'B', 'C']],
    ['A ,and B', ['A', 'and B']],
    ['A , and B', ['A', 'and B']],
    ['A and, B', ['A and', 'B']],
    ['A and and B', ['A', 'and B']],
    ['A\tand\nB,,C', ['A', 'B', 'C']],
    ['A AND B', ['A AND B']],
    ['A andB', ['A andB']],
    [' , ', []],
  ])('splits programs exactly as the separator /\\s*,\\s*|\\s+and\\s+/ did: %j', (text, programs) => {
    expect(normalizeRound(rawRound({ drawText2: text })).draw.programs).toEqual(programs);
  });

  it.each([
    [{ drawNumber: 'abc' }, /unreadable number/],
    [{ drawDate: '2025-13-45' }, /round 379 has an unreadable date/],
    [{ drawSize: 'many' }, /round 379 has an unreadable size/],
    [{ drawCRS: '' }, /round 379 has an unreadable cut-off/],
    [{ drawCRS: '1,500' }, /round 379 has an unreadable cut-off/],
    [{ drawName: ' ' }, /round 379 has no category name/],
  ])('refuses a round without its essential facts: %j', (override, message) => {
    expect(() => normalizeRound(rawRound(override))).toThrow(FeedError);
    expect(() => normalizeRound(rawRound(override))).toThrow(message);
  });
});
