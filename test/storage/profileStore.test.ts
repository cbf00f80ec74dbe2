import { expect, it } from 'vitest';
import { useStores } from '../alerts/helpers.js';
import { describeEachEngine } from './testEngines.js';

describeEachEngine('ProfileStore', (engine) => {
  const env = useStores(engine);
  const store = () => env.store.storage.profiles;

  it('has no profile for a user who never sent one', async () => {
    expect(await store().get('telegram', '7000001')).toBeUndefined();
  });

  it('stores a whole profile and reads it back', async () => {
    const profiles = store();
    const saved = await profiles.set('telegram', '7000001', {
      crs: 481,
      categories: ['cec', 'healthcare'],
      submittedAt: '2025-01-31T10:15:00Z',
      timeZone: 'America/Toronto',
    });
    expect(saved).toEqual({
      crs: 481,
      categories: ['cec', 'healthcare'],
      submittedAt: '2025-01-31T10:15:00Z',
      timeZone: 'America/Toronto',
    });
    expect(await profiles.get('telegram', '7000001')).toEqual(saved);
  });

  it('replaces a profile, dropping what the new one leaves out', async () => {
    const profiles = store();
    await profiles.set('telegram', '1', { crs: 470, categories: ['stem'], submittedAt: '2025-01-31', timeZone: 'Asia/Kolkata' });
    expect(await profiles.set('telegram', '1', { crs: 490, categories: [] })).toEqual({ crs: 490, categories: [] });
    expect(await profiles.get('telegram', '1')).toEqual({ crs: 490, categories: [] });
  });

  it('keeps each platform user apart', async () => {
    const profiles = store();
    await profiles.set('telegram', '42', { crs: 450, categories: [] });
    await profiles.set('discord', '42', { crs: 520, categories: ['french'] });
    expect((await profiles.get('telegram', '42'))?.crs).toBe(450);
    expect((await profiles.get('discord', '42'))?.crs).toBe(520);
    expect(await profiles.get('telegram', '43')).toBeUndefined();
  });

  it('forgets a user at once, and says whether there was anything', async () => {
    const profiles = store();
    await profiles.set('discord', '9', { crs: 500, categories: ['cec'] });
    await profiles.set('discord', '10', { crs: 501, categories: [] });
    expect(await profiles.forget('discord', '9')).toBe(true);
    expect(await profiles.get('discord', '9')).toBeUndefined();
    expect(await profiles.forget('discord', '9')).toBe(false);
    expect(await env.store.db.all('SELECT user_id FROM profiles')).toEqual([{ user_id: '10' }]);
  });

  it('stamps each write with the clock and skips category slugs it no longer knows', async () => {
    const profiles = store();
    await profiles.set('telegram', '5', { crs: 400, categories: ['cec'] });
    expect(await env.store.db.get('SELECT updated_at FROM profiles')).toEqual({ updated_at: env.clock.t });
    env.clock.t += 60_000;
    await profiles.set('telegram', '5', { crs: 410, categories: ['cec'] });
    expect(await env.store.db.get('SELECT updated_at FROM profiles')).toEqual({ updated_at: env.clock.t });
    await env.store.db.run(`UPDATE profiles SET categories = '["cec","retired-slug"]'`);
    expect((await profiles.get('telegram', '5'))?.categories).toEqual(['cec']);
  });

  it('refuses a score outside 0-1200 at the database too', async () => {
    await expect(store().set('telegram', '6', { crs: 1201, categories: [] })).rejects.toThrow(/check constraint/i);
    await expect(store().set('telegram', '6', { crs: -1, categories: [] })).rejects.toThrow(/check constraint/i);
    expect(await store().get('telegram', '6')).toBeUndefined();
  });
});
