import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { PlatformDeps } from '../commands/platformDeps.js';
import { renderText } from './renderText.js';
import { writeReplyChart } from './writeReplyChart.js';

/**
 * The embedded default: an interactive prompt taking Telegram-style text ("/check 470 healthcare
 * since=2025-01-01"; the slash is optional). Resolves when input ends (Ctrl-D) or on "exit".
 * A reply with a chart is followed by "Chart: /tmp/ee-draw-bot-charts/chart-….png" (or a one-line note
 * if the chart fails; the text answer is printed first either way): one file per distinct chart, in
 * `io.chartDir` (default CHART_DIR), drawn only the first time it is asked for.
 */
export async function startConsole(
  deps: PlatformDeps,
  io: { input: Readable; output: Writable; prompt?: boolean; chartDir?: string },
): Promise<void> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  const prompt = () => io.prompt !== false && io.output.write('ee> ');
  io.output.write(
    'Express Entry draw bot — console mode (no bot token set). Try /latest healthcare, /check 470 cec, /help; "exit" quits.\n',
  );
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit' || text === '/exit') break;
    if (text) {
      const reply = await deps.answers.text(text);
      io.output.write(`${renderText(reply)}\n`);
      const chart = await writeReplyChart(reply, deps.renderChart, io.chartDir);
      if (chart) io.output.write(`${chart.line}\n`);
      if (chart && !chart.ok) deps.log.warn({ err: chart.error }, 'chart failed');
      io.output.write('\n');
    }
    prompt();
  }
  rl.close();
}
