import { startFakeTelegramProcess } from '../test/alerts/fakeTelegramProcess.js';
import { runBudgetScenario } from '../test/telegram/budgetScenario.js';
import { ms, percentiles } from './stats.js';

const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

const SUBSCRIBERS = 10_000;
const COMMANDS = 129;
/** The broadcast's cost to the slowest answer, against answers alone at the budget's pace. */
const EXTRA_DELAY_GOAL_MS = 1000;

/**
 * Answers and alerts on one token at Telegram's real limits: a round is being broadcast to 10,000
 * private chats when 129 chats send /latest at the same instant (9 of them just alerted, so their
 * one-a-second limit applies). The bot is wired as startTelegram wires it — grammY's answers and
 * the alert sender in one budget — against a fake Bot API in a process of its own that accepts
 * 30 sendMessage in any sliding second and one a second per chat, and answers 429 beyond.
 */
export default async function benchSharedBudget(): Promise<string[]> {
  const server = await startFakeTelegramProcess({ perWindow: 30, windowMs: 1000, perChatGapMs: 1000 });
  try {
    const outcome = await runBudgetScenario({
      server: { apiRoot: server.apiRoot, token: server.token, received: async () => (await server.report()).received },
      scale: 1,
      subscribers: SUBSCRIBERS,
      warmUp: 90,
      commands: COMMANDS,
      overlap: 9,
      tailMs: 3000,
    });
    const latency = percentiles(outcome.answerLatencies);
    const answersAlone = ((COMMANDS - 1) / (30 * 0.97)) * 1000;
    return [
      `A broadcast to ${SUBSCRIBERS.toLocaleString('en-CA')} private chats at Telegram's limits; after 90 alerts, ${COMMANDS} chats send /latest at once (handed to grammY's handleUpdate together). One budget for the token (limiter at 30/s, 3% headroom, a second apart per chat); fake Bot API in its own process accepting 30 sendMessage in any sliding second and one a second per chat, 429 beyond.`,
      '',
      '| measure | value | goal |',
      '|---|---|---|',
      `| busiest sliding second at the server (answers and alerts) | **${outcome.peakPerSecond} / 30** | ≤ 30 |`,
      `| 429 answers | **${outcome.tooManyRequests}** | 0 |`,
      `| answers delivered, one per asking chat | ${outcome.answerLatencies.length} / ${COMMANDS} (missing or doubled: ${outcome.missingAnswers}) | all |`,
      `| answer arrival after the commands, p50 / p99 / last | ${seconds(latency.p50)} / ${seconds(latency.p99)} / ${seconds(outcome.answerLatencies.at(-1) ?? Number.NaN)} | |`,
      `| the last, had there been no broadcast (answers alone at 29.1/s) | ${seconds(answersAlone)} | |`,
      `| most an answer came later than answers alone would have | **${ms(outcome.worstExtraDelayMs)}** | < ${seconds(EXTRA_DELAY_GOAL_MS)} (${outcome.worstExtraDelayMs < EXTRA_DELAY_GOAL_MS ? 'met' : '**not met**'}) |`,
      `| alerts that arrived while answers were going out | ${outcome.alertsMeanwhile} | |`,
      `| alerts delivered in the run | ${outcome.alertsDelivered} | |`,
    ];
  } finally {
    await server.close();
  }
}
