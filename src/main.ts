import { existsSync } from 'node:fs';
import { createApp } from './app/createApp.js';
import { ConfigError, loadConfig } from './config.js';

/** `npm start`: the bot on every platform whose token is set, or the console when none is. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const app = await createApp(loadConfig());
  if (app.bot) {
    // Before start(): a SIGTERM while the platforms connect still closes the database cleanly.
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.deps.log.info({ signal }, 'shutting down');
      await app.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  }
  await app.start();
  if (!app.bot) await app.stop();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The bot could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
