import { join } from 'node:path';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openDrawStore } from './app/drawStore.js';
import { createChartThread } from './charts/createChartThread.js';
import { createAnswers } from './commands/createAnswers.js';
import { loadConfig } from './config.js';
import { renderText } from './console/renderText.js';
import { writeReplyChart } from './console/writeReplyChart.js';
import { createLogger, lazyLogger } from './lib/log.js';

/**
 * `npm run ask -- "/latest healthcare"`: one answer on stdout; a user error on stderr, exit 1. A reply
 * with a chart adds "Chart: /tmp/….png" on stdout, or a one-line note on stderr if the chart fails.
 */
const text = process.argv.slice(2).join(' ');
const config = loadConfig();
const store = await openDrawStore([join(config.dataDir, 'draws.json'), config.datasetFile]);
const answers = createAnswers({
  data: store.current,
  clock: () => DateTime.utc(),
  log: lazyLogger(() => createLogger(config.logLevel ?? 'warn')),
  commands,
  unsynced: true,
});
// Piped into `head` or the like, stdout may close before the chart line: that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
const reply = await answers.text(text || '/help');
if (reply.kind === 'error') {
  process.stderr.write(`${renderText(reply)}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`${renderText(reply)}\n`);
  const charts = createChartThread();
  const chart = await writeReplyChart(reply, charts.render);
  await charts.close();
  if (chart?.ok) process.stdout.write(`${chart.line}\n`);
  else if (chart) process.stderr.write(`${chart.line}\n`);
}
