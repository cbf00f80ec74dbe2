import { describe, expect, it } from 'vitest';
import { emptyPeriod } from '../../src/core/emptyPeriod.js';
import type { Period } from '../../src/core/period.js';
import type { CategorySlug } from '../../src/domain/drawSchema.js';
import { makeDraw, makeIndex } from '../fixtures/draws.js';

const TODAY = '2026-11-25';

// CEC on Mar 2 and Jul 21, 2026; healthcare on Jun 25, 2026 and Feb 20, 2026; no education draw.
const index = makeIndex([
  makeDraw({ round: '400', date: '2026-03-02' }),
  makeDraw({ round: '410', date: '2026-06-25', category: 'healthcare' }),
  makeDraw({ round: '428', date: '2026-07-21' }),
  makeDraw({ round: '398', date: '2026-02-20', category: 'healthcare' }),
]);

const NOVEMBER: Period = { from: '2026-11-01', to: '2026-11-25', label: 'in November 2026' };
const APRIL: Period = { from: '2026-04-01', to: '2026-04-30', label: 'in April 2026' };
const YEAR_2025: Period = { from: '2025-01-01', to: '2025-12-31', label: 'in 2025' };
const TODAY_ONLY: Period = { from: TODAY, to: TODAY, label: 'today (Nov 25, 2026)', day: true };

describe('emptyPeriod', () => {
  it.each<[category: CategorySlug | undefined, period: Period, line: string]>([
    // only draws before it: the latest, and how long ago
    ['healthcare', NOVEMBER, 'No healthcare draw in November 2026; the latest was #410 on Jun 25, 2026 (153 days ago).'],
    ['cec', NOVEMBER, 'No CEC draw in November 2026; the latest was #428 on Jul 21, 2026 (127 days ago).'],
    [undefined, TODAY_ONLY, 'No draw today (Nov 25, 2026); the latest was #428 on Jul 21, 2026 (127 days ago).'],
    // draws either side: the one before and the next
    ['cec', APRIL, 'No CEC draw in April 2026; the one before was #400 on Mar 2, 2026, and the next was #428 on Jul 21, 2026.'],
    [
      'healthcare',
      APRIL,
      'No healthcare draw in April 2026; the one before was #398 on Feb 20, 2026, and the next was #410 on Jun 25, 2026.',
    ],
    // only draws after it: the first one
    [undefined, YEAR_2025, 'No draw in 2025; the next was #398 on Feb 20, 2026.'],
    // none of that kind at all
    [
      'education',
      NOVEMBER,
      'No education draw in November 2026; there has been no education draw yet (/categories lists those IRCC has used).',
    ],
  ])('%s %j', (category, period, line) => {
    expect(emptyPeriod(index, category, period, TODAY)).toBe(line);
  });

  it('says "yesterday" for a draw the day before', () => {
    const latest = makeIndex([makeDraw({ round: '435', date: '2026-11-24' })]);
    expect(emptyPeriod(latest, 'cec', TODAY_ONLY, TODAY)).toBe(
      'No CEC draw today (Nov 25, 2026); the latest was #435 on Nov 24, 2026 (yesterday).',
    );
  });
});
