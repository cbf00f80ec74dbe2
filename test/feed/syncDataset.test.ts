import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDataset } from '../../src/feed/datasetFile.js';
import { FeedError } from '../../src/feed/feedError.js';
import { syncDataset } from '../../src/feed/syncDataset.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';

const now = () => new Date('2026-11-25T12:00:00Z');
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ee-sync-'));
  file = join(dir, 'draws.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('syncDataset', () => {
  it('writes a valid dataset, then merges a newer feed into it', async () => {
    const first = await syncDataset({ body: feedBody([rawRound()]), source: 'test', dataFile: file, now });
    expect(first).toMatchObject({ total: 1, written: true, missing: [] });
    const second = await syncDataset({
      body: feedBody([rawRound({ drawNumber: '380', drawDate: '2025-11-20', drawDateTime: 'November 20, 2025 at 12:00:00 UTC' })]),
      source: 'test',
      dataFile: file,
      now,
    });
    expect(second.added.map((d) => d.round)).toEqual(['380']);
    expect(second.missing).toEqual(['379']);
    const dataset = await readDataset(file);
    expect(dataset?.draws.map((d) => d.round)).toEqual(['380', '379']);
    expect(dataset?.generatedAt).toBe('2026-11-25T12:00:00Z');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('does not rewrite the file when nothing changed', async () => {
    await syncDataset({ body: feedBody([rawRound()]), source: 'test', dataFile: file, now });
    const before = await readFile(file, 'utf8');
    const report = await syncDataset({ body: feedBody([rawRound()]), source: 'test', dataFile: file, now: () => new Date() });
    expect(report.written).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it.each(['', '\n', '<html>503</html>', '{"rounds":[]}', '{"rounds":[{"drawNumber":"1"'])(
    'refuses %j and leaves the existing file byte for byte',
    async (body) => {
      await syncDataset({ body: feedBody([rawRound()]), source: 'test', dataFile: file, now });
      const before = await readFile(file, 'utf8');
      await expect(syncDataset({ body, source: 'test', dataFile: file, now })).rejects.toThrow(FeedError);
      expect(await readFile(file, 'utf8')).toBe(before);
    },
  );

  it('never creates a file from a refused body', async () => {
    await writeFile(join(dir, 'other'), '');
    await expect(syncDataset({ body: '\n', source: 'test', dataFile: file, now })).rejects.toThrow(FeedError);
    expect(await readDataset(file)).toBeUndefined();
  });

  describe('the sanity gate before the merge', () => {
    /** Round n, on `date` (IRCC's times and dates kept consistent). */
    const roundOn = (n: number, date = '2025-11-14', extra: Partial<Record<string, string>> = {}) =>
      rawRound({ drawNumber: String(n), drawDate: date, drawDateTime: '', drawDistributionAsOn: 'November 9, 2025', ...extra });
    const sameDay = () => new Date('2025-11-14T20:00:00Z'); // 15:00 in Ottawa, the day of #379

    /** Refused (also with allowMany, unless `counted`: a limit --allow-many lifts), the file untouched. */
    async function refused(body: string, reason: RegExp, clock = now, counted = false): Promise<void> {
      await syncDataset({ body: feedBody([rawRound()]), source: 'test', dataFile: file, now: clock });
      const before = await readFile(file, 'utf8');
      await expect(syncDataset({ body, source: 'test', dataFile: file, now: clock })).rejects.toThrow(reason);
      if (!counted)
        await expect(syncDataset({ body, source: 'test', dataFile: file, now: clock, allowMany: true })).rejects.toThrow(FeedError);
      expect(await readFile(file, 'utf8')).toBe(before);
    }

    it('refuses round 99999 dated 2099-12-31, even with --allow-many; the file stays byte for byte', () =>
      refused(feedBody([roundOn(99999, '2099-12-31'), rawRound()]), /round "99999" is not numbered like IRCC's/));

    it('refuses a round dated tomorrow in Ottawa', () =>
      refused(
        feedBody([roundOn(380, '2025-11-15'), rawRound()]),
        /round "380" is dated 2025-11-15, after today \(2025-11-14 in Ottawa\)/,
        sameDay,
      ));

    it.each([
      ['CRS 1300', { drawCRS: '1300' }, /cut-off/],
      ['0 invitations', { drawSize: '0' }, /has 0 invitations/],
      ['a 10 KB name', { drawName: `Healthcare ${'x'.repeat(10 * 1024)}` }, /has a name of 10251 characters/],
      ['a 10 KB list of programs', { drawText2: 'y'.repeat(10 * 1024) }, /has a programs of 10240 characters/],
    ])('refuses %s', (_, extra, reason) => refused(feedBody([roundOn(380, '2025-11-14', extra), rawRound()]), reason));

    it('refuses 5,000 invented rounds', () => {
      const invented = Array.from({ length: 5000 }, (_, i) => roundOn(1000 + i, '2025-11-10'));
      return refused(feedBody([...invented, rawRound()]), /the feed adds 5000 rounds at once/, now, true);
    });

    it('takes six new rounds at once only with allowMany (npm run sync -- --allow-many)', async () => {
      await syncDataset({ body: feedBody([rawRound()]), source: 'test', dataFile: file, now: sameDay });
      const before = await readFile(file, 'utf8');
      const body = feedBody([380, 381, 382, 383, 384, 385].map((n) => roundOn(n)).concat(rawRound()));
      await expect(syncDataset({ body, source: 'test', dataFile: file, now: sameDay })).rejects.toThrow(
        /the feed adds 6 rounds at once .*; at most 5 are plausible 0 day\(s\) after the newest round held \(2025-11-14\)/,
      );
      expect(await readFile(file, 'utf8')).toBe(before);
      const report = await syncDataset({ body, source: 'test', dataFile: file, now: sameDay, allowMany: true });
      expect(report.added.map((d) => d.round)).toEqual(['385', '384', '383', '382', '381', '380']);
      expect(report.written).toBe(true);
    });

    it('does not limit the first import into an empty file, nor a catch-up after days away', async () => {
      const many = Array.from({ length: 40 }, (_, i) => roundOn(340 + i, '2025-10-01'));
      expect((await syncDataset({ body: feedBody(many), source: 'test', dataFile: file, now: sameDay })).added).toHaveLength(40);
      // 10 days after the newest held round (2025-10-01 → 2025-10-11): up to 15 new rounds.
      const later = Array.from({ length: 15 }, (_, i) => roundOn(380 + i, '2025-10-11'));
      const report = await syncDataset({
        body: feedBody([...later, ...many]),
        source: 'test',
        dataFile: file,
        now: () => new Date('2025-10-11T16:00:00Z'),
      });
      expect(report.added).toHaveLength(15);
    });
  });
});
