import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Dataset } from '../../src/domain/drawSchema.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine, type TestStorage } from './testEngines.js';

const dataset = (rounds: string[]): Dataset => ({
  source: 'https://example.test/feed.json',
  generatedAt: '2026-08-07T12:00:00Z',
  draws: rounds.map((round, i) => makeDraw({ round, date: `2026-08-${String(20 - i).padStart(2, '0')}` })),
});

describeEachEngine('the dataset row', (engine) => {
  let store: TestStorage;
  beforeEach(async () => {
    store = await engine.open();
  });
  afterEach(() => store.dispose());

  it('holds nothing at first, then the last dataset written, whole, for every connection', async () => {
    expect(await store.storage.dataset.read()).toBeUndefined();
    await store.storage.dataset.write(dataset(['435', '434']));
    await store.storage.dataset.write(dataset(['436', '435', '434']));
    const other = await store.reopen();
    expect(await other.storage.dataset.read()).toEqual(dataset(['436', '435', '434']));
    expect((await store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM dataset'))?.n).toBe(1);
  });

  it('refuses to read back a row that is not a dataset (checked like any input)', async () => {
    await store.db.run(`INSERT INTO dataset (id, body, updated_at) VALUES (1, '{"draws": "nope"}', 0)`);
    await expect(store.storage.dataset.read()).rejects.toThrow();
  });
});
