import type { Draw } from '../domain/drawSchema.js';
import { UserError } from '../domain/userError.js';
import type { DrawIndex } from './drawIndex.js';

/** One round by its number ("379", "#379", "91a"); a UserError names the valid range otherwise. */
export function findRound(index: DrawIndex, input: string): Draw {
  const round = input.trim().replace(/^#/, '').toLowerCase();
  const draw = index.round(round);
  if (draw) return draw;
  const oldest = index.draws.at(-1)!.round;
  throw new UserError(
    `There is no round ${JSON.stringify(input.slice(0, 20))}; rounds run from #${oldest} to #${index.newest.round} — try /draw ${index.newest.round}.`,
  );
}
