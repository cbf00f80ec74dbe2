import { compareDraws } from '../domain/compareDraws.js';
import type { Draw } from '../domain/drawSchema.js';
import { FeedError } from './feedError.js';
import { normalizeRound } from './normalizeRound.js';
import { type RawRound, rawFeedSchema } from './rawFeedSchema.js';

export interface ParsedFeed {
  draws: Draw[];
  warnings: string[];
}

function preview(body: string): string {
  const compact = body.replace(/\s+/g, ' ').trim();
  return compact.length > 60 ? `${compact.slice(0, 60)}…` : compact;
}

/**
 * Validates and normalises one body of IRCC's rounds feed. Refuses (FeedError) anything that is
 * not a usable feed — empty, not JSON, the wrong shape, no rounds — so a caller never replaces good
 * data with a broken download.
 */
export function parseFeed(body: string): ParsedFeed {
  if (!body.trim()) throw new FeedError('the feed body is empty');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new FeedError(`the feed body is not JSON (it starts with ${JSON.stringify(preview(body))})`);
  }
  const parsed = rawFeedSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FeedError(`the feed does not have IRCC's shape: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  if (parsed.data.rounds.length === 0) throw new FeedError('the feed holds no rounds');

  const warnings: string[] = [];
  const byRound = new Map<string, Draw>();
  for (const raw of parsed.data.rounds) {
    const { draw, warnings: roundWarnings } = normalizeRound(raw as RawRound);
    warnings.push(...roundWarnings);
    if (byRound.has(draw.round)) {
      warnings.push(`round ${draw.round}: listed twice; the first listing is kept`);
      continue;
    }
    byRound.set(draw.round, draw);
  }
  return { draws: [...byRound.values()].sort(compareDraws), warnings };
}
