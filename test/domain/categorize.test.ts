import { describe, expect, it } from 'vitest';
import { categorize } from '../../src/domain/categorize.js';

describe('categorize', () => {
  // Every drawName in the 2026-08-07 and 2024-04-06 snapshots of IRCC's feed.
  it.each([
    ['No Program Specified', 'general', null],
    ['General', 'general', null],
    ['Provincial Nominee Program', 'pnp', null],
    ['Canadian Experience Class', 'cec', null],
    ['Federal Skilled Worker', 'fsw', null],
    ['Federal Skilled Trades', 'fst', null],
    ['French language proficiency (2023-1)', 'french', 1],
    ['French language proficiency (2024-1)', 'french', 1],
    ['French language proficiency (Version 1)', 'french', 1],
    ['French-Language proficiency 2026-Version 2', 'french', 2],
    ['Healthcare occupations (2023-1)', 'healthcare', 1],
    ['Healthcare occupations (Version 1)', 'healthcare', 1],
    ['Healthcare and social services occupations (Version 2)', 'healthcare', 2],
    ['Healthcare and Social Services Occupations, 2026-Version 3', 'healthcare', 3],
    ['STEM occupations (2023-1)', 'stem', 1],
    ['STEM occupations (Version 1)', 'stem', 1],
    ['Trade occupations (2023-1)', 'trades', 1],
    ['Trade occupations (Version 1)', 'trades', 1],
    ['Trade occupations (Version 2)', 'trades', 2],
    ['Trades Occupations, 2026-Version 3', 'trades', 3],
    ['Transport occupations (2023-1)', 'transport', 1],
    ['Transport occupations (2024-1)', 'transport', 1],
    ['Transport occupations (Version 1)', 'transport', 1],
    ['Transport Occupations, 2026-Version 2', 'transport', 2],
    ['Agriculture and agri-food occupations (2023-1)', 'agriculture', 1],
    ['Agriculture and agri-food occupations (Version 1)', 'agriculture', 1],
    ['Education occupations (Version 1)', 'education', 1],
    ['Physicians with Canadian Work Experience, 2026-Version 1', 'physicians', 1],
    ['Senior managers with Canadian Work Experience, 2026-Version 1', 'senior-managers', 1],
    ['Skilled Military Recruits, 2026-Version 1', 'military', 1],
  ])('%s -> %s v%s', (name, category, version) => {
    expect(categorize(name)).toEqual({ category, version });
  });

  it('lets an unknown future name through as "other", keeping its version', () => {
    expect(categorize('Aerospace Occupations, 2027-Version 1')).toEqual({ category: 'other', version: 1 });
    expect(categorize('Something new')).toEqual({ category: 'other', version: null });
  });

  it('is not fooled by case and spacing', () => {
    expect(categorize('  HEALTHCARE   occupations (Version 4) ').category).toBe('healthcare');
    expect(categorize('federal skilled trades').category).toBe('fst');
  });
});
