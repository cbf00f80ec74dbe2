import { describe, expect, it } from 'vitest';
import { about } from '../../commands/about.js';
import { check } from '../../commands/check.js';
import { history } from '../../commands/history.js';
import { latest } from '../../commands/latest.js';
import { stats } from '../../commands/stats.js';
import { argsToInput } from '../../src/commands/argsToInput.js';
import { UserError } from '../../src/domain/userError.js';
import { testAnswers } from '../fixtures/deps.js';

describe('argsToInput', () => {
  it('fills options in order', () => {
    // The first date is the period (that day), the second the profile date.
    expect(argsToInput(check, ['470', 'healthcare', '2025-01-01', '2024-11-30'])).toEqual({
      crs: '470',
      category: 'healthcare',
      period: '2025-01-01',
      profile_date: '2024-11-30',
    });
  });

  it('takes name=value and name:value in any order', () => {
    expect(argsToInput(check, ['since=2025-01-01', 'crs:470', 'profile-date=2024-11-30'])).toEqual({
      period: 'since 2025-01-01',
      crs: '470',
      profile_date: '2024-11-30',
    });
  });

  it('sends each positional word to the first free option of its look', () => {
    expect(argsToInput(history, ['cec', '20'])).toEqual({ category: 'cec', count: '20' });
    expect(argsToInput(history, ['20', 'cec'])).toEqual({ count: '20', category: 'cec' });
    expect(argsToInput(stats, ['2025'])).toEqual({ period: '2025' });
    // A period's words before a count or a category: "2025" is a year there, not a count.
    expect(argsToInput(history, ['cec', 'since', 'july', '2026', '5'])).toEqual({ category: 'cec', period: 'since july 2026', count: '5' });
    expect(argsToInput(history, ['cec', 'since', 'july', '5'])).toEqual({ category: 'cec', period: 'since july 5' });
    expect(argsToInput(history, ['2025', 'cec'])).toEqual({ period: '2025', category: 'cec' });
    expect(argsToInput(history, ['cec', 'last', '5'])).toEqual({ category: 'cec last', count: '5' });
    expect(argsToInput(history, ['between', 'May', '1', 'and', 'June', '30', 'french'])).toEqual({
      period: 'between May 1 and June 30',
      category: 'french',
    });
    expect(argsToInput(stats, ['cec', 'first', 'half', 'of', '2026'])).toEqual({ category: 'cec', period: 'first half 2026' });
  });

  it('joins several words of a category', () => {
    expect(argsToInput(latest, ['canadian', 'experience', 'class'])).toEqual({ category: 'canadian experience class' });
    expect(argsToInput(check, ['470', 'senior', 'managers', '2025-01-01'])).toEqual({
      crs: '470',
      category: 'senior managers',
      period: '2025-01-01',
    });
    expect(argsToInput(check, ['470', 'senior', 'managers', 'last', 'month'])).toEqual({
      crs: '470',
      category: 'senior managers',
      period: 'last month',
    });
  });

  it('refuses an option the command does not have, naming the ones it has', () => {
    expect(() => argsToInput(check, ['470', 'colour=red'])).toThrow(UserError);
    expect(() => argsToInput(check, ['470', 'colour=red'])).toThrow(
      '/check has no option "colour" (it takes crs, category, period, profile_date); for example /check 470 healthcare.',
    );
  });

  it('refuses words beyond the last option', () => {
    expect(() => argsToInput(history, ['cec', '20', '30'])).toThrow('Too many values for /history: "30" is one too many');
    expect(() => argsToInput(about, ['cec'])).toThrow('/about takes no options; just send /about.');
    expect(() => argsToInput(history, ['cec', '20', 'banana'])).toThrow('Too many values for /history: "banana" is one too many');
  });

  it('takes an option name as a word, followed by its value, like name=value', () => {
    expect(argsToInput(check, ['470', 'since', '2025-01-01'])).toEqual({ crs: '470', period: 'since 2025-01-01' });
    expect(argsToInput(check, ['since', '2025-01-01', '470', 'cec'])).toEqual({ period: 'since 2025-01-01', crs: '470', category: 'cec' });
    expect(argsToInput(check, ['470', 'period', 'last', 'month', 'cec'])).toEqual({ crs: '470', period: 'last month', category: 'cec' });
    expect(argsToInput(check, ['470', 'profile_date', '2024-11-30', 'healthcare'])).toEqual({
      crs: '470',
      profile_date: '2024-11-30',
      category: 'healthcare',
    });
    expect(argsToInput(check, ['crs', '470', 'category', 'senior', 'managers', 'since', '2025-01-01'])).toEqual({
      crs: '470',
      category: 'senior managers',
      period: 'since 2025-01-01',
    });
    expect(argsToInput(stats, ['period', '2025'])).toEqual({ period: '2025' });
  });

  it('gathers the words of a date or a period, named or not', () => {
    expect(argsToInput(check, ['470', 'since=Jan', '2', '2025', 'cec'])).toEqual({
      crs: '470',
      period: 'since Jan 2 2025',
      category: 'cec',
    });
    expect(argsToInput(check, ['470', 'since', 'Jan', '2,', '2025'])).toEqual({ crs: '470', period: 'since Jan 2, 2025' });
    expect(argsToInput(check, ['470', 'since', '2', 'January', '2025'])).toEqual({ crs: '470', period: 'since 2 January 2025' });
    expect(argsToInput(check, ['470', 'since=', '2025-01-01'])).toEqual({ crs: '470', period: 'since 2025-01-01' });
    expect(argsToInput(check, ['470', 'cec', 'Jan', '2', '2025', '2', 'Dec', '2024'])).toEqual({
      crs: '470',
      category: 'cec',
      period: 'Jan 2 2025',
      profile_date: '2 Dec 2024',
    });
    expect(argsToInput(check, ['470', 'senior', 'managers', 'since', 'Jan', '2', '2025'])).toEqual({
      crs: '470',
      category: 'senior managers',
      period: 'since Jan 2 2025',
    });
    // A date the parser will refuse still goes to the period option, so the answer says what is wrong with it.
    expect(argsToInput(check, ['470', '01/02/2025'])).toEqual({ crs: '470', period: '01/02/2025' });
  });

  it('passes over noise words wherever they are, for every command', () => {
    expect(argsToInput(history, ['cec', '20', 'please'])).toEqual({ category: 'cec', count: '20' });
    expect(argsToInput(history, ['the', 'last', 'cec', 'draws']).category).toBe('last cec');
    expect(argsToInput(check, ['470', 'healthcare', 'please'])).toEqual({ crs: '470', category: 'healthcare' });
    expect(argsToInput(latest, ['draw'])).toEqual({});
    expect(argsToInput(latest, ['canadian', 'experience', 'class', 'please?'])).toEqual({ category: 'canadian experience class' });
    expect(argsToInput(stats, ['2025', 'pls'])).toEqual({ period: '2025' });
    expect(argsToInput(about, ['please', '🙏'])).toEqual({});
    expect(argsToInput(check, ['crs', '470', 'crs'])).toEqual({ crs: '470' });
  });

  it('keeps a noise word that is the value of a named option', () => {
    expect(argsToInput(latest, ['category=draw'])).toEqual({ category: 'draw' });
    expect(argsToInput(latest, ['category=canadian', 'experience', 'please'])).toEqual({ category: 'canadian experience' });
  });
});

const answers = await testAnswers();

describe('dates through a whole command', () => {
  it('/check 470 cec since Jan 2 2025 counts from that day', async () => {
    const reply = await answers.text('/check 470 cec since Jan 2 2025');
    expect(reply.kind, JSON.stringify(reply.lines)).toBe('answer');
    expect(reply.title).toBe('CRS 470 — CEC draws since Jan 2, 2025');
  });

  it('refuses an ambiguous date with both readings', async () => {
    const reply = await answers.text('/check 470 cec since=01/02/2025');
    expect(reply.lines).toEqual([
      'The period 01/02/2025 could be Jan 2 or Feb 1, 2025; write it as 2025-01-02 or 2025-02-01. For example: /check 470 healthcare',
    ]);
  });
});
