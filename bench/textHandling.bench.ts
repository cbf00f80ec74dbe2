import { performance } from 'node:perf_hooks';
import { escapeMarkdown } from '../src/discord/escapeMarkdown.js';
import { normalizeRound } from '../src/feed/normalizeRound.js';
import type { RawRound } from '../src/feed/rawFeedSchema.js';
import { splitToFit } from '../src/telegram/packChunks.js';
import { escapeHtml } from '../src/telegram/renderHtml.js';
import { rawRound } from '../test/fixtures/rawRound.js';
import { ms, percentiles } from './stats.js';

/**
 * Feed and user text in the shapes that made the old code quadratic: a field of blanks with no
 * separator after them (programsOf's split on /\s*,\s*|\s+and\s+/ took 21 s on 100,000), blank
 * lines before a list marker (escapeMarkdown's `^\s*` with the m flag) and a long text cut into
 * Telegram messages (splitToFit re-rendered the whole rest for every part). Each size should take
 * about ten times the one before; the budget is what "1 MB in milliseconds" allows.
 */

const SIZES = [10_000, 100_000, 1_000_000];
const BUDGET_MS = 250;
const RUNS = 7;

const blanks = (size: number) => ' '.repeat(size);
const CASES: ReadonlyArray<readonly [name: string, run: (size: number) => () => unknown]> = [
  [
    'normalizeRound: programs "a␠…␠b␠…" (no separator)',
    (size) => {
      const raw: RawRound = rawRound({ drawText2: `a${blanks(size / 2)}b${blanks(size / 2)}` });
      return () => normalizeRound(raw);
    },
  ],
  [
    'normalizeRound: programs "A␠…␠and␠…␠B"',
    (size) => {
      const raw: RawRound = rawRound({
        drawText2: `Federal Skilled Worker${blanks(size / 2)}and${blanks(size / 2)}Canadian Experience Class`,
      });
      return () => normalizeRound(raw);
    },
  ],
  ['escapeMarkdown: "a\\n…\\n- b" (blank lines)', (size) => () => escapeMarkdown(`a${'\n'.repeat(size)}- b`)],
  ['escapeMarkdown: "a␠…␠- b" (blanks, one line)', (size) => () => escapeMarkdown(`a${blanks(size)}- b`)],
  ['splitToFit: "a␠…␠b", Telegram HTML', (size) => () => splitToFit(`a${blanks(size)}b`, (p) => `<b>${escapeHtml(p)}</b>`, 4086)],
  ['splitToFit: "&&…&" (5× when escaped)', (size) => () => splitToFit('&'.repeat(size), (p) => `<b>${escapeHtml(p)}</b>`, 4086)],
];

export default async function benchTextHandling(): Promise<string[]> {
  const lines = [
    `p50 of ${RUNS} runs per input (p99 = slowest); budget ${BUDGET_MS} ms at 1 MB.`,
    '',
    '| function and input | 10 KB p50 | 100 KB p50 | 1 MB p50 | 1 MB p99 | 1 MB / 100 KB | within budget |',
    '|---|---|---|---|---|---|---|',
  ];
  const over: string[] = [];
  for (const [name, make] of CASES) {
    const figures = SIZES.map((size) => {
      const run = make(size);
      run(); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        run();
        samples.push(performance.now() - start);
      }
      return percentiles(samples);
    });
    const [small, medium, large] = figures as [(typeof figures)[0], (typeof figures)[0], (typeof figures)[0]];
    const within = large.p50 < BUDGET_MS;
    if (!within) over.push(name);
    lines.push(
      `| ${name} | ${ms(small.p50)} | ${ms(medium.p50)} | ${ms(large.p50)} | ${ms(large.p99)} | ${(large.p50 / medium.p50).toFixed(1)}× | ${within ? 'yes' : '**no**'} |`,
    );
  }
  if (over.length) lines.push('', `Over budget: ${over.join('; ')}.`);
  return lines;
}
