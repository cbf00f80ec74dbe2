import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';

const T0 = 1_000_000;

/** The most instants in any window of `windowMs` (a window holds [t, t + windowMs)). */
function peak(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[start]! <= times[end]! - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * Answers offered to `limiter` as fast as it takes them: `lanes` requests always waiting, each to
 * the next of many chats (private and groups, so that no chat's own limit holds them back). The
 * instants it lets them go are pushed to `times` until `stop()`.
 */
function offerAnswers(limiter: RateLimiter, name: string, times: number[], lanes = 8): { stop(): Promise<void> } {
  const abort = new AbortController();
  const stop = abort.signal;
  let next = 0;
  const lane = async () => {
    while (!stop.aborted) {
      const n = next++;
      const chat = n % 5 === 0 ? `-100${n % 2000}` : `${name}${n % 2000}`;
      try {
        await limiter.acquire(chat, stop);
      } catch {
        return;
      }
      times.push(Date.now());
    }
  };
  const running = Promise.all(Array.from({ length: lanes }, lane));
  return {
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

describe('RateLimiters sharing one token', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('at half each, keep together within 30 in any second, each getting about half', async () => {
    const a = new RateLimiter(telegramLimits());
    const b = new RateLimiter(telegramLimits());
    a.setShare(0.5);
    b.setShare(0.5);
    const sentA: number[] = [];
    const sentB: number[] = [];
    const offers = [offerAnswers(a, 'a', sentA), offerAnswers(b, 'b', sentB)];
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(offers.map((offer) => offer.stop()));

    const both = [...sentA, ...sentB].sort((x, y) => x - y);
    expect(peak(both, 1000)).toBeLessThanOrEqual(30);
    expect(peak(sentA, 1000)).toBeLessThanOrEqual(15);
    // 15 in every 1000 / 0.97 ms each: 291 in 20 s, give or take the first and last.
    for (const sent of [sentA, sentB]) {
      expect(sent.length).toBeGreaterThanOrEqual(288);
      expect(sent.length).toBeLessThanOrEqual(293);
    }
    expect(Math.abs(sentA.length - sentB.length)).toBeLessThanOrEqual(2);
  });

  it('back at the full share, go at the full rate again', async () => {
    const shared = new RateLimiter(telegramLimits());
    const alone = new RateLimiter(telegramLimits());
    shared.setShare(0.5);
    const sent: number[] = [];
    const sentAlone: number[] = [];
    const offers = [offerAnswers(shared, 's', sent)];
    await vi.advanceTimersByTimeAsync(10_000);
    const halfRate = sent.length;
    shared.setShare(1);
    expect(shared.share).toBe(1);
    offers.push(offerAnswers(alone, 'z', sentAlone)); // a limiter never shared, from now
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(offers.map((offer) => offer.stop()));

    const fullRate = sent.length - halfRate;
    expect(halfRate).toBeGreaterThanOrEqual(144);
    expect(halfRate).toBeLessThanOrEqual(147);
    // As many as a limiter never shared lets go in the same 10 s, and as many at once.
    expect(Math.abs(fullRate - sentAlone.length)).toBeLessThanOrEqual(1);
    expect(peak(sent.slice(halfRate), 1000)).toBe(peak(sentAlone, 1000));
    expect(peak(sent.slice(halfRate), 1000)).toBeGreaterThanOrEqual(29);
  });
});
