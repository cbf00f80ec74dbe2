import { describe, expect, it, vi } from 'vitest';

/** hashId's module afresh (its key is module state): unkeyed, as tools and tests start. */
async function fresh() {
  vi.resetModules();
  return import('../../src/lib/hashId.js');
}

describe('hashId', () => {
  it('12 hex digits, the same for the same id (string or number), different for another', async () => {
    const { hashId } = await fresh();
    expect(hashId('7123456789')).toMatch(/^[0-9a-f]{12}$/);
    expect(hashId('7123456789')).toBe(hashId(7123456789));
    expect(hashId('7123456789')).not.toBe(hashId('7123456780'));
  });

  it("keyed by the install's secret: another digest than unkeyed, the same for the same secret, another for another", async () => {
    const { hashId, keyHashes } = await fresh();
    const plain = hashId('7123456789');
    keyHashes('a'.repeat(64));
    const keyed = hashId('7123456789');
    expect(keyed).toMatch(/^[0-9a-f]{12}$/);
    expect(keyed).not.toBe(plain);
    expect(hashId(7123456789)).toBe(keyed);
    expect(hashId('7123456780')).not.toBe(keyed);

    // The same secret (the next start reads it from the store): the same digest, the module loaded afresh too.
    keyHashes('a'.repeat(64));
    expect(hashId('7123456789')).toBe(keyed);
    const restarted = await fresh();
    restarted.keyHashes('a'.repeat(64));
    expect(restarted.hashId('7123456789')).toBe(keyed);

    // Another install's secret: another digest, so hashes cannot be matched across installs.
    keyHashes('b'.repeat(64));
    expect(hashId('7123456789')).toMatch(/^[0-9a-f]{12}$/);
    expect(hashId('7123456789')).not.toBe(keyed);
    expect(hashId('7123456789')).not.toBe(plain);
  });
});
