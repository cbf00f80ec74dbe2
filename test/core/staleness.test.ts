import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { DrawIndex } from '../../src/core/drawIndex.js';
import { staleness } from '../../src/core/staleness.js';
import { testDeps } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';

const index = (newest: string, generatedAt: string) =>
  new DrawIndex({ source: 'test', generatedAt, draws: [makeDraw({ round: '434', date: newest, crs: 500 })] });
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('staleness', () => {
  it('says nothing while the newest round is at most 45 days old and the copy was synced within a week', () => {
    expect(staleness(index('2026-08-07', '2026-09-20T08:00:00Z'), at('2026-09-21T12:00:00Z'))).toBeUndefined();
  });

  it('says so when the newest round is older than any gap between draws', () => {
    expect(staleness(index('2026-08-07', '2026-09-22T08:00:00Z'), at('2026-09-22T12:00:00Z'))).toBe(
      'its newest round is 46 days old, longer than IRCC has gone without a draw since 2023: run npm run sync to refresh it',
    );
  });

  it('says so when the copy was last synced over a week ago', () => {
    expect(staleness(index('2026-08-07', '2026-08-08T08:00:00Z'), at('2026-08-16T12:00:00Z'))).toBe(
      'this copy was last synced 8 days ago: run npm run sync to refresh it',
    );
  });

  it('reaches the footer of every answer where nothing syncs the data, and only there', async () => {
    const deps = await testDeps();
    const unsynced = createAnswers({ ...deps, unsynced: true });
    expect((await unsynced.text('/latest')).freshness).toMatch(
      /^IRCC data to round #434 \(Aug 7, 2026\) — its newest round is 110 days old, .*: run npm run sync to refresh it$/,
    );
    expect((await unsynced.text('nonsense words')).freshness).toContain('npm run sync');
    expect((await createAnswers(deps).text('/latest')).freshness).toBe('IRCC data to round #434 (Aug 7, 2026)');
  });
});
