import { performance } from 'node:perf_hooks';
import { crsImprovements } from '../src/core/crs/crsImprovements.js';
import type { CrsProfile, LanguageLevels } from '../src/core/crs/crsProfile.js';
import { crsScore } from '../src/core/crs/crsScore.js';
import { ms, percentiles } from './stats.js';

/**
 * One /crs answer's arithmetic: the score and its what-ifs (crsImprovements re-scores every
 * candidate change, up to ~20 crsScore calls). Goal: p99 ≤ 0.5 ms.
 */

const RUNS = 20_000;
const GOAL_MS = 0.5;
const clb = (n: number): LanguageLevels => ({ listening: n, reading: n, writing: n, speaking: n });
const base: CrsProfile = {
  age: 29,
  education: 'masters',
  english: clb(9),
  canadaWork: 0,
  foreignWork: 3,
  certificate: false,
  canadaStudy: 'none',
  sibling: false,
  nomination: false,
};
const PROFILES: ReadonlyArray<readonly [string, CrsProfile]> = [
  ['single, masters, CLB 9, 3 years abroad', base],
  [
    'with a spouse, bachelors, mixed CLB, 1 year in Canada',
    {
      ...base,
      age: 33,
      education: 'bachelors',
      english: { listening: 8, reading: 7, writing: 7, speaking: 7 },
      canadaWork: 1,
      spouse: { education: 'secondary', language: clb(5), canadaWork: 0 },
    },
  ],
  ['French first, English second, no spouse', { ...base, english: clb(5), french: clb(8), foreignWork: 0 }],
  ['no language test yet (longest level searches)', { ...base, english: undefined, education: 'secondary', foreignWork: 0 }],
];

export default async function benchCrs(): Promise<string[]> {
  const lines = [
    `${RUNS} runs per profile after a warm-up; goal p99 ≤ ${GOAL_MS} ms.`,
    '',
    '| profile | suggestions | crsScore p50 | crsScore p99 | score + what-ifs p50 | score + what-ifs p99 | within goal |',
    '|---|---|---|---|---|---|---|',
  ];
  const all: number[] = [];
  for (const [name, profile] of PROFILES) {
    for (let i = 0; i < 2_000; i++) crsImprovements(profile, 3); // warm-up
    const scoreOnly: number[] = [];
    const whole: number[] = [];
    let suggestions = 0;
    for (let i = 0; i < RUNS; i++) {
      let start = performance.now();
      crsScore(profile);
      scoreOnly.push(performance.now() - start);
      start = performance.now();
      crsScore(profile);
      suggestions = crsImprovements(profile, 3).length;
      whole.push(performance.now() - start);
    }
    all.push(...whole);
    const one = percentiles(scoreOnly);
    const both = percentiles(whole);
    lines.push(
      `| ${name} | ${suggestions} | ${ms(one.p50)} | ${ms(one.p99)} | ${ms(both.p50)} | ${ms(both.p99)} | ${both.p99 <= GOAL_MS ? 'yes' : '**no**'} |`,
    );
  }
  const overall = percentiles(all);
  lines.push(`| **all** | | | | **${ms(overall.p50)}** | **${ms(overall.p99)}** | ${overall.p99 <= GOAL_MS ? 'yes' : '**no**'} |`);
  return lines;
}
