import type { ChartRenderer } from '../charts/chartRenderer.js';
import type { Logger } from '../lib/log.js';
import type { Answers } from './createAnswers.js';

/** What every platform adapter is given: the one reply path, a logger and the chart renderer. */
export interface PlatformDeps {
  answers: Answers;
  log: Logger;
  /** Draws a reply's chart as a PNG: the chart thread in the bot; tests pass their own. */
  renderChart: ChartRenderer;
}
