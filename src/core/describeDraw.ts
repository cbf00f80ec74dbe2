import { categoryInfo } from '../domain/categories.js';
import type { Draw } from '../domain/drawSchema.js';
import { formatDate, formatInstant, formatNumber } from './format.js';
import type { Reply, ReplyField } from './reply.js';

/**
 * The facts of one round, as every command that shows a round shows them. `zone`: an IANA zone the
 * asker gave (their profile's), in which times are shown too, after UTC.
 */
export function drawFields(draw: Draw, zone?: string): ReplyField[] {
  return [
    { name: 'Round', value: `#${draw.round}`, inline: true },
    { name: 'Date', value: formatDate(draw.date), inline: true },
    ...(draw.drawnAt ? [{ name: 'Time', value: inZone(drawTime(draw, draw.drawnAt), draw.drawnAt, draw.date, zone), inline: true }] : []),
    { name: 'Category', value: draw.name, inline: true },
    { name: 'Invitations', value: formatNumber(draw.invitations), inline: true },
    { name: 'CRS cut-off', value: String(draw.crs), inline: true },
    {
      name: 'Tie-break',
      value: draw.tieBreak
        ? `profiles submitted before ${inZone(formatInstant(draw.tieBreak), draw.tieBreak, undefined, zone)}`
        : 'none published',
      inline: false,
    },
  ];
}

/** "10:08:20 UTC"; the whole instant if it fell on another day in UTC than the round's date. */
function drawTime(draw: Draw, drawnAt: string): string {
  return drawnAt.startsWith(draw.date) ? `${drawnAt.slice(11, 19)} UTC` : formatInstant(drawnAt);
}

/** One formatter per zone asked about: building one costs far more than using it. */
const ZONE_FORMATS = new Map<string, Intl.DateTimeFormat>();
const ZONE_FORMATS_MAX = 64;

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = ZONE_FORMATS.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    if (ZONE_FORMATS.size >= ZONE_FORMATS_MAX) ZONE_FORMATS.delete(ZONE_FORMATS.keys().next().value!);
    ZONE_FORMATS.set(zone, format);
  }
  return format;
}

/** "America/Toronto" -> "Toronto", "America/Argentina/Buenos_Aires" -> "Buenos Aires": what people call the zone. */
export function zoneName(zone: string): string {
  return zone.slice(zone.lastIndexOf('/') + 1).replaceAll('_', ' ');
}

/**
 * An instant in an IANA zone: "06:08:20 Toronto", with its date ("Aug 8, 2026 02:08:20 Tokyo")
 * unless it falls on `sameDay` (YYYY-MM-DD) there.
 */
export function localTime(instant: string, zone: string, sameDay?: string): string {
  const parts = Object.fromEntries(
    zoneFormat(zone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  return `${date === sameDay ? '' : `${formatDate(date)} `}${time} ${zoneName(zone)}`;
}

/** "10:08:20 UTC · 06:08:20 Toronto": a time shown in UTC, and in the asker's zone when they gave one. */
function inZone(utc: string, instant: string, sameDay: string | undefined, zone: string | undefined): string {
  return zone ? `${utc} · ${localTime(instant, zone, sameDay)}` : utc;
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
