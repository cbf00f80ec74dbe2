import { describe, expect, it } from 'vitest';
import { RateLimiter, type RateLimits } from '../../src/alerts/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';

function limiter(limits: RateLimits) {
  const clock = { t: 1_000_000 };
  const l = new RateLimiter(limits, () => clock.t);
  /** What a sender does: wait as long as asked (arriving `late` ms after), then send. */
  const send = (chatId: string, late = 0) => {
    for (let wait = l.delay(chatId); wait > 0; wait = l.delay(chatId)) clock.t += wait + late;
    l.take(chatId);
    return clock.t;
  };
  return { clock, limiter: l, send };
}

/** The most send instants in any window of `windowMs`. */
function peak(times: number[], windowMs: number) {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[start]! <= times[end]! - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('RateLimiter', () => {
  it('spaces messages evenly over the window, without a burst after idling', () => {
    const { send, clock } = limiter({ perSecond: 100, headroom: 0.2 });
    const start = clock.t;
    expect(Array.from({ length: 5 }, (_, i) => send(String(i)) - start)).toEqual([0, 12.5, 25, 37.5, 50]);
    clock.t += 10_000;
    const again = clock.t;
    expect([send('a'), send('b')]).toEqual([again, again + 12.5]);
  });

  it('never lets more than the limit into any window, however late the sender wakes', () => {
    const { send } = limiter({ perSecond: 30 });
    const times: number[] = [];
    for (let i = 0; i < 600; i++) times.push(send(String(i), i % 50 === 0 ? 80 : i % 3 === 0 ? 1.7 : 0.2));
    expect(peak(times, 1000 / 0.97)).toBeLessThanOrEqual(30);
    // ...and still keeps close to the limit: 600 messages take about 20 s at 30 × 0.97 a second.
    expect(times.at(-1)! - times[0]!).toBeLessThan((600 / (30 * 0.97)) * 1000 * 1.02);
  });

  it('makes up for a stall by sending back to back, within the window cap', () => {
    const { send, clock } = limiter({ perSecond: 100, headroom: 0, catchUpMs: 100 });
    for (let i = 0; i < 200; i++) send(String(i));
    const before = clock.t;
    clock.t += 50; // the event loop was busy for 50 ms
    const after = Array.from({ length: 6 }, (_, i) => send(`x${i}`) - before);
    expect(after.slice(0, 5)).toEqual([50, 50, 50, 50, 50]); // the five slots the stall missed
    expect(after[5]).toBe(60);
  });

  it('holds a chat to its own per-minute limit; groups and private chats differ on Telegram', () => {
    const { limiter: l, send, clock } = limiter({ ...telegramLimits(), headroom: 0 });
    const start = clock.t;
    send('-1001');
    expect(l.chatReadyAt('-1001')).toBe(start + 3000); // 20 a minute
    send('42');
    expect(l.chatReadyAt('42')).toBe(clock.t + 1000); // one a second
    expect(l.chatReadyAt('7')).toBe(clock.t);
    expect(send('-1001')).toBe(start + 3000);
  });

  it('pauses one chat or everything after a 429, and a waiting sender sees it', () => {
    const { limiter: l, send, clock } = limiter({ perSecond: 10, headroom: 0, catchUpMs: 0 });
    const t = clock.t;
    l.pause(t + 5000, '9');
    expect(l.chatReadyAt('9')).toBe(t + 5000);
    expect(send('1')).toBe(t);
    expect(l.delay('2')).toBe(100);
    l.pause(t + 2000); // came back while the sender waited
    expect(send('2')).toBe(t + 2000);
    expect(send('3')).toBe(t + 2100);
  });

  it('without limits never waits', () => {
    const { limiter: l, send, clock } = limiter({});
    const t = clock.t;
    for (let i = 0; i < 100; i++) expect(send('same')).toBe(t);
    expect(l.delay('same')).toBe(0);
  });

  it('forgets chats whose wait is over', () => {
    const { limiter: l, send, clock } = limiter({ perChatPerMinute: () => 60 });
    for (let i = 0; i < 5000; i++) {
      send(String(i));
      clock.t += 1;
    }
    expect(l.trackedChats).toBeLessThan(2100);
  });
});
