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
});
