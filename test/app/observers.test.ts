import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender, type DeliveryOutcome } from '../../src/alerts/alertSender.js';
import type { DeliveryResult } from '../../src/alerts/alertTransport.js';
import { createMetrics } from '../../src/app/createMetrics.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import type { AnswerEvent } from '../../src/commands/runCommand.js';
import { FeedPoller, type PollOutcome } from '../../src/feed/feedPoller.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { fakeTransport, useStores } from '../alerts/helpers.js';
import { testChat } from '../commands/chats.js';
import { frozenData, testDeps } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';
import { describeEachEngine } from '../storage/testEngines.js';

/**
 * The observer hooks the metrics hang on, one per layer (the layers know nothing of prom-client):
 * the reply path's onAnswer, the alert sender's onDelivery, the feed poller's onPoll.
 */

describe('prom-client', () => {
  it('is imported in src/app alone: the layers below only call observers', () => {
    const importers = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /from 'prom-client'|import\('prom-client'\)/.test(readFileSync(join('src', file), 'utf8')));
    expect(importers).toEqual([join('app', 'createMetrics.ts')]);
  });
});

describe('createAnswers: onAnswer', () => {
  async function observed() {
    const events: AnswerEvent[] = [];
    const deps = await testDeps();
    const failing = deps.commands.map((c) =>
      c.name === 'pool'
        ? {
            ...c,
            run: () => {
              throw new Error('boom');
            },
          }
        : c,
    );
    const answers = createAnswers({ ...deps, commands: failing, onAnswer: (event) => events.push(event) });
    return { events, answers };
  }
  const line = (text: string) => parseCommandLine(text, { requireSlash: true });

  it('tells each answer: the command, the platform (console without a chat), its kind and how long it took', async () => {
    const { events, answers } = await observed();
    const { chat } = testChat('telegram', { id: '42', isPrivate: true });
    await answers.line(line('/latest healthcare'), chat);
    await answers.line(line('/check 470 abc'));
    await answers.line(line('/pool'), chat);
    await answers.command('history', { category: 'cec' }, testChat('discord', { id: '7', isPrivate: false }).chat);
    await answers.text('latest');
    expect(events.map(({ ms, ...rest }) => rest)).toEqual([
      { command: 'latest', platform: 'telegram', kind: 'answer' },
      { command: 'check', platform: 'console', kind: 'error' },
      { command: 'pool', platform: 'telegram', kind: 'apology' },
      { command: 'history', platform: 'discord', kind: 'answer' },
      { command: 'latest', platform: 'console', kind: 'answer' },
    ]);
    for (const { ms } of events) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('never labels an answer with what was typed: unknown names, plain text and /start have fixed labels', async () => {
    const { events, answers } = await observed();
    await answers.line(line('/ban_everyone_now'));
    await answers.line(undefined);
    await answers.line(line(`/latest ${'x'.repeat(5000)}`));
    await answers.line(line('/start'));
    await answers.command('retired_command', {});
    expect(events.map((e) => [e.command, e.kind])).toEqual([
      ['unknown', 'error'],
      ['none', 'error'],
      ['unknown', 'error'],
      ['start', 'answer'],
      ['unknown', 'error'],
    ]);
  });

  it('answers even when the observer throws', async () => {
    const deps = await testDeps();
    const answers = createAnswers({
      ...deps,
      onAnswer: () => {
        throw new Error('observer bug');
      },
    });
    expect((await answers.text('/latest healthcare')).kind).toBe('answer');
  });
});

describeEachEngine('AlertSender: onDelivery', (engine) => {
  const env = useStores(engine);

  it('tells each delivery outcome under the platform, as the drain report counts them', async () => {
    for (const chat of ['1', '2', '3', '4']) await env.stores.subscriptions.subscribe('telegram', chat, 'all');
    await env.stores.outbox.enqueue([makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 })]);
    const script = (chatId: string): DeliveryResult =>
      ({
        '1': { status: 'sent' },
        '2': { status: 'gone', reason: 'blocked' },
        '3': { status: 'failed', error: 'bad request', permanent: true },
        '4': { status: 'retry', afterMs: 60_000, scope: 'chat' },
      })[chatId] as DeliveryResult;
    const outcomes: Array<[string, DeliveryOutcome]> = [];
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fakeTransport(script).transport,
      reply: async (round) => {
        const draw = await env.stores.outbox.draw(round);
        return draw && alertReply(draw, undefined);
      },
      limiter: new RateLimiter({}, env.clock.now),
      log: silentLogger,
      now: env.clock.now,
      sleep: env.clock.sleep,
      onDelivery: (platform, outcome) => outcomes.push([platform, outcome]),
    });
    const report = await sender.drainOnce();
    expect(report).toMatchObject({ sent: 1, gone: 1, failed: 1, rateLimited: 1 });
    expect([...outcomes].sort()).toEqual([
      ['telegram', 'failed'],
      ['telegram', 'gone'],
      ['telegram', 'rateLimited'],
      ['telegram', 'sent'],
    ]);
  });
});

describe('FeedPoller: onPoll', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('tells every poll: unchanged, synced, and each kind of failure', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ee-onpoll-'));
    const data = await frozenData();
    let answer: () => Response = () => new Response(null, { status: 304 });
    const outcomes: PollOutcome[] = [];
    let onDataset = () => {};
    const poller = new FeedPoller({
      url: 'http://feed.test/ee_rounds_123_en.json',
      intervalMs: 60_000,
      dataFile: join(dir, 'draws.json'),
      held: () => ({ source: 'test', draws: data.draws }),
      onDataset: () => onDataset(),
      log: silentLogger,
      retries: 0,
      fetch: async () => answer(),
      onPoll: (outcome) => outcomes.push(outcome),
    });
    await poller.pollOnce();
    answer = () => new Response(feedBody([rawRound({ drawNumber: '435', drawDate: '2026-08-20' })]), { status: 200 });
    await poller.pollOnce();
    answer = () => new Response('<html>down</html>', { status: 200 });
    await poller.pollOnce();
    answer = () => new Response('', { status: 404 });
    await poller.pollOnce();
    answer = () => new Response(feedBody([rawRound({ drawNumber: '436', drawDate: '2026-08-21' })]), { status: 200 });
    onDataset = () => {
      throw new Error('the disk is full');
    };
    await poller.pollOnce();
    expect(outcomes.map((o) => (o.status === 'failed' ? `failed ${o.kind}` : o.status))).toEqual([
      'unchanged',
      'synced',
      'failed refused',
      'failed fetch',
      'failed internal',
    ]);

    // The same outcomes, as the metrics count them.
    const metrics = createMetrics();
    for (const outcome of outcomes) metrics.poll(outcome);
    const text = (await metrics.scrape()).body;
    expect(text).toContain('eebot_feed_polls_total{outcome="failed"} 3');
    expect(text).toContain('eebot_feed_errors_total{kind="refused"} 1');
    expect(text).toContain('eebot_feed_errors_total{kind="internal"} 1');
  });
});
