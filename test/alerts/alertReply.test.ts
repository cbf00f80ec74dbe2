import { describe, expect, it } from 'vitest';
import { alertReply, previousInCategory } from '../../src/alerts/alertReply.js';
import { frozenData } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';

const index = await frozenData();
const round = (r: string) => index.round(r)!;

describe('alertReply', () => {
  it('announces a new healthcare round against the real previous one (#422)', () => {
    const draw = makeDraw({
      round: '435',
      date: '2026-08-12',
      category: 'healthcare',
      name: 'Healthcare and Social Services Occupations, 2026-Version 3',
      invitations: 2500,
      crs: 462,
      tieBreak: '2026-07-01T09:30:00Z',
      url: 'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=435',
    });
    const previous = previousInCategory(index.inCategory('healthcare'), draw);
    expect(previous?.round).toBe('422');
    expect(alertReply(draw, previous)).toEqual({
      kind: 'answer',
      title: 'New draw #435: Healthcare and social services',
      fields: [
        { name: 'Date', value: 'Aug 12, 2026', inline: true },
        { name: 'Time', value: '15:00:00 UTC', inline: true },
        { name: 'Invitations', value: '2,500', inline: true },
        { name: 'CRS cut-off', value: '462', inline: true },
        { name: 'Tie-break', value: 'profiles submitted before Jul 1, 2026 09:30:00 UTC', inline: false },
      ],
      lines: ['Cut-off 462, 13 lower than the previous healthcare draw (#422, Jun 25, 2026: 475).'],
      link: { label: 'Round #435 on canada.ca', url: draw.url },
      category: 'healthcare',
    });
  });

  it('compares a real pair of rounds already in the dataset (#422 after #398)', () => {
    const draw = round('422');
    const reply = alertReply(draw, previousInCategory(index.draws, draw));
    expect(reply.title).toBe('New draw #422: Healthcare and social services');
    expect(reply.lines).toEqual(['Cut-off 475, 8 higher than the previous healthcare draw (#398, Feb 20, 2026: 467).']);
  });

  it('says when the cut-off did not move, and when a category has no earlier draw', () => {
    const draw = round('430');
    expect(draw.category).toBe('military');
    expect(alertReply(draw, previousInCategory(index.draws, draw)).lines).toEqual([
      `Cut-off ${draw.crs}, the first draw in this category.`,
    ]);
    const same = makeDraw({ round: '500', date: '2027-01-01', category: 'healthcare', crs: 475 });
    expect(alertReply(same, round('422')).lines).toEqual([
      'Cut-off 475, the same as the previous healthcare draw (#422, Jun 25, 2026: 475).',
    ]);
  });
});
