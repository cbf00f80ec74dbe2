import { describe, expect, it } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { correctionNote } from '../../src/alerts/correctionNote.js';
import { corrections } from '../../src/domain/corrections.js';
import type { Draw } from '../../src/domain/drawSchema.js';
import { makeDraw } from '../fixtures/draws.js';

const announced = makeDraw({
  round: '435',
  date: '2026-08-12',
  category: 'healthcare',
  name: 'Healthcare and social services occupations (Version 2)',
  categoryVersion: 2,
  crs: 475,
  invitations: 3000,
  tieBreak: '2026-08-01T10:00:00Z',
});

describe('corrections', () => {
  const cases: Array<[string, Partial<Draw>, string | undefined]> = [
    ['the same round', {}, undefined],
    ['a cut-off', { crs: 472 }, 'Corrected by IRCC: cut-off 475 → 472.'],
    ['a size', { invitations: 3100 }, 'Corrected by IRCC: invitations 3,000 → 3,100.'],
    ['a date', { date: '2026-08-13' }, 'Corrected by IRCC: date Aug 12, 2026 → Aug 13, 2026.'],
    [
      'a tie-break',
      { tieBreak: '2026-08-02T09:30:00Z' },
      'Corrected by IRCC: tie-break Aug 1, 2026 10:00:00 UTC → Aug 2, 2026 09:30:00 UTC.',
    ],
    ['a tie-break withdrawn', { tieBreak: null }, 'Corrected by IRCC: tie-break Aug 1, 2026 10:00:00 UTC → none.'],
    ['cut-off and size at once', { invitations: 2900, crs: 480 }, 'Corrected by IRCC: cut-off 475 → 480, invitations 3,000 → 2,900.'],
    ['a rename', { name: 'Healthcare occupations (Version 3)', categoryVersion: 3 }, undefined],
    ['a new url', { url: 'https://www.canada.ca/en/other.html' }, undefined],
    ['the programs', { programs: ['Federal Skilled Worker'] }, undefined],
    ['the time alone', { drawnAt: '2026-08-12T18:00:00Z' }, undefined],
    ['a rename with a cut-off', { name: 'Healthcare occupations', crs: 476 }, 'Corrected by IRCC: cut-off 475 → 476.'],
  ];

  it.each(cases)('%s', (_, change, note) => {
    const found = corrections(announced, { ...announced, ...change });
    expect(found.length === 0 ? undefined : correctionNote(found)).toBe(note);
  });

  it('names each figure with its value before and after', () => {
    expect(corrections(announced, { ...announced, crs: 472, tieBreak: null })).toEqual([
      { field: 'crs', before: 475, after: 472 },
      { field: 'tieBreak', before: '2026-08-01T10:00:00Z', after: null },
    ]);
  });

  it('puts the note first in the alert, which otherwise reads as the corrected round', () => {
    const corrected = { ...announced, crs: 472 };
    const reply = alertReply(corrected, undefined, corrections(announced, corrected));
    expect(reply.lines?.[0]).toBe('Corrected by IRCC: cut-off 475 → 472.');
    expect(reply.fields).toContainEqual({ name: 'CRS cut-off', value: '472', inline: true });
    expect(alertReply(corrected, undefined).lines?.join('\n')).not.toContain('Corrected');
  });
});
