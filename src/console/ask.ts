import { DateTime } from 'luxon';
import { commands } from '../../commands/index.js';
import { runText } from '../commands/runCommand.js';
import { loadConfig } from '../config.js';
import { openDrawStore } from '../app/drawStore.js';
import { createLogger } from '../lib/log.js';
import { renderText } from './renderText.js';
import { writeReplyChart } from './writeReplyChart.js';
import { join } from 'node:path';

/**
 * `npm run ask -- "/latest healthcare"`: one answer on stdout; a user error on stderr, exit 1. A reply
 * with a chart adds "Chart: /tmp/….png" on stdout, or a one-line note on stderr if the chart fails.
 */
const text = process.argv.slice(2).join(' ');
const config = loadConfig();
const store = await openDrawStore([join(config.dataDir, 'draws.json'), config.datasetFile]);
const deps = { data: store.current, clock: () => DateTime.utc(), log: createLogger(config.logLevel ?? 'warn'), commands };
const reply = await runText(text || '/help', deps, { requireSlash: false });
if (reply?.kind === 'error') {
  process.stderr.write(`${renderText(reply)}\n`);
  process.exitCode = 1;
} else if (reply) {
  process.stdout.write(`${renderText(reply)}\n`);
  const chart = await writeReplyChart(reply);
  if (chart?.ok) process.stdout.write(`${chart.line}\n`);
  else if (chart) process.stderr.write(`${chart.line}\n`);
}
