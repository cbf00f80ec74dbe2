import { beforeAll, describe, expect, it } from 'vitest';
import type { DrawIndex } from '../../src/core/drawIndex.js';
import { autocompleteChoices, categoryChoices, roundChoices } from '../../src/discord/autocomplete.js';
import { frozenData } from '../fixtures/deps.js';

let data: DrawIndex;
beforeAll(async () => {
  data = await frozenData();
});

describe('categoryChoices', () => {
  it('puts healthcare first for "heal"', () => {
    expect(categoryChoices('heal')[0]).toEqual({ name: 'healthcare — Healthcare and social services', value: 'healthcare' });
  });

  it('puts french first for "fr"', () => {
    expect(categoryChoices('fr')[0]).toEqual({ name: 'french — French-language proficiency', value: 'french' });
  });

  it('lists every category IRCC uses, none twice, for an empty query', () => {
    const values = categoryChoices('').map((c) => c.value);
    expect(values).toHaveLength(15);
    expect(new Set(values).size).toBe(15);
    expect(values).toContain('healthcare');
    expect(values).not.toContain('other');
  });

  it('matches common words and typos, and nothing for gibberish', () => {
    expect(categoryChoices('nurses')[0]!.value).toBe('healthcare');
    expect(categoryChoices('canadian exp')[0]!.value).toBe('cec');
    expect(categoryChoices('helthcare')[0]!.value).toBe('healthcare');
    expect(categoryChoices('qqqqqqqq')).toEqual([]);
  });

  it('keeps within 25 choices of at most 100 characters', () => {
    for (const query of ['', 'a', 'e', 'x'.repeat(500)]) {
      const choices = categoryChoices(query);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('roundChoices', () => {
  it('offers the 25 most recent rounds for an empty query', () => {
    const choices = roundChoices(data, '');
    expect(choices).toHaveLength(25);
    expect(choices[0]).toEqual({ name: '#434 · Aug 7, 2026 · transport · CRS 470', value: '434' });
  });

  it('puts the round typed first, then newer rounds starting with it', () => {
    expect(roundChoices(data, '43').map((c) => c.value)).toEqual(['43', '434', '433', '432', '431', '430']);
    expect(roundChoices(data, '#91').map((c) => c.value)).toEqual(['91b', '91a']);
    expect(roundChoices(data, '#91A').map((c) => c.value)).toEqual(['91a']);
  });

  it('finds rounds by a date prefix', () => {
    const choices = roundChoices(data, '2026-08');
    expect(choices.map((c) => c.value)).toEqual(['434', '433', '432', '431']);
  });

  it('answers nothing for what no round starts with', () => {
    expect(roundChoices(data, 'zz')).toEqual([]);
  });
});

describe('autocompleteChoices', () => {
  it('routes by the option meta and offers nothing for other options', () => {
    expect(autocompleteChoices('category', 'heal', data)[0]!.value).toBe('healthcare');
    expect(autocompleteChoices('round', '422', data)[0]!.value).toBe('422');
    expect(autocompleteChoices(undefined, 'x', data)).toEqual([]);
  });
});
