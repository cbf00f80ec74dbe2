import { describe, expect, it } from 'vitest';
import { describePollSchedule, inDrawHours, longestPollDelay, nextDrawHoursStart, nextPollDelay } from '../../src/feed/pollSchedule.js';

const at = (iso: string) => new Date(iso);

describe('nextPollDelay (adaptive)', () => {
  it('polls every minute in draw hours, weekdays 10:00–22:00 UTC', () => {
    expect(nextPollDelay(at('2026-11-30T10:00:00Z'))).toBe(60_000); // Monday, the window opens
    expect(nextPollDelay(at('2026-11-25T14:30:00Z'))).toBe(60_000); // Wednesday afternoon
    expect(nextPollDelay(at('2026-11-27T21:59:00Z'))).toBe(60_000); // Friday, the last minute
    expect(nextPollDelay(at('2026-11-27T21:59:59.999Z').getTime())).toBe(60_000); // a number works too
  });

  it('sleeps ten minutes outside them, the weekend included', () => {
    expect(nextPollDelay(at('2026-11-27T22:00:00Z'))).toBe(600_000); // Friday 22:00: next window Monday 10:00
    expect(nextPollDelay(at('2026-11-28T12:00:00Z'))).toBe(600_000); // Saturday noon
    expect(nextPollDelay(at('2026-11-29T09:55:00Z'))).toBe(600_000); // Sunday 09:55: no window on Sunday
    expect(nextPollDelay(at('2026-11-25T03:00:00Z'))).toBe(600_000); // a weekday night
  });

  it('wakes at the start of the draw-hours window rather than sleeping past it', () => {
    expect(nextPollDelay(at('2026-11-30T09:55:00Z'))).toBe(300_000); // Monday 09:55 -> 10:00
    expect(nextPollDelay(at('2026-11-30T09:50:00Z'))).toBe(600_000); // exactly 10 minutes away
    expect(nextPollDelay(at('2026-11-30T09:59:59Z'))).toBe(1_000);
  });

  it('polls at the flat POLL_INTERVAL when it is set, whatever the hour', () => {
    for (const iso of ['2026-11-25T14:30:00Z', '2026-11-28T12:00:00Z', '2026-11-30T09:55:00Z']) {
      expect(nextPollDelay(at(iso), { intervalMs: 300_000 })).toBe(300_000);
    }
    expect(longestPollDelay({ intervalMs: 120_000 })).toBe(120_000);
    expect(longestPollDelay()).toBe(600_000);
    expect(describePollSchedule({ intervalMs: 300_000 })).toBe('every 300 s');
    expect(describePollSchedule()).toBe('every 60 s on weekdays 10:00–22:00 UTC, every 600 s otherwise');
  });
});

describe('draw hours', () => {
  it('are Monday to Friday, 10:00 included to 22:00 excluded, UTC', () => {
    expect(inDrawHours(at('2026-11-30T09:59:59Z'))).toBe(false);
    expect(inDrawHours(at('2026-11-30T10:00:00Z'))).toBe(true);
    expect(inDrawHours(at('2026-11-27T22:00:00Z'))).toBe(false);
    expect(inDrawHours(at('2026-11-28T12:00:00Z'))).toBe(false);
  });

  it('next open on the next weekday at 10:00', () => {
    const next = (iso: string) => new Date(nextDrawHoursStart(at(iso))).toISOString();
    expect(next('2026-11-27T22:00:00Z')).toBe('2026-11-30T10:00:00.000Z'); // Friday night -> Monday
    expect(next('2026-11-30T09:55:00Z')).toBe('2026-11-30T10:00:00.000Z');
    expect(next('2026-11-30T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z'); // strictly after
    expect(next('2026-12-31T23:00:00Z')).toBe('2027-01-01T10:00:00.000Z'); // across a year (a Friday)
  });
});
