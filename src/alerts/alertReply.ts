import { categoryLabel, drawFields, drawLink, pnpNoteFor, shortLabel } from '../core/describeDraw.js';
import { formatDate } from '../core/format.js';
import type { Reply } from '../core/reply.js';
import { compareDraws } from '../domain/compareDraws.js';
import type { Correction } from '../domain/corrections.js';
import type { Draw } from '../domain/drawSchema.js';
import { correctionNote } from './correctionNote.js';

/** Facts the title and the comparison line already carry. */
const REDUNDANT_FIELDS = new Set(['Round', 'Category']);

/**
 * The message a subscribed chat receives for a new round: the round's facts as every command shows
 * them, and how its cut-off compares with the category's previous draw — the first thing people
 * ask when a draw lands. `corrected`: what IRCC changed since the alert went out, noted first when
 * the alert is edited to the corrected figures.
 */
/** The round's facts as an alert shows them; `zone`: times in it too (a private chat's owner's). */
export function alertFields(draw: Draw, zone?: string): Reply['fields'] {
  return drawFields(draw, zone).filter((field) => !REDUNDANT_FIELDS.has(field.name));
}

export function alertReply(draw: Draw, previous: Draw | undefined, corrected: readonly Correction[] = []): Reply {
  return {
    kind: 'answer',
    title: `New draw #${draw.round}: ${categoryLabel(draw.category)}`,
    fields: alertFields(draw),
    lines: [...(corrected.length > 0 ? [correctionNote(corrected)] : []), comparison(draw, previous), ...pnpNoteFor([draw])],
    link: drawLink(draw),
    category: draw.category,
  };
}

/** "Cut-off 462, 13 lower than the previous healthcare draw (#422, Jun 25, 2026: 475)." */
function comparison(draw: Draw, previous: Draw | undefined): string {
  const head = `Cut-off ${draw.crs}`;
  if (!previous) return `${head}, the first draw in this category.`;
  const before = `the previous ${shortLabel(draw.category)} draw (#${previous.round}, ${formatDate(previous.date)}: ${previous.crs})`;
  const delta = draw.crs - previous.crs;
  if (delta === 0) return `${head}, the same as ${before}.`;
  return `${head}, ${Math.abs(delta)} ${delta < 0 ? 'lower' : 'higher'} than ${before}.`;
}

/**
 * The category's draw just before `draw`, from every draw held (newest first, as DrawIndex keeps
 * them), whether or not `draw` itself is among them yet.
 */
export function previousInCategory(draws: readonly Draw[], draw: Draw): Draw | undefined {
  return draws.find((d) => d.category === draw.category && d.round !== draw.round && compareDraws(d, draw) > 0);
}
