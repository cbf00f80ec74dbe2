import { describe, expect, it } from 'vitest';
import { CATEGORY_SLUGS } from '../../src/domain/drawSchema.js';
import { openStores } from './helpers.js';

const store = () => openStores(':memory:').subscriptions;

describe('SubscriptionStore', () => {
  it('subscribes to categories, lists them sorted, and keeps chats and platforms apart', () => {
    const subs = store();
    expect(subs.list('telegram', '1')).toEqual([]);
    expect(subs.subscribe('telegram', '1', ['stem', 'healthcare'])).toEqual(['healthcare', 'stem']);
    expect(subs.subscribe('telegram', '1', ['healthcare', 'cec'])).toEqual(['cec', 'healthcare', 'stem']);
    expect(subs.list('telegram', '2')).toEqual([]);
    expect(subs.list('discord', '1')).toEqual([]);
    expect(subs.count('telegram')).toBe(1);
  });

  it('"all" replaces the categories, and further categories leave it as it is', () => {
    const subs = store();
    subs.subscribe('telegram', '1', ['stem']);
    expect(subs.subscribe('telegram', '1', 'all')).toBe('all');
    expect(subs.subscribe('telegram', '1', ['cec'])).toBe('all');
    expect(subs.list('telegram', '1')).toBe('all');
  });

  it('unsubscribes categories, or everything', () => {
    const subs = store();
    subs.subscribe('telegram', '1', ['stem', 'cec']);
    expect(subs.unsubscribe('telegram', '1', ['stem', 'pnp'])).toEqual(['cec']);
    expect(subs.unsubscribe('telegram', '1', 'all')).toEqual([]);
    subs.subscribe('telegram', '1', 'all');
    expect(subs.unsubscribe('telegram', '1', 'all')).toEqual([]);
    expect(subs.count('telegram')).toBe(0);
  });

  it('removing one category from "all" leaves every other category', () => {
    const subs = store();
    subs.subscribe('discord', '9', 'all');
    const left = subs.unsubscribe('discord', '9', ['pnp']);
    expect(left).toEqual(CATEGORY_SLUGS.filter((s) => s !== 'pnp').sort());
  });

  it('moves a chat, merging with what the new id has', () => {
    const subs = store();
    subs.subscribe('telegram', '-1', ['stem', 'cec']);
    subs.subscribe('telegram', '-100', ['cec', 'pnp']);
    subs.moveChat('telegram', '-1', '-100');
    expect(subs.list('telegram', '-1')).toEqual([]);
    expect(subs.list('telegram', '-100')).toEqual(['cec', 'pnp', 'stem']);

    subs.subscribe('telegram', '-2', 'all');
    subs.moveChat('telegram', '-2', '-100');
    expect(subs.list('telegram', '-100')).toBe('all');

    subs.subscribe('telegram', '-3', ['trades']);
    subs.subscribe('telegram', '-300', 'all');
    subs.moveChat('telegram', '-3', '-300');
    expect(subs.list('telegram', '-300')).toBe('all');
    expect(subs.count('telegram')).toBe(2);
  });

  it('removes a chat', () => {
    const subs = store();
    subs.subscribe('telegram', '1', ['stem']);
    subs.subscribe('telegram', '2', 'all');
    subs.removeChat('telegram', '1');
    expect(subs.list('telegram', '1')).toEqual([]);
    expect(subs.list('telegram', '2')).toBe('all');
  });

  it('remembers whose private chat a subscription is, through narrowing "every draw"; a shared chat has no owner', () => {
    const subs = store();
    subs.subscribe('discord', 'dm-1', 'all', undefined, 'user-7');
    subs.subscribe('telegram', '-1001', 'all');
    expect(subs.owner('discord', 'dm-1')).toBe('user-7');
    expect(subs.owner('telegram', '-1001')).toBeUndefined();
    subs.unsubscribe('discord', 'dm-1', ['pnp']);
    expect(subs.owner('discord', 'dm-1')).toBe('user-7');
    subs.unsubscribe('discord', 'dm-1', 'all');
    expect(subs.owner('discord', 'dm-1')).toBeUndefined();
  });

  it('keeps a pool row apart from draw alerts: every draw and narrowing keep it, list() ignores it, unsubscribe all ends it', () => {
    const subs = store();
    subs.subscribePool('telegram', '5');
    expect(subs.hasPool('telegram', '5')).toBe(true);
    expect(subs.list('telegram', '5')).toEqual([]);
    subs.subscribe('telegram', '5', 'all');
    subs.unsubscribe('telegram', '5', ['pnp']);
    expect(subs.hasPool('telegram', '5')).toBe(true);
    expect(subs.list('telegram', '5')).not.toContain('pnp');
    subs.moveChat('telegram', '5', '6');
    expect(subs.hasPool('telegram', '6')).toBe(true);
    expect(subs.unsubscribePool('telegram', '6')).toBe(true);
    expect(subs.unsubscribePool('telegram', '6')).toBe(false);
    subs.subscribePool('telegram', '6');
    subs.unsubscribe('telegram', '6', 'all');
    expect(subs.hasPool('telegram', '6')).toBe(false);
  });
});
