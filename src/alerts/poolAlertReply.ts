import { drawLink } from '../core/describeDraw.js';
import { formatDate, formatNumber } from '../core/format.js';
import type { Reply } from '../core/reply.js';
import type { Draw, Pool } from '../domain/drawSchema.js';

/** Bands whose change is named, the largest first. */
const MOVED = 3;

const signed = (n: number): string => (n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : '±0');

/**
 * The message a chat that asked for pool alerts receives when IRCC publishes a new distribution:
 * its date and total, and — against the distribution before it — how the total and the bands that
 * moved most changed.
 */
export function poolAlertReply(draw: Draw, previous: Pool | undefined): Reply {
  const pool = draw.pool!;
  const since = previous ? ` (${signed(pool.total - previous.total)} since ${formatDate(previous.asOf)})` : '';
  const lines = [
    `${formatNumber(pool.total)} profiles in the pool on ${formatDate(pool.asOf)}${since}, published with round #${draw.round}.`,
  ];
  if (previous) {
    const before = new Map(previous.bands.map((band) => [`${band.min}-${band.max}`, band.count]));
    const moved = pool.bands
      .map((band) => ({ band, delta: band.count - (before.get(`${band.min}-${band.max}`) ?? 0) }))
      .filter(({ delta }) => delta !== 0)
      .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
      .slice(0, MOVED);
    if (moved.length > 0) {
      lines.push(`Moved most: ${moved.map(({ band, delta }) => `CRS ${band.min}–${band.max} ${signed(delta)}`).join(', ')}.`);
    }
  }
  return { kind: 'answer', title: `New pool distribution: ${formatDate(pool.asOf)}`, lines, link: drawLink(draw) };
}

/** The distribution published before `asOf`, from every draw held (newest first). */
export function previousPool(draws: readonly Draw[], asOf: string): Pool | undefined {
  return draws.find((draw) => draw.pool && draw.pool.asOf < asOf)?.pool ?? undefined;
}
