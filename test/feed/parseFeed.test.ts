import { describe, expect, it } from 'vitest';
import { FeedError } from '../../src/feed/feedError.js';
import { parseFeed } from '../../src/feed/parseFeed.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';

describe('parseFeed', () => {
  it('returns draws newest first, whatever order the feed lists them in', () => {
    const body = feedBody([
      rawRound({ drawNumber: '91a', drawDate: '2018-05-30', drawDateTime: 'May 30, 2018 at 15:00:00 UTC', drawCutOff: '' }),
      rawRound({ drawNumber: '380', drawDate: '2025-11-20', drawDateTime: 'November 20, 2025 at 15:00:00 UTC' }),
      rawRound({ drawNumber: '91b', drawDate: '2018-05-30', drawDateTime: 'May 30, 2018 at 15:00:00 UTC', drawCutOff: '' }),
      rawRound(),
    ]);
    expect(parseFeed(body).draws.map((d) => d.round)).toEqual(['380', '379', '91b', '91a']);
  });

  it('accepts unknown fields IRCC may add', () => {
    const body = JSON.stringify({ classes: 'x', newTopLevel: 1, rounds: [{ ...rawRound(), drawFancyNewField: 'yes' }] });
    expect(parseFeed(body).draws).toHaveLength(1);
  });

  it('keeps the first of two listings of one round and says so', () => {
    const { draws, warnings } = parseFeed(feedBody([rawRound(), rawRound({ drawCRS: '999' })]));
    expect(draws.map((d) => d.crs)).toEqual([462]);
    expect(warnings).toEqual(['round 379: listed twice; the first listing is kept']);
  });

  it.each([
    ['an empty body', '', 'the feed body is empty'],
    ['a single newline (seen for real on 2025-07-09)', '\n', 'the feed body is empty'],
    ['an HTML error page', '<!DOCTYPE html><html><body>Service unavailable</body></html>', 'the feed body is not JSON'],
    ['truncated JSON', feedBody([rawRound()]).slice(0, 200), 'the feed body is not JSON'],
    ['zero rounds', '{"rounds":[]}', 'the feed holds no rounds'],
    ['no rounds array', '{"classes":"wb-tables"}', "the feed does not have IRCC's shape: rounds"],
    [
      'a number where a string belongs',
      JSON.stringify({ rounds: [{ ...rawRound(), drawCRS: 462 }] }),
      "the feed does not have IRCC's shape: rounds.0.drawCRS",
    ],
    ['a JSON array', '[1,2,3]', "the feed does not have IRCC's shape"],
  ])('refuses %s', (_what, body, message) => {
    expect(() => parseFeed(body)).toThrow(FeedError);
    expect(() => parseFeed(body)).toThrow(message);
  });
});
