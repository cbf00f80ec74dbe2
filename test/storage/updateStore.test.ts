import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, type TestStorage } from './testEngines.js';

const T0 = Date.UTC(2026, 7, 7, 12);

describeEachEngine('UpdateStore', (engine) => {
  let store: TestStorage;
  beforeEach(async () => {
    store = await engine.open();
  });
  afterEach(async () => {
    await store?.dispose();
  });

  it('first is true for a key the first time only, whoever asks again and whenever', async () => {
    const { updates } = store.storage;
    expect(await updates.first('telegram:1', T0)).toBe(true);
    expect(await updates.first('telegram:1', T0)).toBe(false);
    expect(await updates.first('telegram:1', T0 + 60_000)).toBe(false);
    expect(await updates.first('telegram:2', T0)).toBe(true);
    const again = await store.reopen();
    expect(await again.storage.updates.first('telegram:2', T0)).toBe(false);
    expect(await again.storage.updates.first('discord:1', T0)).toBe(true);
  });

  it('two connections racing on the same keys: each key is first for exactly one of them', async () => {
    const other = await store.reopen();
    const keys = Array.from({ length: 200 }, (_, i) => `telegram:${i}`);
    const race = (updates: TestStorage['storage']['updates']) => Promise.all(keys.map((key) => updates.first(key, T0)));
    const [mine, theirs] = await Promise.all([race(store.storage.updates), race(other.storage.updates)]);
    keys.forEach((key, i) => {
      expect(Number(mine[i]) + Number(theirs[i]), key).toBe(1);
    });
  });

  it('prune deletes keys seen before the cutoff, a batch at a time; the rest stay seen', async () => {
    const { updates } = store.storage;
    const day = 86_400_000;
    for (let i = 0; i < 3; i++) await updates.first(`old:${i}`, T0 + i);
    await updates.first('new', T0 + day);

    expect(await updates.prune(T0, 100)).toBe(0); // nothing seen before T0
    expect(await updates.prune(T0 + day, 2)).toBe(2); // at most a batch
    expect(await updates.prune(T0 + day, 2)).toBe(1);
    expect(await updates.prune(T0 + day, 2)).toBe(0);
    expect(await updates.first('new', T0 + day)).toBe(false);
    // A pruned key is new again: prune only what Telegram no longer redelivers.
    expect(await updates.first('old:0', T0 + day)).toBe(true);
    expect(await updates.prune(T0 + day + 1, 100)).toBe(2);
  });
});
