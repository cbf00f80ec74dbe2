import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { createAnswers } from '../src/commands/createAnswers.js';
import { renderText } from '../src/console/renderText.js';
import { silentLogger } from '../src/lib/log.js';

const ROOT = new URL('..', import.meta.url).pathname;
const QUESTION = '/latest healthcare';
const RUNS = 21;

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * A one-shot answer from a cold process, as `npm run ask` runs it without npm's own start-up:
 * `node dist/ask.js "/latest healthcare"`, against a bare `node -e 0`, interleaved so that both
 * see the same machine. Target: ask ≤ 2.5 × node -e 0, with the answer the sources give.
 */
export default async function benchColdStart(): Promise<string[]> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const dataDir = mkdtempSync(join(tmpdir(), 'ee-coldstart-'));
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const bare: number[] = [];
  const ask: number[] = [];
  let printed = '';
  try {
    for (let i = 0; i < RUNS + 2; i++) {
      let start = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { cwd: ROOT, env });
      const bareMs = performance.now() - start;
      start = performance.now();
      const result = spawnSync(process.execPath, ['dist/ask.js', QUESTION], { cwd: ROOT, env, encoding: 'utf8' });
      const askMs = performance.now() - start;
      if (result.status !== 0) throw new Error(`dist/ask.js failed: ${result.stderr}`);
      printed = result.stdout;
      if (i < 2) continue; // warm the file cache first
      bare.push(bareMs);
      ask.push(askMs);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // The same answer as the sources give in-process (the clock is the only moving part: none here).
  const store = await openDrawStore([join(ROOT, 'data/draws.json')]);
  const answers = createAnswers({ data: store.current, clock: () => DateTime.utc(), log: silentLogger, commands });
  const same = printed === `${renderText(await answers.text(QUESTION))}\n`;
  const ratio = median(ask) / median(bare);
  return [
    `| ${RUNS} runs each, interleaved | median | fastest |`,
    '|---|---|---|',
    `| \`node -e 0\` | ${median(bare).toFixed(0)} ms | ${Math.min(...bare).toFixed(0)} ms |`,
    `| \`node dist/ask.js "${QUESTION}"\` | ${median(ask).toFixed(0)} ms | ${Math.min(...ask).toFixed(0)} ms |`,
    '',
    `ask / bare node: **${ratio.toFixed(2)}×** (target ≤ 2.5×); same answer as the sources: ${same ? 'yes' : 'NO'}.`,
  ];
}
