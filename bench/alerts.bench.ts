import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Api } from 'grammy';
import { alertReply } from '../src/alerts/alertReply.js';
import { AlertSender } from '../src/alerts/alertSender.js';
import { Outbox } from '../src/alerts/outbox.js';
import { openDrawStore } from '../src/app/drawStore.js';
import { silentLogger } from '../src/lib/log.js';
import { RateLimiter } from '../src/lib/rateLimiter.js';
import { openSqlite } from '../src/storage/sqlite/openSqlite.js';
import { createStorage } from '../src/storage/storage.js';
import { alertHtml, telegramLimits, telegramTransport } from '../src/telegram/telegramTransport.js';
import { startFakeTelegramProcess } from '../test/alerts/fakeTelegramProcess.js';
import { ms } from './stats.js';

const SCALE = 10; // Telegram's 30 messages/s ×10, so the run takes half a minute rather than six
const LIMIT = 30 * SCALE;
const SUBSCRIBERS = 10_000;

/**
 * Fan-out of one round to 10,000 private chats (only the global limit applies) through the real
 * grammY Api, against a fake Bot API server (a process of its own) on 127.0.0.1 that accepts at most LIMIT sendMessage
 * calls in any sliding second and answers 429 beyond it. The limiter is set to the same LIMIT.
 */
export default async function benchAlerts(): Promise<string[]> {
  const server = await startFakeTelegramProcess({ perWindow: LIMIT, windowMs: 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'ee-alerts-bench-'));
  const storage = createStorage(openSqlite(join(dir, 'alerts.sqlite')));
  try {
    const outbox = new Outbox(storage);
    await storage.transaction(async ({ subscriptions }) => {
      for (let i = 0; i < SUBSCRIBERS; i++)
        await subscriptions.subscribe('telegram', String(100_000_000 + i), i % 3 === 0 ? 'all' : ['healthcare']);
    });

    const index = (await openDrawStore(['data/draws.json'])).current();
    const draw = { ...index.inCategory('healthcare')[0]!, round: '999', date: '2026-12-01' };
    const enqueueStart = performance.now();
    const created = await outbox.enqueue([draw]);
    const enqueueMs = performance.now() - enqueueStart;
    const reply = alertReply(draw, index.inCategory('healthcare')[0]);

    const sender = new AlertSender({
      outbox,
      // The bot's alert renderer (alertHtml, the default): one message, rendered once per round, not per chat.
      transport: telegramTransport(new Api(server.token, { apiRoot: server.apiRoot }), alertHtml),
      reply: async () => reply,
      limiter: new RateLimiter(telegramLimits(SCALE)),
      log: silentLogger,
    });
    const start = performance.now();
    const report = await sender.drainOnce();
    const wallMs = performance.now() - start;

    const seen = await server.report();
    const delivered = seen.received.filter((m) => m.answer === 'ok');
    const perChat = new Set(delivered.map((m) => m.chatId));
    const endToEnd = (delivered.length / wallMs) * 1000;
    const steady = ((delivered.length - 1) / (delivered.at(-1)!.at - delivered[0]!.at)) * 1000;
    return [
      `One round to ${SUBSCRIBERS.toLocaleString('en-CA')} subscribed private chats through grammY's \`Api\` and a fake Bot API (separate process) on 127.0.0.1 that accepts ${LIMIT} sendMessage in any sliding second (Telegram's 30/s ×${SCALE}) and answers 429 beyond it; limiter set to ${LIMIT}/s (default 3% headroom); SQLite outbox in WAL mode on the OS temp folder.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| deliveries enqueued (one transaction) | ${created.toLocaleString('en-CA')} in ${ms(enqueueMs)} |`,
      `| messages delivered / distinct chats | ${delivered.length.toLocaleString('en-CA')} / ${perChat.size.toLocaleString('en-CA')} (sender: ${report.sent} sent, ${report.failed} failed) |`,
      `| wall time (first send to last answer recorded) | ${(wallMs / 1000).toFixed(2)} s |`,
      `| achieved rate, end to end | ${endToEnd.toFixed(1)} msg/s = **${(endToEnd / LIMIT).toFixed(3)} × limit** |`,
      `| achieved rate, first to last arrival at the server | ${steady.toFixed(1)} msg/s = ${(steady / LIMIT).toFixed(3)} × limit |`,
      `| busiest sliding second at the server | ${seen.peakWindow} / ${LIMIT} |`,
      `| 429 answers | **${seen.tooManyRequests}** |`,
    ];
  } finally {
    await storage.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
