import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { NotLeaderError } from '../../src/storage/leaseStore.js';
import type { Storage } from '../../src/storage/storage.js';
import { describeEachEngine, type TestStorage } from './testEngines.js';

const LEASE = 'leader';

describeEachEngine('LeaseStore', (engine) => {
  let store: TestStorage;
  let other: Storage;
  beforeEach(async () => {
    store = await engine.open();
    other = (await store.reopen()).storage; // a second instance: its own connection
  });
  afterEach(async () => {
    await store.dispose();
  });

  it('is taken by one holder at a time, renewed by it alone, at its own epoch', async () => {
    const { leases } = store.storage;
    expect(await leases.acquire(LEASE, 'a', 10_000)).toBe(1);
    expect(await other.leases.acquire(LEASE, 'b', 10_000)).toBeUndefined();
    expect(await leases.renew(LEASE, 'a', 1, 10_000)).toBe(true);
    expect(await leases.renew(LEASE, 'a', 2, 10_000)).toBe(false);
    expect(await other.leases.renew(LEASE, 'b', 1, 10_000)).toBe(false);
    const state = await other.leases.read(LEASE);
    expect(state).toMatchObject({ holder: 'a', epoch: 1, released: false });
    expect(state!.remainingMs).toBeGreaterThan(9_000);
    expect(state!.remainingMs).toBeLessThanOrEqual(10_000);
  });

  it('runs out on the database clock: another takes it at the next epoch, and the old holder can neither renew nor pass the fence', async () => {
    expect(await store.storage.leases.acquire(LEASE, 'a', 100)).toBe(1);
    await vi.waitFor(async () => expect((await other.leases.read(LEASE))!.remainingMs).toBeLessThanOrEqual(0), { timeout: 2_000 });
    expect(await other.leases.acquire(LEASE, 'b', 10_000)).toBe(2);
    expect(await store.storage.leases.renew(LEASE, 'a', 1, 10_000)).toBe(false);
    await expect(store.storage.transaction((stores) => stores.leases.check(LEASE, 'a', 1))).rejects.toBeInstanceOf(NotLeaderError);
    await expect(other.transaction((stores) => stores.leases.check(LEASE, 'b', 2))).resolves.toBeUndefined();
    await expect(other.transaction((stores) => stores.leases.check(LEASE, 'b', undefined))).rejects.toBeInstanceOf(NotLeaderError);
  });

  it('given up, reads as released and is taken at once; taken by force whoever holds it', async () => {
    await store.storage.leases.acquire(LEASE, 'a', 10_000);
    await store.storage.leases.release(LEASE, 'a', 1);
    expect(await other.leases.read(LEASE)).toMatchObject({ holder: 'a', released: true });
    expect(await other.leases.acquire(LEASE, 'b', 10_000)).toBe(2);
    expect(await store.storage.leases.acquire(LEASE, 'c', 10_000, true)).toBe(3);
    expect(await other.leases.read(LEASE)).toMatchObject({ holder: 'c', epoch: 3, released: false });
  });

  it('two instances taking a free lease at once: exactly one gets it, every time', async () => {
    for (let round = 0; round < 20; round++) {
      const taken = await Promise.all([store.storage.leases.acquire(LEASE, 'a', 10_000), other.leases.acquire(LEASE, 'b', 10_000)]);
      expect(taken.filter((epoch) => epoch !== undefined)).toEqual([round + 1]);
      const holder = taken[0] === undefined ? 'b' : 'a';
      await (holder === 'a' ? store.storage : other).leases.release(LEASE, holder, round + 1);
    }
  });

  it('counts the instances that beat lately; one that leaves no longer counts', async () => {
    expect(await store.storage.leases.heartbeat('a', 5_000)).toBe(1);
    expect(await other.leases.heartbeat('b', 5_000)).toBe(2);
    await other.leases.leave('b');
    expect(await store.storage.leases.heartbeat('a', 5_000)).toBe(1);
  });

  if (engine.name === 'postgres') {
    it('a takeover waits for a transaction that passed the fence: its writes land before the new epoch', async () => {
      await store.storage.leases.acquire(LEASE, 'a', 10_000);
      const order: string[] = [];
      let fenced!: () => void;
      const passed = new Promise<void>((resolve) => {
        fenced = resolve;
      });
      const writing = store.storage.transaction(async (stores) => {
        await stores.leases.check(LEASE, 'a', 1);
        fenced();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await stores.state.set('written by', 'a');
        order.push('a committed');
      });
      await passed;
      const takeover = other.leases.acquire(LEASE, 'b', 10_000, true).then((epoch) => order.push(`b took epoch ${epoch}`));
      await Promise.all([writing, takeover]);
      expect(order).toEqual(['a committed', 'b took epoch 2']);
    });
  }
});
