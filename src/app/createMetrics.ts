import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryOutcome } from '../alerts/alertSender.js';
import type { AnswerEvent } from '../commands/runCommand.js';
import type { PollOutcome } from '../feed/feedPoller.js';

/** What the metrics read when they are scraped rather than counted as they happen. */
export interface MetricSources {
  /** Alerts waiting in the outbox, per platform that sends them. */
  pendingAlerts?: () => Promise<Iterable<readonly [platform: string, count: number]>>;
  /** Seconds since the last successful feed poll (since the live sync started, before the first); undefined when it does not run. */
  feedAgeSeconds?: () => number | undefined;
  /** Whether each platform the bot starts is connected (false until it has started). */
  platformsUp?: () => Iterable<readonly [platform: string, up: boolean]>;
  /** Whether this instance leads (polls the feed, sends the alerts). */
  leader?: () => boolean;
}

/** The bot's Prometheus metrics: observers the composition root hands to each layer, and the scrape. */
export interface Metrics {
  readonly registry: Registry;
  /** For CommandDeps.onAnswer. */
  answer(event: AnswerEvent): void;
  /** For the alert senders' onDelivery. */
  delivery(platform: string, outcome: DeliveryOutcome): void;
  /** For the feed poller's onPoll. */
  poll(outcome: PollOutcome): void;
  /** A chart drawn, or not. */
  chart(ok: boolean): void;
  /** A renewal of the leader lease confirmed, or not (refused or unanswered). */
  leaseRenewal(ok: boolean): void;
  /** This instance took the lead from one that stopped renewing. */
  failover(): void;
  /** Claims of a leader gone that this one released on taking the lead (those alerts go again). */
  claimsTakenOver(count: number): void;
  /** An answer dropped unsent: past its age (60 s after the question), never sent late. */
  shed(platform: string): void;
  /** Everything in Prometheus' text exposition format. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** Seconds; answers come from memory (a few ms), /subscribe may ask Telegram who is an admin. */
const ANSWER_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The metrics of one bot process, in a registry of its own (never prom-client's global one), with
 * Node's default process metrics. The layers know nothing of prom-client: they call observers.
 */
export function createMetrics(sources: MetricSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const answers = new Counter({
    name: 'eebot_answers_total',
    help: 'Answers given, by command, platform and kind (answer; error: a mistake of the asker; apology: a bug of ours).',
    labelNames: ['command', 'platform', 'kind'] as const,
    registers,
  });
  const answerSeconds = new Histogram({
    name: 'eebot_answer_duration_seconds',
    help: 'Time from a question to its finished answer (sending it not included), by command and platform.',
    labelNames: ['command', 'platform'] as const,
    buckets: ANSWER_BUCKETS,
    registers,
  });
  const alertsSent = new Counter({
    name: 'eebot_alerts_sent_total',
    help: 'Draw alerts delivered, by platform.',
    labelNames: ['platform'] as const,
    registers,
  });
  const alertsFailed = new Counter({
    name: 'eebot_alerts_failed_total',
    help: 'Draw alerts given up, by platform and reason (error: refused or failing after every retry; gone: the chat blocked or removed the bot, its subscription is removed).',
    labelNames: ['platform', 'reason'] as const,
    registers,
  });
  const alertsRetried = new Counter({
    name: 'eebot_alerts_retried_total',
    help: 'Draw alert sends put off to try again, by platform and reason (rate_limited: a 429; error: a failure to retry).',
    labelNames: ['platform', 'reason'] as const,
    registers,
  });
  new Gauge({
    name: 'eebot_alerts_pending',
    help: 'Draw alerts waiting in the outbox, by platform.',
    labelNames: ['platform'] as const,
    registers,
    async collect() {
      const counts = (await sources.pendingAlerts?.()) ?? [];
      this.reset();
      for (const [platform, count] of counts) this.set({ platform }, count);
    },
  });
  const polls = new Counter({
    name: 'eebot_feed_polls_total',
    help: 'Polls of the rounds feed, by outcome (unchanged, synced, failed).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const feedErrors = new Counter({
    name: 'eebot_feed_errors_total',
    help: 'Failed polls of the rounds feed, by kind (fetch: network, timeout or HTTP status; refused: a body the importer refuses; internal).',
    labelNames: ['kind'] as const,
    registers,
  });
  new Gauge({
    name: 'eebot_feed_last_success_age_seconds',
    help: 'Seconds since the last successful poll of the rounds feed (a 304 counts); before the first, since the live sync started.',
    registers,
    collect() {
      const age = sources.feedAgeSeconds?.();
      if (age === undefined) this.reset();
      else this.set(age);
    },
  });
  const charts = new Counter({
    name: 'eebot_chart_renders_total',
    help: 'Charts drawn for answers, by outcome (ok, failed).',
    labelNames: ['outcome'] as const,
    registers,
  });
  new Gauge({
    name: 'eebot_platform_up',
    help: 'Whether each platform the bot runs is connected (1) or not (0), as /healthz sees it.',
    labelNames: ['platform'] as const,
    registers,
    collect() {
      this.reset();
      for (const [platform, up] of sources.platformsUp?.() ?? []) this.set({ platform }, up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'eebot_leader',
    help: 'Whether this instance leads (1): polls the feed and sends the alerts. Exactly one instance should.',
    registers,
    collect() {
      this.set(sources.leader?.() ? 1 : 0);
    },
  });
  const renewals = new Counter({
    name: 'eebot_lease_renewals_total',
    help: 'Renewals of the leader lease by this instance, by outcome (failed: refused or unanswered).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const failovers = new Counter({
    name: 'eebot_failovers_total',
    help: 'Times this instance took the lead from a leader that stopped renewing its lease.',
    registers,
  });
  const takenOver = new Counter({
    name: 'eebot_claims_taken_over_total',
    help: 'Alert deliveries claimed by a leader gone, released by this one on taking the lead (sent again: at-least-once).',
    registers,
  });
  const shed = new Counter({
    name: 'eebot_answers_shed_total',
    help: 'Answers dropped unsent because they could not go out within 60 s of the question (alerts are never shed).',
    labelNames: ['platform'] as const,
    registers,
  });
  // Zero from the start, so that rate() and alerting rules see a series before the first event.
  for (const outcome of ['ok', 'failed']) renewals.inc({ outcome }, 0);
  shed.inc({ platform: 'telegram' }, 0);
  for (const outcome of ['unchanged', 'synced', 'failed']) polls.inc({ outcome }, 0);
  for (const kind of ['fetch', 'refused', 'internal']) feedErrors.inc({ kind }, 0);
  for (const outcome of ['ok', 'failed']) charts.inc({ outcome }, 0);

  return {
    registry,
    answer({ command, platform, kind, ms }) {
      answers.inc({ command, platform, kind });
      answerSeconds.observe({ command, platform }, ms / 1000);
    },
    delivery(platform, outcome) {
      if (outcome === 'sent') alertsSent.inc({ platform });
      else if (outcome === 'failed') alertsFailed.inc({ platform, reason: 'error' });
      else if (outcome === 'gone') alertsFailed.inc({ platform, reason: 'gone' });
      else if (outcome === 'rateLimited') alertsRetried.inc({ platform, reason: 'rate_limited' });
      else if (outcome === 'retried') alertsRetried.inc({ platform, reason: 'error' });
      // 'migrated': the alert follows the chat to its new id and is sent there; nothing to count.
    },
    poll(outcome) {
      polls.inc({ outcome: outcome.status });
      if (outcome.status === 'failed') feedErrors.inc({ kind: outcome.kind });
    },
    chart(ok) {
      charts.inc({ outcome: ok ? 'ok' : 'failed' });
    },
    leaseRenewal(ok) {
      renewals.inc({ outcome: ok ? 'ok' : 'failed' });
    },
    failover() {
      failovers.inc();
    },
    claimsTakenOver(count) {
      takenOver.inc(count);
    },
    shed(platform) {
      shed.inc({ platform });
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
