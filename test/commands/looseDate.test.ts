import { describe, expect, it } from 'vitest';
import { dateWordsAt, parseLooseDate } from '../../src/commands/looseDate.js';
import { UserError } from '../../src/domain/userError.js';

describe('parseLooseDate', () => {
  it.each([
    ['2025-01-02', '2025-01-02'],
    ['2025-1-2', '2025-01-02'],
    ['2025/01/02', '2025-01-02'],
    ['2025.01.02', '2025-01-02'],
    [' 2025-01-02 ', '2025-01-02'],
    ['Jan 2 2025', '2025-01-02'],
    ['Jan 2, 2025', '2025-01-02'],
    ['jan. 2nd 2025', '2025-01-02'],
    ['January 2 2025', '2025-01-02'],
    ['2 January 2025', '2025-01-02'],
    ['2 Jan 2025', '2025-01-02'],
    ['2025 Jan 2', '2025-01-02'],
    ['Sept 30 2025', '2025-09-30'],
    ['SEPTEMBER 30 2025', '2025-09-30'],
    ['13/01/2025', '2025-01-13'],
    ['01/13/2025', '2025-01-13'],
    ['05/05/2025', '2025-05-05'],
    ['Feb 29 2024', '2024-02-29'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseLooseDate(text)).toBe(iso);
  });

  it.each([
    ['01/02/2025', 'The date 01/02/2025 could be Jan 2 or Feb 1, 2025; write it as 2025-01-02 or 2025-02-01'],
    ['3.4.2025', 'The date 3.4.2025 could be Mar 4 or Apr 3, 2025; write it as 2025-03-04 or 2025-04-03'],
  ])('refuses the ambiguous %s with both readings', (text, message) => {
    expect(() => parseLooseDate(text)).toThrow(new UserError(message));
  });

  it.each([
    ['2025-02-30', 'The date 2025-02-30 is not a real date: February 2025 has 28 days'],
    ['Feb 29 2025', 'The date Feb 29 2025 is not a real date: February 2025 has 28 days'],
    ['2025-13-01', 'The date 2025-13-01 is not a real date: there is no month 13'],
    ['32/01/2025', 'The date 32/01/2025 is not a real date: January 2025 has 31 days'],
    ['2025-04-00', 'The date 2025-04-00 is not a real date: April 2025 has 30 days'],
  ])('refuses %s, which is not a real date', (text, message) => {
    expect(() => parseLooseDate(text)).toThrow(new UserError(message));
  });

  it.each([
    ['yesterday', 'The date must be a date such as 2025-01-31 or Jan 31 2025'],
    ['', 'The date must be a date such as 2025-01-31 or Jan 31 2025'],
    ['1/2/25', 'The date must be a date such as 2025-01-31 or Jan 31 2025'],
    ['Jan 2 2025 extra', 'The date must be a date such as 2025-01-31 or Jan 31 2025'],
    ['2025', 'The date needs a month and a day too, such as 2025-01-01 for the start of 2025'],
    ['Jan 2', 'The date Jan 2 needs a year too, such as Jan 2 2025'],
    ['Jan 2025', 'The date Jan 2025 needs a day too, such as Jan 1 2025'],
  ])('refuses %j with a sentence saying what to write', (text, message) => {
    expect(() => parseLooseDate(text)).toThrow(new UserError(message));
  });

  it('starts its messages with the label it is given', () => {
    expect(() => parseLooseDate('2025-02-30', 'The since date')).toThrow(
      'The since date 2025-02-30 is not a real date: February 2025 has 28 days',
    );
  });
});

describe('dateWordsAt', () => {
  it.each([
    [['2025-01-02', 'cec'], 0, 1],
    [['470', 'Jan', '2,', '2025', 'cec'], 1, 3],
    [['2', 'January', '2025'], 0, 3],
    [['Jan', '2'], 0, 2],
    [['cec', 'Jan'], 1, 0],
    [['470', 'cec'], 0, 0],
    [['may', 'cec'], 0, 0],
  ] as const)('%j from %i: %i words', (words, start, length) => {
    expect(dateWordsAt(words, start)).toBe(length);
  });
});
