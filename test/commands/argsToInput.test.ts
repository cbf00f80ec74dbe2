import { describe, expect, it } from 'vitest';
import { check } from '../../commands/check.js';
import { help } from '../../commands/help.js';
import { history } from '../../commands/history.js';
import { latest } from '../../commands/latest.js';
import { stats } from '../../commands/stats.js';
import { argsToInput } from '../../src/commands/argsToInput.js';
import { UserError } from '../../src/domain/userError.js';

describe('argsToInput', () => {
  it('fills options in order', () => {
    expect(argsToInput(check, ['470', 'healthcare', '2025-01-01', '2024-11-30'])).toEqual({
      crs: '470',
      category: 'healthcare',
      since: '2025-01-01',
      profile_date: '2024-11-30',
    });
  });

  it('takes name=value and name:value in any order', () => {
    expect(argsToInput(check, ['since=2025-01-01', 'crs:470', 'profile-date=2024-11-30'])).toEqual({
      since: '2025-01-01',
      crs: '470',
      profile_date: '2024-11-30',
    });
  });

  it('sends each positional word to the first free option of its look', () => {
    expect(argsToInput(history, ['cec', '20'])).toEqual({ category: 'cec', count: '20' });
    expect(argsToInput(history, ['20', 'cec'])).toEqual({ count: '20', category: 'cec' });
    expect(argsToInput(stats, ['2025'])).toEqual({ year: '2025' });
  });

  it('joins several words of a category', () => {
    expect(argsToInput(latest, ['canadian', 'experience', 'class'])).toEqual({ category: 'canadian experience class' });
    expect(argsToInput(check, ['470', 'senior', 'managers', '2025-01-01'])).toEqual({
      crs: '470',
      category: 'senior managers',
      since: '2025-01-01',
    });
  });

  it('refuses an option the command does not have, naming the ones it has', () => {
    expect(() => argsToInput(check, ['470', 'colour=red'])).toThrow(UserError);
    expect(() => argsToInput(check, ['470', 'colour=red'])).toThrow(
      '/check has no option "colour" (it takes crs, category, since, profile_date); for example /check 470 healthcare.',
    );
  });

  it('refuses words beyond the last option', () => {
    expect(() => argsToInput(history, ['cec', '20', '30'])).toThrow('Too many values for /history: "30" is one too many');
    expect(() => argsToInput(help, ['please'])).toThrow('/help takes no options; just send /help.');
  });
});
