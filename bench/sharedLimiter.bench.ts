import { performance } from 'node:perf_hooks';
import { RateLimiter } from '../src/lib/rateLimiter.js';
import { telegramLimits } from '../src/telegram/telegramTransport.js';
import { peakWindow } from '../test/telegram/budgetScenario.js';

const RUN_MS = 2000;
const LANES = 8;
const CHATS = 2000;

/**
 * Answers offered to `limiter` as fast as it lets them go, for RUN_MS: LANES requests always
 * waiting, each to the next of many chats (a fifth of them groups), so that only the global
 * budget holds them back. Returns the instants it let them go.
 */
async function offer(limiter: RateLimiter, name: string): Promise<number[]> {
  const times: number[] = [];
  // Not AbortSignal.timeout: its timer, like the limiter's, does not keep the process alive.
  const abort = new AbortController();
  setTimeout(() => abort.abort(), RUN_MS);
  const stop = abort.signal;
  let next = 0;
  const lane = async () => {
    while (!stop.aborted) {
      const n = next++;
      try {
        await limiter.acquire(n % 5 === 0 ? `-100${n % CHATS}` : `${name}${n % CHATS}`, stop);
      } catch {
        return;
      }
      times.push(performance.now());
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return times;
}

/**
 * Two instances answering for one token, each with its limiter at half of Telegram's limits
 * (setShare(0.5)), in one process on real timers: do they stay within 30 messages in any second
 * together, and does each get half?
 */
export default async function benchSharedLimiter(): Promise<string[]> {
  const limiters = [new RateLimiter(telegramLimits()), new RateLimiter(telegramLimits())];
  for (const limiter of limiters) limiter.setShare(0.5);
  const [a, b] = await Promise.all(limiters.map((limiter, i) => offer(limiter, String(i + 1))));
  const both = [...a!, ...b!].sort((x, y) => x - y);
  const fair = Math.floor(RUN_MS / (1000 / 0.97 / 15)) + 1; // 15 in every 1000 / 0.97 ms, the first at once
  return [
    `Two limiters at Telegram's limits with setShare(0.5) each, in one process on real timers; answers to ${CHATS.toLocaleString('en-CA')} chats offered to each as fast as it lets them go (${LANES} always waiting) for ${RUN_MS / 1000} s.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| most messages in any 1 s window, both together | **${peakWindow(both, 1000)} / 30** |`,
    `| most in any 1 s window, each | ${peakWindow(a!, 1000)} / ${peakWindow(b!, 1000)} |`,
    `| messages let go, each (a half share's schedule allows ${fair}) | ${a!.length} / ${b!.length} |`,
  ];
}
