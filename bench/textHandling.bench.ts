import { performance } from 'node:perf_hooks';
import { plainQuestion } from '../src/commands/plainQuestion.js';
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
  [
    'normalizeRound: programs "A␠…␠,␠…␠B"',
    (size) => {
      const raw: RawRound = rawRound({
        drawText2: `Federal Skilled Trades${blanks(size / 2)},${blanks(size / 2)}Provincial Nominee Program`,
      });
      return () => normalizeRound(raw);
    },
  ],
  ['escapeMarkdown: "a\\n…\\n- b" (blank lines)', (size) => () => escapeMarkdown(`a${'\n'.repeat(size)}- b`)],
  ['escapeMarkdown: "a␠…␠- b" (blanks, one line)', (size) => () => escapeMarkdown(`a${blanks(size)}- b`)],
  [
    'escapeMarkdown: "a\\n…\\n␠\\t…12. b" (blank lines, then blanks)',
    (size) => () => escapeMarkdown(`a${'\n'.repeat(size / 2)}${' \t'.repeat(size / 4)}12. b`),
  ],
  ['escapeMarkdown: "\\n…\\n1222…2" (a long number)', (size) => () => escapeMarkdown(`${'\n'.repeat(size / 2)}1${'2'.repeat(size / 2)}`)],
  ['splitToFit: "a␠…␠b", Telegram HTML', (size) => () => splitToFit(`a${blanks(size)}b`, (p) => `<b>${escapeHtml(p)}</b>`, 4086)],
  ['splitToFit: "&&…&" (5× when escaped)', (size) => () => splitToFit('&'.repeat(size), (p) => `<b>${escapeHtml(p)}</b>`, 4086)],
  [
    'splitToFit: "\\x01…ab\\x01…cd" (renders to nothing), 3 visible',
    (size) => {
      const controls = '\u0001'.repeat(size / 2);
      return () => splitToFit(`${controls}ab${controls}cd`, (p) => escapeHtml(p), 3);
    },
  ],
];

/**
 * plainQuestion on text built to make a backtracking reader stall: long runs of hyphenated
 * fragments, apostrophes and hashes around the question (longer than the 500 characters a chat
 * line may have before it reaches plainQuestion). Goal: under 5 ms a question on average.
 */
const QUESTION = `${'a-'.repeat(120)}b ${"'".repeat(100)} latest cec ${'#'.repeat(100)}`;
const QUESTION_RUNS = 2_000;
const QUESTION_GOAL_MS = 5;

function benchPlainQuestion(): string[] {
  for (let i = 0; i < 200; i++) plainQuestion(QUESTION);
  const samples: number[] = [];
  for (let i = 0; i < QUESTION_RUNS; i++) {
    const start = performance.now();
    plainQuestion(QUESTION);
    samples.push(performance.now() - start);
  }
  const { p50, p99 } = percentiles(samples);
  const mean = samples.reduce((sum, sample) => sum + sample, 0) / samples.length;
  return [
    `plainQuestion: ${QUESTION_RUNS.toLocaleString('en-CA')} runs after a warm-up; goal: mean under ${QUESTION_GOAL_MS} ms.`,
    '',
    '| text | p50 | mean | p99 | within goal |',
    '|---|---|---|---|---|',
    `| "a-a-…b ''…' latest cec ##…#" (${QUESTION.length} characters) | ${ms(p50)} | ${ms(mean)} | ${ms(p99)} | ${mean < QUESTION_GOAL_MS ? 'yes' : '**no**'} |`,
  ];
}

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
  lines.push('', ...benchPlainQuestion());
  return lines;
}
