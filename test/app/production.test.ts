import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAKE_TOKEN, interaction, startFakeDiscord } from '../discord/fakeDiscord.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from '../telegram/fakeBotApi.js';
import { feedServer } from './appFixtures.js';
import { bothPlatforms, productionCopy, ROOT, startBot } from './productionCopy.js';

const run = promisify(execFile);
const FROZEN = join(ROOT, 'test/fixtures/dataset.json');

// The runtime without any devDependency: what `npm ci && npm run build && npm prune --omit=dev`
// leaves, run with plain node, as the Dockerfile and the systemd unit do.
describe('a production install (build, then npm prune --omit=dev)', () => {
  let copy: Awaited<ReturnType<typeof productionCopy>>;
  let dataDir: string;
  beforeAll(async () => {
    copy = await productionCopy();
    dataDir = mkdtempSync(join(tmpdir(), 'ee-production-data-'));
  }, 120_000);
  afterAll(() => {
    copy?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds no devDependency', () => {
    for (const dev of ['tsx', 'typescript', 'esbuild', 'vitest', '@biomejs/biome'])
      expect(existsSync(join(copy.dir, 'node_modules', dev))).toBe(false);
    expect(existsSync(join(copy.dir, 'dist/main.js'))).toBe(true);
  });

  it('answers on the console with plain node, charts included (the chart thread too)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ee-production-ask-'));
    const env = { PATH: process.env.PATH ?? '', DATASET_FILE: FROZEN, DATA_DIR: empty };
    const latest = await run(process.execPath, ['dist/ask.js', '/latest healthcare'], { cwd: copy.dir, env });
    expect(latest.stdout).toContain('Latest Healthcare and social services draw: #422');
    expect(latest.stdout).toContain('— IRCC data to round #434 (Aug 7, 2026)');
    const history = await run(process.execPath, ['dist/ask.js', '/history healthcare'], { cwd: copy.dir, env });
    const chart = /^Chart: (.+\.png)$/m.exec(history.stdout)?.[1];
    expect(chart && existsSync(chart)).toBe(true);
    expect(readdirSync(empty)).toEqual([]); // a one-shot answer writes no state
    rmSync(empty, { recursive: true, force: true });
  });

  it('runs the bot on Telegram and Discord at once, answers both, and stops cleanly on SIGTERM', async () => {
    const telegram = await FakeBotApi.start();
    const discord = await startFakeDiscord();
    const feed = await feedServer();
    const bot = startBot(copy.dir, {
      ...bothPlatforms({ telegramApiRoot: telegram.apiRoot, discordApiUrl: discord.apiUrl, feedUrl: feed.url }),
      DATASET_FILE: FROZEN,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    try {
      await telegram.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'), 20_000);
      telegram.push(textMessage({ id: 8801 }, '/latest healthcare'));
      await telegram.waitFor(() => telegram.sentTo(8801).length === 1, 10_000);
      expect(String(telegram.sentTo(8801)[0]!.payload.text)).toContain('Latest Healthcare and social services draw: #422');

      await discord.waitForRequest((r) => r.path.endsWith('/commands') && r.method === 'GET', 20_000);
      const asked = interaction(2, 'latest', [{ name: 'category', type: 3, value: 'healthcare' }]);
      await vi.waitFor(() => expect(discord.identifies).toHaveLength(1));
      discord.dispatch('INTERACTION_CREATE', asked);
      const answer = await discord.waitForRequest((r) => r.path === `/interactions/${asked.id}/${asked.token}/callback`, 10_000);
      expect(JSON.stringify(answer.body)).toContain('Latest Healthcare and social services draw: #422');

      bot.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.stderr()).toContain('"msg":"shutting down"');
      expect(bot.stderr()).not.toContain(TEST_TOKEN.split(':')[1]);
      expect(bot.stderr()).not.toContain(FAKE_TOKEN);
      expect(readdirSync(dataDir)).toContain('alerts.sqlite');
    } finally {
      bot.kill('SIGKILL');
      await Promise.all([telegram.close(), discord.close(), feed.close()]);
    }
  }, 60_000);

  it('exits non-zero when Telegram revokes the token (401), so that a supervisor restarts it', async () => {
    const telegram = await FakeBotApi.start();
    const feed = await feedServer();
    telegram.failNext('getUpdates', 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const bot = startBot(copy.dir, {
      TELEGRAM_BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      FEED_URL: feed.url,
      DATASET_FILE: FROZEN,
      DATA_DIR: dataDir,
    });
    try {
      expect(await bot.exited).toBe(1);
      expect(bot.stderr()).toMatch(/"exitCode":1.*"msg":"shutting down"/);
      expect(bot.stderr()).toContain('telegram: polling stopped (401: Unauthorized)');
    } finally {
      bot.kill('SIGKILL');
      await Promise.all([telegram.close(), feed.close()]);
    }
  }, 30_000);
});
