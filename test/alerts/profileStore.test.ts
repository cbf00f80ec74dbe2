import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/alerts/profileStore.js';
import { useStores } from './helpers.js';

const env = useStores();
const store = () => new ProfileStore(env.stores.db, env.clock.now);

describe('ProfileStore', () => {
  it('has no profile for a user who never sent one', () => {
    expect(store().get('telegram', '7000001')).toBeUndefined();
  });

  it('stores a whole profile and reads it back', () => {
    const profiles = store();
    const saved = profiles.set('telegram', '7000001', {
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
    expect(profiles.get('telegram', '7000001')).toEqual(saved);
  });

  it('replaces a profile, dropping what the new one leaves out', () => {
    const profiles = store();
    profiles.set('telegram', '1', { crs: 470, categories: ['stem'], submittedAt: '2025-01-31', timeZone: 'Asia/Kolkata' });
    expect(profiles.set('telegram', '1', { crs: 490, categories: [] })).toEqual({ crs: 490, categories: [] });
  });

  it('keeps each platform user apart', () => {
    const profiles = store();
    profiles.set('telegram', '42', { crs: 450, categories: [] });
    profiles.set('discord', '42', { crs: 520, categories: ['french'] });
    expect(profiles.get('telegram', '42')?.crs).toBe(450);
    expect(profiles.get('discord', '42')?.crs).toBe(520);
    expect(profiles.get('telegram', '43')).toBeUndefined();
  });

  it('forgets a user at once, and says whether there was anything', () => {
    const profiles = store();
    profiles.set('discord', '9', { crs: 500, categories: ['cec'] });
    expect(profiles.forget('discord', '9')).toBe(true);
    expect(profiles.get('discord', '9')).toBeUndefined();
    expect(profiles.forget('discord', '9')).toBe(false);
    const rows = env.stores.db.prepare('SELECT COUNT(*) FROM profiles').pluck().get();
    expect(rows).toBe(0);
  });

  it('stamps each write with the clock and skips category slugs it no longer knows', () => {
    const profiles = store();
    profiles.set('telegram', '5', { crs: 400, categories: ['cec'] });
    const row = env.stores.db.prepare('SELECT updated_at FROM profiles').pluck().get();
    expect(row).toBe(env.clock.t);
    env.stores.db.prepare(`UPDATE profiles SET categories = '["cec","retired-slug"]'`).run();
    expect(profiles.get('telegram', '5')?.categories).toEqual(['cec']);
  });

  it('refuses a score outside 0-1200 at the database too', () => {
    expect(() => store().set('telegram', '6', { crs: 1201, categories: [] })).toThrow(/CHECK/);
  });
});
