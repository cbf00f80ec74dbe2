import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';

describe('parseCommandLine', () => {
  it('splits name, mention and words', () => {
    expect(parseCommandLine('/check@EEDrawBot 470  healthcare since=2025-01-01', { requireSlash: true })).toEqual({
      name: 'check',
      mention: 'EEDrawBot',
      args: ['470', 'healthcare', 'since=2025-01-01'],
    });
  });

  it('lower-cases the name and groups quoted words', () => {
    expect(parseCommandLine('/LATEST "canadian experience"', { requireSlash: true })).toEqual({
      name: 'latest',
      mention: undefined,
      args: ['canadian experience'],
    });
  });

  it('takes the slash as optional in the console only', () => {
    expect(parseCommandLine('latest cec', { requireSlash: false })?.name).toBe('latest');
    expect(parseCommandLine('latest cec', { requireSlash: true })).toBeUndefined();
  });

  it('is not fooled by text that only starts with a slash', () => {
    expect(parseCommandLine('/ hello', { requireSlash: true })).toBeUndefined();
    expect(parseCommandLine('/é', { requireSlash: true })).toBeUndefined();
    expect(parseCommandLine('', { requireSlash: false })).toBeUndefined();
  });
});
