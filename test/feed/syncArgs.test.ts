import { describe, expect, it } from 'vitest';
import { IRCC_FEED_URL } from '../../src/feed/readSource.js';
import { parseSyncArgs } from '../../src/feed/syncArgs.js';

describe('parseSyncArgs', () => {
  it('defaults to the live feed into data/draws.json, limited like the live sync', () => {
    expect(parseSyncArgs([])).toEqual({ help: false, from: IRCC_FEED_URL, out: 'data/draws.json', allowMany: false });
  });

  it('reads --allow-many, --from and --out', () => {
    expect(parseSyncArgs(['--from', 'saved.json', '--out', 'x/draws.json', '--allow-many'])).toEqual({
      help: false,
      from: 'saved.json',
      out: 'x/draws.json',
      allowMany: true,
    });
  });

  it('refuses an unknown option (a misspelt --allow-many is not taken for it)', () => {
    expect(() => parseSyncArgs(['--allow-mny'])).toThrow(/allow-mny/);
    expect(() => parseSyncArgs(['--allow-many=yes'])).toThrow();
  });
});
