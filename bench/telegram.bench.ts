import { performance } from 'node:perf_hooks';
import type { Update, UserFromGetMe } from 'grammy/types';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { createAnswers } from '../src/commands/createAnswers.js';
import { silentLogger } from '../src/lib/log.js';
import { createTelegramBot } from '../src/telegram/createTelegramBot.js';
import { BOT_INFO as TEST_BOT_INFO } from '../test/telegram/fakeBotApi.js';
import { ms, percentiles } from './stats.js';

// The test fake's bot, under a name of its own.
const BOT_INFO: UserFromGetMe = { ...TEST_BOT_INFO, username: 'EEDrawsBenchBot' };

/** What people send, private and in groups, answered or ignored; the mix is weighted like a busy group week. */
const MIX: Array<{ text: string; group: boolean }> = [
  { text: '/latest healthcare', group: false },
  { text: '/latest', group: true },
  { text: '/latest@EEDrawsBenchBot cec', group: true },
  { text: '/check 470 healthcare', group: false },
  { text: '/check 480 since=2015-01-01', group: true },
  { text: '/check 462 healthcare profile_date=2024-11-30 since=2024-01-01', group: false },
  { text: '/history cec 50', group: false },
  { text: '/stats healthcare 2025', group: true },
  { text: '/draw 91a', group: false },
  { text: '/pool 470', group: false },
  { text: '/categories', group: true },
  { text: '/help', group: false },
  { text: '/check abc', group: false },
  { text: '/latest@OtherBot', group: true },
  { text: 'did anyone get an ITA today?', group: true },
];

let nextUpdateId = 1;

/** Process CPU time (all threads, GC included): unlike wall time, it does not count other processes on a busy machine. */
const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

function textUpdate(text: string, chatId: number, group: boolean): Update {
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextUpdateId,
      // Asked now: an answer to a question older than a minute is not sent.
      date: Math.floor(Date.now() / 1000),
      chat: group ? { id: -chatId, type: 'supergroup', title: 'Express Entry' } : { id: chatId, type: 'private', first_name: 'Asker' },
      from: { id: chatId, is_bot: false, first_name: 'Asker' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
    },
  } as Update;
}

/** What the chart renderer returns here: a PNG signature. Drawing charts is measured in charts.bench.ts. */
const STUB_PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Updates per second through the real grammY stack — sequentialize, the error boundary, the text
 * handler, addressedLine and the reply path (parsing, zod, the query), HTML rendering and ctx.reply
 * with its transformers — with the transport stubbed by an outermost API transformer that answers
 * every call at once. The outgoing budget (paceRequests) sits under the stub and is not measured: its job is to wait.
 * Answers with a chart take the photo path (sendPhoto) with a stub renderer, so drawing is left to
 * charts.bench.ts.
 */
export default async function benchTelegram(): Promise<string[]> {
  const store = await openDrawStore(['data/draws.json']);
  const clock = () => DateTime.fromISO('2026-11-25T12:00:00Z');
  const answers = createAnswers({ data: store.current, clock, log: silentLogger, commands });
  const bot = createTelegramBot({
    token: '123456:BENCH-token-abcdefghijklmnopqrstu',
    botInfo: BOT_INFO,
    deps: { answers, log: silentLogger, renderChart: async () => STUB_PNG },
  });
  let sent = 0;
  bot.api.config.use(async (_prev, method, payload) => {
    const posted = method === 'sendMessage' || method === 'sendPhoto';
    const p = payload as { chat_id?: number; text?: string; caption?: string };
    // Messages that carry an answer's text: a chart sent after the text does not count again.
    if (method === 'sendMessage' || p.caption !== undefined) sent++;
    const result = posted ? { message_id: sent, date: 1_795_600_000, chat: { id: p.chat_id, type: 'private' }, text: p.text } : true;
    return { ok: true, result } as never;
  });
  await bot.init();

  const updates = (count: number, pick: (i: number) => { text: string; group: boolean }) =>
    Array.from({ length: count }, (_, i) => {
      const { text, group } = pick(i);
      return textUpdate(text, 10_000 + (i % 1000), group);
    });
  const mixed = (i: number) => MIX[i % MIX.length]!;

  // Warm-up: the JIT and the per-chat maps reach their steady state.
  for (const update of updates(15_000, mixed)) await bot.handleUpdate(update);

  // One at a time: the cost of one update, end to end.
  const sequential = updates(30_000, mixed);
  const samples: number[] = [];
  sent = 0;
  let cpu = process.cpuUsage();
  let start = performance.now();
  for (const update of sequential) {
    const t = performance.now();
    await bot.handleUpdate(update);
    samples.push(performance.now() - t);
  }
  const sequentialSeconds = (performance.now() - start) / 1000;
  const sequentialCpu = cpuSeconds(process.cpuUsage(cpu));
  const answered = sent;

  // As the runner feeds them: a batch of 100 updates from 100 chats in flight at once.
  const concurrent = updates(30_000, mixed);
  cpu = process.cpuUsage();
  start = performance.now();
  for (let i = 0; i < concurrent.length; i += 100) await Promise.all(concurrent.slice(i, i + 100).map((u) => bot.handleUpdate(u)));
  const concurrentSeconds = (performance.now() - start) / 1000;
  const concurrentCpu = cpuSeconds(process.cpuUsage(cpu));

  const { p50, p99 } = percentiles(samples);
  const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-CA');
  const lines = [
    `Mix of ${MIX.length} kinds of message: ${sequential.length.toLocaleString('en-CA')} updates, ${answered.toLocaleString('en-CA')} answered (the rest are another bot's command and group chatter, ignored). One process; pin it to one core with \`taskset -c 0\`.`,
    '',
    '| updates fed | updates/s (wall clock) | updates per CPU-second | per update p50 | p99 |',
    '|---|---|---|---|---|',
    `| one at a time | ${rate(sequential.length, sequentialSeconds)} | ${rate(sequential.length, sequentialCpu)} | ${ms(p50)} | ${ms(p99)} |`,
    `| 100 chats at once (as the runner does) | ${rate(concurrent.length, concurrentSeconds)} | ${rate(concurrent.length, concurrentCpu)} | | |`,
    '',
    '| message | updates/s, one at a time |',
    '|---|---|',
  ];
  for (const kind of MIX) {
    const batch = updates(3000, () => kind);
    start = performance.now();
    for (const update of batch) await bot.handleUpdate(update);
    lines.push(`| \`${kind.text}\`${kind.group ? ' (group)' : ''} | ${rate(batch.length, (performance.now() - start) / 1000)} |`);
  }
  return lines;
}
