import { categoryInfo } from '../domain/categories.js';
import type { Draw } from '../domain/drawSchema.js';
import { formatDate, formatInstant, formatNumber } from './format.js';
import type { Reply, ReplyField } from './reply.js';

/** The facts of one round, as every command that shows a round shows them. */
export function drawFields(draw: Draw): ReplyField[] {
  return [
    { name: 'Round', value: `#${draw.round}`, inline: true },
    { name: 'Date', value: formatDate(draw.date), inline: true },
    ...(draw.drawnAt ? [{ name: 'Time', value: drawTime(draw, draw.drawnAt), inline: true }] : []),
    { name: 'Category', value: draw.name, inline: true },
    { name: 'Invitations', value: formatNumber(draw.invitations), inline: true },
    { name: 'CRS cut-off', value: String(draw.crs), inline: true },
    {
      name: 'Tie-break',
      value: draw.tieBreak ? `profiles submitted before ${formatInstant(draw.tieBreak)}` : 'none published',
      inline: false,
    },
  ];
}

/** "10:08:20 UTC"; the whole instant if it fell on another day in UTC than the round's date. */
function drawTime(draw: Draw, drawnAt: string): string {
  return drawnAt.startsWith(draw.date) ? `${drawnAt.slice(11, 19)} UTC` : formatInstant(drawnAt);
}

/** PNP_NOTE, as a line, when any of the draws shown is a PNP draw. */
export function pnpNoteFor(draws: readonly Draw[]): string[] {
  return draws.some((draw) => draw.category === 'pnp') ? [PNP_NOTE] : [];
}

export function drawLink(draw: Draw): NonNullable<Reply['link']> {
  return { label: `Round #${draw.round} on canada.ca`, url: draw.url };
}

/** "healthcare" -> "Healthcare and social services"; no category -> "all". */
export function categoryLabel(category: Draw['category'] | undefined): string {
  return category ? categoryInfo(category).label : 'all';
}

/** "CEC draws" / "healthcare draws" / "draws" — how a sentence names the draws asked about. */
export function drawsOf(category: Draw['category'] | undefined): string {
  return category ? `${shortLabel(category)} draws` : 'draws';
}

/** "CEC", "PNP", "STEM", "healthcare": a category's name within a sentence, from the one table. */
export function shortLabel(category: Draw['category']): string {
  return categoryInfo(category).short;
}

/**
 * Said with every answer about PNP draws: their cut-offs count the 600 points a provincial
 * nomination adds, so a score without one is not comparable to them.
 */
export const PNP_NOTE =
  'PNP cut-offs include the 600 points a provincial nomination adds: these draws are only for candidates with a nomination, so compare your score plus 600.';
