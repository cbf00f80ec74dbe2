import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter, type RateLimits } from '../../src/lib/rateLimiter.js';
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

  it('holds a chat to its own limits: on Telegram a second apart, and 20 a minute in a group', () => {
    const { limiter: l, send, clock } = limiter({ ...telegramLimits(), headroom: 0 });
    const start = clock.t;
    send('-1001');
    expect(l.chatReadyAt('-1001')).toBe(start + 1000);
    send('42');
    expect(l.chatReadyAt('42')).toBe(clock.t + 1000); // one a second
    expect(l.chatReadyAt('7')).toBe(clock.t);
    // A group may have a short burst (an answer's text, then its chart), but no 21st message in a minute.
    const group = Array.from({ length: 20 }, () => send('-1001') - start);
    expect(group.slice(0, 3)).toEqual([1000, 2000, 3000]);
    expect(group.at(-1)).toBe(60_000);
  });

  it('without a gap of its own, shares a chat minute out evenly', () => {
    const { limiter: l, send, clock } = limiter({ perChatPerMinute: () => 20, headroom: 0 });
    send('-1001');
    expect(l.chatReadyAt('-1001')).toBe(clock.t + 3000);
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

describe('RateLimiter at a share of the budget', () => {
  it('takes a share in (0, 1], 1 by default', () => {
    const l = new RateLimiter({ perSecond: 30 });
    expect(l.share).toBe(1);
    for (const bad of [0, -0.5, 1.01, Number.NaN]) expect(() => l.setShare(bad)).toThrow(RangeError);
    l.setShare(0.5);
    expect(l.share).toBe(0.5);
  });

  it('spaces messages window ÷ (perSecond × share) apart', () => {
    const { limiter: l, send, clock } = limiter({ perSecond: 100, headroom: 0.2 });
    l.setShare(0.5);
    const start = clock.t;
    expect(Array.from({ length: 4 }, (_, i) => send(String(i)) - start)).toEqual([0, 25, 50, 75]);
  });

  it('lets at most ⌊perSecond × share⌋ into any window, however late the sender wakes', () => {
    const { limiter: l, send } = limiter({ perSecond: 30, catchUpMs: 1000 });
    l.setShare(1 / 3);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) times.push(send(String(i), i % 40 === 0 ? 700 : i % 3 === 0 ? 1.7 : 0.2));
    expect(peak(times, 1000 / 0.97)).toBe(10);
  });

  it('keeps the whole window: a smaller share waits for what a larger one just sent', () => {
    const { limiter: l, send, clock } = limiter({ perSecond: 10, headroom: 0, catchUpMs: 0 });
    const start = clock.t;
    for (let i = 0; i < 10; i++) send(String(i)); // at 0, 100, … 900 ms
    l.setShare(0.5);
    // Not 1100 (the schedule): the fifth most recent, at 500 ms, must leave the window first.
    expect(send('x') - start).toBe(1500);
    l.setShare(1);
    expect(send('y') - start).toBe(1600);
  });

  it('scales each chat: ⌊limit × share⌋ a minute (at least 1), gap ÷ share apart', () => {
    // Chat limits alone: no global schedule to round the instants.
    const { limiter: l, send, clock } = limiter({ ...telegramLimits(), perSecond: undefined, headroom: 0 });
    l.setShare(0.5);
    let start = clock.t;
    send('42');
    expect(l.chatReadyAt('42') - start).toBe(2000); // private: 30 a minute, two seconds apart
    const group = Array.from({ length: 11 }, () => send('-1001') - start);
    expect(group.slice(0, 3)).toEqual([0, 2000, 4000]);
    expect(group.at(-1)).toBe(60_000); // 10 a minute in a group
    // At a seventh, a private chat may have 8 a minute, 7 s apart: the gap alone would allow a 9th at 56 s.
    l.setShare(1 / 7);
    clock.t += 120_000;
    start = clock.t;
    expect(Array.from({ length: 9 }, () => send('42') - start).slice(-2)).toEqual([49_000, 60_000]);
    // However small the share, a chat may have one message a minute.
    l.setShare(0.01);
    clock.t += 120_000;
    start = clock.t;
    expect([send('-1001'), send('-1001')].map((t) => t - start)).toEqual([0, 100_000]);
  });

  it('counts exact shares exactly: a third of 60 a minute is 20', () => {
    const { limiter: l, send, clock } = limiter({ perChatPerMinute: () => 60, perChatGapMs: 500, headroom: 0 });
    l.setShare(1 / 3);
    const start = clock.t;
    const times = Array.from({ length: 21 }, () => send('42') - start);
    expect(times[19]).toBe(19 * 1500);
    expect(times[20]).toBe(60_000);
  });
});

describe('RateLimiter shared by answers and alerts', () => {
  const T0 = 1_000_000;
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives each slot the schedule frees to a waiting answer before any alert, in the order they asked', async () => {
    const l = new RateLimiter({ perSecond: 10, headroom: 0, catchUpMs: 0 });
    l.take('alert-1'); // a broadcast is under way: the next slot is in 100 ms
    const granted: string[] = [];
    const answers = ['u1', 'u2', 'u3'].map((chat) => l.acquire(chat).then(() => granted.push(`${chat}@${Date.now() - T0}`)));
    expect(l.waitingAnswers).toBe(3);
    // The alert sender asks: three answers go first, at 100, 200 and 300 ms.
    expect(l.delay('alert-2')).toBe(400);
    await vi.advanceTimersByTimeAsync(350);
    await Promise.all(answers);
    expect(granted).toEqual(['u1@100', 'u2@200', 'u3@300']);
    expect(l.waitingAnswers).toBe(0);
    expect(l.delay('alert-2')).toBe(50);
  });

  it('takes a free slot at once, and an answer waiting on its own chat holds no alert back', async () => {
    const l = new RateLimiter({ perSecond: 10, perChatPerMinute: () => 60, perChatGapMs: 1000, headroom: 0, catchUpMs: 0 });
    await l.acquire('u1'); // nothing waiting, slot free: no wait
    expect(Date.now()).toBe(T0);
    let second = false;
    const next = l.acquire('u1').then(() => {
      second = true;
    });
    // u1's next message waits for its chat (a second); alerts to other chats go meanwhile.
    expect(l.delay('alert-1')).toBe(100);
    await vi.advanceTimersByTimeAsync(999);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(Date.now() - T0).toBe(1000);
  });

  it('without a global limit, holds answers to their chat limits only', async () => {
    const l = new RateLimiter({ perChatPerMinute: () => 60, perChatGapMs: 1000, headroom: 0 });
    l.take('u1');
    const waiting = l.acquire('u1');
    await l.acquire('u2'); // another chat: at once, though u1 waits
    expect(l.delay('alert-1')).toBe(0); // u1 is not ready: nothing ahead of the alert
    await vi.advanceTimersByTimeAsync(1000);
    await waiting;
    expect(Date.now() - T0).toBe(1000);
  });

  it('lets a waiting answer go when its request is aborted, and keeps the others', async () => {
    const l = new RateLimiter({ perSecond: 10, headroom: 0, catchUpMs: 0 });
    l.take('alert-1');
    const abort = new AbortController();
    const dropped = l.acquire('u1', abort.signal);
    const kept = l.acquire('u2');
    abort.abort(new Error('timed out'));
    await expect(dropped).rejects.toThrow('timed out');
    expect(l.waitingAnswers).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await kept;
    expect(Date.now() - T0).toBe(100);
    await expect(l.acquire('u3', abort.signal)).rejects.toThrow('timed out');
  });

  it('re-times waiting answers when the share changes, either way', async () => {
    const l = new RateLimiter({ perSecond: 100, headroom: 0, catchUpMs: 0 });
    l.setShare(0.5);
    l.take('alert-1'); // at a half, the next slot is in 20 ms
    const granted: number[] = [];
    const first = l.acquire('u1').then(() => granted.push(Date.now() - T0));
    l.setShare(1); // now in 10 ms: the timer set for 20 ms must not be the one that wakes it
    await vi.advanceTimersByTimeAsync(10);
    await first;
    const second = l.acquire('u2').then(() => granted.push(Date.now() - T0));
    l.setShare(0.25); // 40 ms after the last rather than 10
    await vi.advanceTimersByTimeAsync(39);
    expect(granted).toEqual([10]);
    await vi.advanceTimersByTimeAsync(1);
    await second;
    expect(granted).toEqual([10, 50]);
    // A larger share whose slot has already come lets a waiting answer go at once.
    await vi.advanceTimersByTimeAsync(15);
    const third = l.acquire('u3'); // at a quarter the slot is at 90 ms…
    expect(l.waitingAnswers).toBe(1);
    l.setShare(1); // …at the full rate it was at 60
    await third;
    expect(Date.now() - T0).toBe(65);
  });

  it('holds answers through a 429 pause like everything else', async () => {
    const l = new RateLimiter({ perSecond: 10, headroom: 0, catchUpMs: 0 });
    l.pause(T0 + 3000);
    const waiting = l.acquire('u1');
    await vi.advanceTimersByTimeAsync(2999);
    expect(l.waitingAnswers).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(l.waitingAnswers).toBe(0);
  });
});
