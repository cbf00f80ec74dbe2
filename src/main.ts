import { existsSync } from 'node:fs';
import { createApp } from './app/createApp.js';
import { ConfigError, loadConfig } from './config.js';
import { safeError } from './lib/safeError.js';

/**
 * `npm start`: the bot on every platform whose token is set, or the console when none is. A bot
 * exits 0 on SIGINT/SIGTERM, and non-zero when a platform is gone for good or something threw where
 * nothing could catch it, so that a supervisor (Docker, systemd) restarts it; either way within 10 s
 * and with the database closed.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let exit: ((code: number, why: Record<string, unknown>) => void) | undefined;
  const app = await createApp(loadConfig(), { onFatal: (error) => exit?.(1, { reason: error.message }) });
  if (app.bot) {
    // Before start(): a signal while the platforms connect still closes the database cleanly.
    let stopping = false;
    exit = (code, why) => {
      if (stopping) return;
      stopping = true;
      app.deps.log[code === 0 ? 'info' : 'fatal']({ ...why, exitCode: code }, 'shutting down');
      void app.stop().finally(() => process.exit(code));
    };
    // on, not once: a terminal's Ctrl-C reaches the bot twice under npm (from the terminal and forwarded by npm); exit() ignores the second.
    process.on('SIGINT', () => exit?.(0, { signal: 'SIGINT' }));
    process.on('SIGTERM', () => exit?.(0, { signal: 'SIGTERM' }));
    process.on('unhandledRejection', (reason) => exit?.(1, { err: safeError(reason), unhandled: 'rejection' }));
    process.on('uncaughtException', (error) => exit?.(1, { err: safeError(error), unhandled: 'exception' }));
  }
  await app.start();
  if (!app.bot) await app.stop();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The bot could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
