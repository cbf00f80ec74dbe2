import { describe, expect, it } from 'vitest';
import { CATEGORY_SLUGS } from '../../src/domain/drawSchema.js';
import { assumeCategoryTypos, resolveCategory, suggestCategories } from '../../src/domain/resolveCategory.js';
import { UserError } from '../../src/domain/userError.js';

describe('resolveCategory', () => {
  it.each(CATEGORY_SLUGS)('accepts the slug %s', (slug) => {
    expect(resolveCategory(slug)).toBe(slug);
  });

  it.each([
    ['health', 'healthcare'],
    ['Healthcare', 'healthcare'],
    ['HEALTH CARE', 'healthcare'],
    ['french', 'french'],
    ['francophone', 'french'],
    ['canadian experience', 'cec'],
    ['Canadian Experience Class', 'cec'],
    ['provincial', 'pnp'],
    ['PNP', 'pnp'],
    ['trades', 'trades'],
    ['senior managers', 'senior-managers'],
    ['Senior-Managers', 'senior-managers'],
    ['Healthcare occupations (Version 1)', 'healthcare'],
    ['Skilled Military Recruits, 2026-Version 1', 'military'],
  ])('reads %j as %s', (input, slug) => {
    expect(resolveCategory(input)).toBe(slug);
  });

  it.each(['all', 'ANY'])('reads %j as no filter', (input) => {
    expect(resolveCategory(input)).toBeUndefined();
  });

  it.each([
    ['helthcare', 'healthcare'],
    ['frnch', 'french'],
    ['physican', 'physicians'],
    ['trasport', 'transport'],
  ])('suggests the closest slug for the typo %j', (typo, slug) => {
    expect(() => resolveCategory(typo)).toThrow(UserError);
    expect(() => resolveCategory(typo)).toThrow(`did you mean ${slug}?`);
  });

  it('points to /categories when nothing is close', () => {
    expect(() => resolveCategory('xyzzy')).toThrow('Unknown category "xyzzy"; /categories lists them');
  });

  it('shortens what it echoes back', () => {
    expect(() => resolveCategory('x'.repeat(500))).toThrow(/"x{40}…"/);
  });
});

describe('suggestCategories', () => {
  it('ranks prefix matches first', () => {
    expect(suggestCategories('heal')[0]).toBe('healthcare');
    expect(suggestCategories('fr')[0]).toBe('french');
    expect(suggestCategories('senior')[0]).toBe('senior-managers');
  });

  it('offers every real category for an empty query, and never more than asked', () => {
    expect(suggestCategories('')).toHaveLength(15);
    expect(suggestCategories('', 5)).toHaveLength(5);
    expect(suggestCategories('')).not.toContain('other');
  });

  it('names two close categories when a typo is near both', () => {
    expect(() => resolveCategory('tra')).toThrow('Unknown category "tra" — did you mean trades or transport?');
  });

  it('reads past one-word typos with one close category, and only those', () => {
    expect(assumeCategoryTypos('helthcare')).toEqual({ text: 'healthcare', assumed: [{ typed: 'helthcare', slug: 'healthcare' }] });
    expect(assumeCategoryTypos('frnch, cec')).toEqual({ text: 'french, cec', assumed: [{ typed: 'frnch', slug: 'french' }] });
    // Names, words of names, fillers, numbers and two-way typos are left alone.
    for (const text of ['healthcare', 'canadian experience', 'all', 'stem occupations 2', 'tra', 'xyzzy'])
      expect(assumeCategoryTypos(text)).toEqual({ text, assumed: [] });
  });
});
