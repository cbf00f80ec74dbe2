import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { createAnswers } from '../src/commands/createAnswers.js';
import { parseCommandLine } from '../src/commands/parseCommandLine.js';
import { renderText } from '../src/console/renderText.js';
import type { DrawIndex } from '../src/core/drawIndex.js';
import { silentLogger } from '../src/lib/log.js';
import { openSqlite } from '../src/storage/sqlite/openSqlite.js';
import { createStorage } from '../src/storage/storage.js';
import { TELEGRAM_USER_ID, testChat } from '../test/commands/chats.js';
import { ms, percentiles } from './stats.js';

/** Text answers: parsing (commands and plain questions), validation, the query and rendering to terminal text, per command. */
export default async function benchCommands(): Promise<string[]> {
  const loads: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await openDrawStore(['data/draws.json']);
    loads.push(performance.now() - start);
  }
  const store = await openDrawStore(['data/draws.json']);
  const answers = createAnswers({
    data: store.current,
    clock: () => DateTime.fromISO('2026-11-25T12:00:00Z'),
    log: silentLogger,
    commands,
  });
  // Slash commands as a chat sends them; plain questions through the plain-language reader.
  const answer = (text: string) =>
    text.startsWith('/') ? answers.line(parseCommandLine(text, { requireSlash: true })) : answers.question(text);
  const inputs = [
    '/latest healthcare',
    '/latest',
    '/check 470 healthcare',
    '/check 470',
    '/check 470 pnp',
    '/check 480 since=2015-01-01',
    '/check 470 cec since Jan 2 2025',
    '/latest helthcare',
    '/next',
    '/help check',
    '/check 462 healthcare profile_date=2024-11-30 since=2024-01-01',
    '/history cec 50',
    '/stats healthcare 2025',
    '/stats',
    '/draw 91a',
    '/pool 470',
    '/categories',
    '/help',
    '/about',
    '/check abc',
    'what was the latest healthcare cut-off?',
    "my CRS is 481 and I'm CEC",
    'when is the next draw?',
    'did anyone get an ITA today?',
    // Periods, in commands and in plain questions.
    '/history cec since January',
    '/stats cec 2026-03',
    '/check 470 french last month',
    '/history between May 1 and June 30',
    '/draw Jul 21 2026',
    '/stats first half of 2026',
    'CEC draws since January',
    'how many ITAs last month',
    'was there a draw this week?',
    'what was the cut-off on July 21?',
    'draws between 2026-05-01 and 2026-06-30',
    '/crs age=29 education=masters english=9 foreign_work=3',
    '/crs age=34 education=bachelors ielts=8,7,7,7 canada_work=1 spouse=yes spouse_education=bachelors spouse_english=7',
  ];
  const lines = [
    `dataset load (read + validate + index, ${store.current().draws.length} rounds): p50 ${ms(percentiles(loads).p50)}, p99 ${ms(percentiles(loads).p99)}`,
  ];
  lines.push('', '| command | p50 | p99 |', '|---|---|---|');
  for (const text of inputs) {
    for (let i = 0; i < 500; i++) renderText(await answer(text));
    const samples: number[] = [];
    // 5,000 runs: with 2,000, one scavenge in the window decided a p99.
    for (let i = 0; i < 5000; i++) {
      const start = performance.now();
      renderText(await answer(text));
      samples.push(performance.now() - start);
    }
    const { p50, p99 } = percentiles(samples);
    lines.push(`| \`${text}\` | ${ms(p50)} | ${ms(p99)} |`);
  }
  lines.push('', ...(await personalAnswers(store.current)));
  return lines;
}

/**
 * The same path for someone with a saved profile, in their private chat: each answer looks the
 * profile up (one prepared statement on the SQLite file) before it is computed.
 */
async function personalAnswers(data: () => DrawIndex): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ee-bench-profiles-'));
  const storage = createStorage(openSqlite(join(dir, 'alerts.sqlite')));
  try {
    const { profiles } = storage;
    const { chat } = testChat('telegram', { id: String(TELEGRAM_USER_ID), isPrivate: true });
    await profiles.set('telegram', chat.userId!, {
      crs: 481,
      categories: ['cec', 'healthcare'],
      submittedAt: '2025-01-31T10:15:00Z',
      timeZone: 'America/Toronto',
    });
    const answers = createAnswers({ data, clock: () => DateTime.fromISO('2026-11-25T12:00:00Z'), log: silentLogger, commands, profiles });
    const lines = [
      'With a profile (CRS 481, CEC and healthcare, a submission time and a zone), in its private chat:',
      '',
      '| command | p50 | p99 |',
      '|---|---|---|',
    ];
    for (const text of ['/check', '/latest cec', '/history cec 20', '/pool', '/profile']) {
      const answer = () => answers.line(parseCommandLine(text, { requireSlash: true }), chat);
      for (let i = 0; i < 200; i++) renderText(await answer());
      const samples: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const start = performance.now();
        renderText(await answer());
        samples.push(performance.now() - start);
      }
      const { p50, p99 } = percentiles(samples);
      lines.push(`| \`${text}\` | ${ms(p50)} | ${ms(p99)} |`);
    }
    return lines;
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
