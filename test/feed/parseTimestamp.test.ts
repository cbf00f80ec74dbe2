import { describe, expect, it } from 'vitest';
import { parseIrccDate, parseIrccTimestamp } from '../../src/feed/parseTimestamp.js';

describe('parseIrccTimestamp', () => {
  // Every shape seen in IRCC's real feed (drawDateTime and drawCutOff), with the draw date it came with.
  it.each([
    ['August 7, 2026 at 10:08:20 UTC', '2026-08-07', '2026-08-07T10:08:20Z'],
    ['July 3rd 2026 at 21:35:13 UTC', '2026-08-05', '2026-07-03T21:35:13Z'],
    ['May 21, 2026 at  12:14:09 UTC', '2026-06-25', '2026-05-21T12:14:09Z'],
    ['April 13, 2026  at 23:10:05 UTC', '2026-04-27', '2026-04-13T23:10:05Z'],
    ['October 18, 2025 at  7:18:52 UTC', '2025-12-15', '2025-10-18T07:18:52Z'],
    ['March 02. 2024 at 01:58:34 UTC', '2024-11-12', '2024-03-02T01:58:34Z'],
    ['May 19,2022 06:48:41 UTC', '2023-03-23', '2022-05-19T06:48:41Z'],
    ['April 26,2023 18:10:04 UTC', '2023-04-26', '2023-04-26T18:10:04Z'],
    ['December 12, 2022, at 10:48:12 UTC', '2023-03-01', '2022-12-12T10:48:12Z'],
    ['November 1, 2017, at 12:55:44 UTC', '2017-11-01', '2017-11-01T12:55:44Z'],
    ['September 30, 2023 at 04:22:17 AM UTC', '2023-10-25', '2023-09-30T04:22:17Z'],
    ['October 25, 2023 at 15:48:39 AM UTC', '2023-10-25', '2023-10-25T15:48:39Z'],
    ['June 22, 2021 at 20:19:59 PM UTC', '2021-11-24', '2021-06-22T20:19:59Z'],
    ['January 23, 2025 at 2025-01-23 15:30:04 UTC', '2025-01-23', '2025-01-23T15:30:04Z'],
    ['August 15, 2024 at 2024-08-15 15:11:54 UTC', '2024-08-15', '2024-08-15T15:11:54Z'],
    ['May 31, 2024 at12:48:30 UTC', '2024-05-31', '2024-05-31T12:48:30Z'],
    ['March 05, 2025 at 05:10:48', '2025-12-08', '2025-03-05T05:10:48Z'],
    ['March 27, 2015 at 23:59:47', '2015-03-27', '2015-03-27T23:59:47Z'],
    ['October 7 at 16:38:21 UTC', '2021-10-27', '2021-10-07T16:38:21Z'],
    [' January 17, 2018 at 12:33:00 UTC', '2018-01-24', '2018-01-17T12:33:00Z'],
    ['July 04, 2023 at 19:36:18 UTC ', '2023-08-15', '2023-07-04T19:36:18Z'],
    ['August 30. 2023 at 17:30:21 UTC', '2023-12-20', '2023-08-30T17:30:21Z'],
    ['March 10 2024 at 20:06:26 UTC', '2024-03-26', '2024-03-10T20:06:26Z'],
  ])('reads %j', (text, drawDate, expected) => {
    expect(parseIrccTimestamp(text, drawDate)).toBe(expected);
  });

  it('reads 12 AM as midnight and 1 PM as 13:00', () => {
    expect(parseIrccTimestamp('May 1, 2024 at 12:05:00 AM UTC', '2024-05-01')).toBe('2024-05-01T00:05:00Z');
    expect(parseIrccTimestamp('May 1, 2024 at 1:05:00 PM', '2024-05-01')).toBe('2024-05-01T13:05:00Z');
  });

  it('gives a year-less date the latest year that keeps it on or before the draw date', () => {
    expect(parseIrccTimestamp('December 30 at 10:00:00 UTC', '2022-01-05')).toBe('2021-12-30T10:00:00Z');
    expect(parseIrccTimestamp('January 5 at 10:00:00 UTC', '2022-01-05')).toBe('2022-01-05T10:00:00Z');
  });

  it.each([
    '',
    'soon',
    'February 30, 2024 at 10:00:00 UTC',
    'Foo 3, 2024 at 10:00:00',
    'August 7, 2026 at 10:08:20 EST',
    'August 7, 2026 at 25:08:20 UTC',
    'August 7, 2026',
    'Marchy 7, 2026 at 10:00:00',
  ])('returns null for %j rather than guess', (text) => {
    expect(parseIrccTimestamp(text, '2026-08-07')).toBeNull();
  });
});

describe('parseIrccDate', () => {
  it('reads the pool snapshot dates', () => {
    expect(parseIrccDate('August 3, 2026', '2026-08-07')).toBe('2026-08-03');
    expect(parseIrccDate('November 09, 2025', '2025-11-14')).toBe('2025-11-09');
    expect(parseIrccDate('December 28', '2026-01-02')).toBe('2025-12-28');
    expect(parseIrccDate('not a date', '2026-01-02')).toBeNull();
  });
});
