import type { ChartRenderer } from '../charts/chartRenderer.js';
import type { Logger } from '../lib/log.js';
import type { Answers } from './createAnswers.js';

/** What every platform adapter is given: the one reply path, a logger and the chart renderer. */
export interface PlatformDeps {
  answers: Answers;
  log: Logger;
  /** Draws a reply's chart as a PNG: the chart thread in the bot; tests pass their own. */
  renderChart: ChartRenderer;
  /**
   * The platform is gone for good (a revoked token, another instance, a gateway that gave up): the
   * composition root stops the process with a non-zero exit, so that a supervisor restarts it.
   */
  lost?: (platform: string, reason: string) => void;
  /**
   * True: the update is taken for the first time by any instance; false: another took it already.
   * Set where one update may reach several instances (a webhook behind a load balancer, which the
   * platform redelivers to when an answer is slow); unset, every update is answered.
   */
  firstTime?: (key: string) => Promise<boolean>;
  /** An answer was dropped unsent, too old to be of use (60 s after the question): counted in the metrics. */
  onShed?: (platform: string) => void;
}
