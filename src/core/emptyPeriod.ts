import type { CategorySlug } from '../domain/drawSchema.js';
import { shortLabel } from './describeDraw.js';
import type { DrawIndex } from './drawIndex.js';
import { formatDate } from './format.js';
import { agoText, type Period } from './period.js';

/**
 * The answer for a period without a draw of the kind asked about: an answer, not an error. "No
 * healthcare draw in November 2026; the latest was #422 on Jun 25, 2026 (164 days ago)." — or,
 * for a period further back, the draws either side of it.
 */
export function emptyPeriod(index: DrawIndex, category: CategorySlug | undefined, period: Period, today: string): string {
  const kind = category ? `${shortLabel(category)} draw` : 'draw';
  const draws = index.inCategory(category);
  // Newest first: the first one before the period, and the last one after it.
  const before = draws.find((d) => d.date < period.from);
  let after: (typeof draws)[number] | undefined;
  for (const d of draws) {
    if (d.date <= period.to) break;
    after = d;
  }
  const head = `No ${kind} ${period.label}`;
  if (!before && !after) return `${head}; there has been no ${kind} yet (/categories lists those IRCC has used).`;
  if (!after) return `${head}; the latest was #${before!.round} on ${formatDate(before!.date)} (${agoText(before!.date, today)}).`;
  const next = `the next was #${after.round} on ${formatDate(after.date)}`;
  return before ? `${head}; the one before was #${before.round} on ${formatDate(before.date)}, and ${next}.` : `${head}; ${next}.`;
}
