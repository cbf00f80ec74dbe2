import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDrawStore, openDrawStoreFrom } from '../../src/app/drawStore.js';
import type { DatasetStore } from '../../src/domain/datasetStore.js';
import type { Dataset } from '../../src/domain/drawSchema.js';
import { writeDataset } from '../../src/feed/datasetFile.js';
import { makeDraw } from '../fixtures/draws.js';

let dir: string;
let runtime: string;
let shipped: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ee-drawstore-'));
  runtime = join(dir, 'var', 'draws.json');
  shipped = join(dir, 'shipped.json');
  await writeDataset(shipped, {
    source: 'shipped',
    generatedAt: '2026-08-07T12:00:00Z',
    draws: [makeDraw({ round: '434', date: '2026-08-07' }), makeDraw({ round: '433', date: '2026-08-01' })],
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = () => new Date(Date.UTC(2026, 11, 1, 20, 15, 0, 123));

describe('openDrawStore', () => {
  it('opens the file holding the newest round (a live sync under DATA_DIR ahead of the seed)', async () => {
    await writeDataset(runtime, {
      source: 'live',
      generatedAt: '2026-08-21T12:00:00Z',
      draws: [makeDraw({ round: '435', date: '2026-08-20' }), makeDraw({ round: '434', date: '2026-08-07' })],
    });
    expect((await openDrawStore([runtime, shipped])).current().newest.round).toBe('435');
  });

  it.each([
    ['empty after a power cut', '', /is empty/],
    ['zeros after a power cut', '\0'.repeat(4096), /is not valid JSON/],
    [
      'cut short',
      '{\n  "source": "live",\n  "generatedAt": "2026-08-21T12:00:00Z",\n  "draws": [\n    {"round":"435","da',
      /is not valid JSON/,
    ],
    ['another kind of JSON', '{"chats": [1, 2, 3]}', /is not a dataset of draws/],
  ])('sets an unreadable runtime file aside (%s) and starts from the shipped dataset, with a warning', async (_, content, reason) => {
    await writeDataset(runtime, {
      source: 'live',
      generatedAt: '2026-08-21T12:00:00Z',
      draws: [makeDraw({ round: '435', date: '2026-08-20' })],
    });
    await writeFile(runtime, content);
    const warnings: string[] = [];

    const store = await openDrawStore([runtime, shipped], { onWarning: (message) => warnings.push(message), now });

    expect(store.current().newest.round).toBe('434');
    const setAside = `${runtime}.corrupt-20261201T201500Z`;
    expect(await readdir(join(dir, 'var'))).toEqual(['draws.json.corrupt-20261201T201500Z']);
    expect(await readFile(setAside, 'utf8')).toBe(content);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toContain(runtime);
    expect(warnings[0]).toContain(`set aside as ${setAside}`);
    expect(warnings[0]).toContain(`starting from ${shipped}`);
    // The next start finds no runtime file and opens the seed quietly.
    expect((await openDrawStore([runtime, shipped], { onWarning: (message) => warnings.push(message) })).current().newest.round).toBe(
      '434',
    );
    expect(warnings).toHaveLength(1);
  });

  it('sets aside a runtime file whose newest round is dated after today (a poisoned feed merged earlier), with a warning', async () => {
    const content = {
      source: 'live',
      generatedAt: '2026-08-21T12:00:00Z',
      draws: [makeDraw({ round: '99999', date: '2099-12-31' }), makeDraw({ round: '435', date: '2026-08-20' })],
    };
    await writeDataset(runtime, content);
    const written = await readFile(runtime, 'utf8');
    const warnings: string[] = [];

    const store = await openDrawStore([runtime, shipped], { onWarning: (message) => warnings.push(message), now });

    expect(store.current().newest.round).toBe('434');
    expect(await readdir(join(dir, 'var'))).toEqual(['draws.json.implausible-20261201T201500Z']);
    expect(await readFile(`${runtime}.implausible-20261201T201500Z`, 'utf8')).toBe(written);
    expect(warnings).toEqual([
      `${runtime} holds an implausible round: round "99999" is not numbered like IRCC's rounds (at most 4 digits): ` +
        `set aside as ${runtime}.implausible-20261201T201500Z, starting from ${shipped}`,
    ]);
  });

  it("judges the future by the day in Ottawa: a round dated today there is kept, tomorrow's is not", async () => {
    // 03:00 UTC on 2 December is 22:00 on 1 December in Ottawa.
    const lateEvening = () => new Date('2026-12-02T03:00:00Z');
    await writeDataset(runtime, {
      source: 'live',
      generatedAt: '2026-12-01T21:00:00Z',
      draws: [makeDraw({ round: '450', date: '2026-12-01' })],
    });
    expect((await openDrawStore([runtime, shipped], { now: lateEvening })).current().newest.round).toBe('450');

    await writeDataset(runtime, {
      source: 'live',
      generatedAt: '2026-12-01T21:00:00Z',
      draws: [makeDraw({ round: '451', date: '2026-12-02' })],
    });
    const warnings: string[] = [];
    const store = await openDrawStore([runtime, shipped], { onWarning: (message) => warnings.push(message), now: lateEvening });
    expect(store.current().newest.round).toBe('434');
    expect(warnings).toEqual([expect.stringContaining('round "451" is dated 2026-12-02, after today (2026-12-01 in Ottawa)')]);
  });

  it('opens with the paths alone, as npm run ask calls it', async () => {
    await writeFile(runtime.replace('var/', ''), '');
    expect((await openDrawStore([runtime.replace('var/', ''), shipped])).current().newest.round).toBe('434');
  });

  it('refuses an unreadable shipped dataset, naming it', async () => {
    await writeFile(shipped, '{"source": "shipped", "draws": [');
    await expect(openDrawStore([runtime, shipped], { now })).rejects.toThrow(`${shipped} is not valid JSON`);
    expect(await readFile(shipped, 'utf8')).toBe('{"source": "shipped", "draws": [');
  });
});

/** A dataset store in memory, as the database's row behaves: what was written is read back. */
function memoryStore(initial?: Dataset | Error): DatasetStore & { written: Dataset[] } {
  let held = initial;
  const written: Dataset[] = [];
  return {
    name: 'the database',
    written,
    async read() {
      if (held instanceof Error) throw held;
      return held;
    },
    async write(dataset) {
      held = dataset;
      written.push(dataset);
    },
  };
}

describe('openDrawStoreFrom (the live sync keeps its dataset in the database)', () => {
  const live: Dataset = {
    source: 'live',
    generatedAt: '2026-08-21T12:00:00Z',
    draws: [makeDraw({ round: '435', date: '2026-08-20' }), makeDraw({ round: '434', date: '2026-08-07' })],
  };

  it('answers from the stored dataset when it holds a newer round than the seed, and from the seed otherwise', async () => {
    expect((await openDrawStoreFrom(memoryStore(live), shipped, { now })).current().newest.round).toBe('435');
    const behind = memoryStore({ ...live, draws: [makeDraw({ round: '430', date: '2026-07-01' })] });
    expect((await openDrawStoreFrom(behind, shipped, { now })).current().newest.round).toBe('434');
    const none = memoryStore();
    expect((await openDrawStoreFrom(none, shipped, { now })).current().newest.round).toBe('434');
    expect(none.written).toEqual([]);
  });

  it('replaces an unreadable or implausible stored dataset with the seed, saying so', async () => {
    for (const bad of [
      new Error('Unexpected token'),
      { ...live, draws: [makeDraw({ round: '436', date: '2027-01-01' }), ...live.draws] } satisfies Dataset,
    ]) {
      const store = memoryStore(bad);
      const warnings: string[] = [];
      const opened = await openDrawStoreFrom(store, shipped, { now, onWarning: (message) => warnings.push(message) });
      expect(opened.current().newest.round).toBe('434');
      expect(store.written.map((d) => d.draws.map((draw) => draw.round))).toEqual([['434', '433']]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^the dataset kept in the database cannot be used \(.+\); replacing it with .*shipped\.json$/);
    }
  });
});
