import { run } from '@grammyjs/runner';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import type { Logger } from '../../src/lib/log.js';
import { ALLOWED_UPDATES, createTelegramBot, type TelegramBotOptions } from '../../src/telegram/createTelegramBot.js';
import { platformDeps } from '../fixtures/deps.js';
import { BOT_INFO, type FakeBotApi, TEST_TOKEN } from './fakeBotApi.js';

/**
 * The bot createTelegramBot builds, polling a fake Bot API through the runner as startTelegram
 * does, with the options (a budget, an age limit) a test sets itself. `stop` ends the polling only.
 */
export async function runBot(
  fake: FakeBotApi,
  options: Partial<Omit<TelegramBotOptions, 'deps'>> & { log?: Logger; commandDeps?: CommandDeps } = {},
) {
  const { log, commandDeps, ...botOptions } = options;
  const deps = await platformDeps({ ...(log ? { log } : {}), ...(commandDeps ? { deps: commandDeps } : {}) });
  const bot = createTelegramBot({ token: TEST_TOKEN, apiRoot: fake.apiRoot, botInfo: BOT_INFO, deps, ...botOptions });
  const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES }, silent: true } });
  return { bot, stop: () => runner.stop() };
}
