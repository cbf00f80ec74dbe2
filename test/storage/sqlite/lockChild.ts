import { lockDataDir } from '../../../src/storage/sqlite/lockDataDir.js';

/**
 * A bot process for lockDataDir.test.ts: locks the DATA_DIR it is given and says so over IPC
 * (`{ locked: pid }`, or `{ refused: message }` and exit 1); then `release` releases it and `exit`
 * exits, as told.
 */
const [dataDir] = process.argv.slice(2) as [string];
try {
  const lock = await lockDataDir(dataDir);
  process.on('message', async (message) => {
    if (message === 'release') {
      await lock.release();
      process.send!({ released: true });
    }
    if (message === 'exit') process.exit(0);
  });
  process.send!({ locked: process.pid });
} catch (error) {
  process.send!({ refused: (error as Error).message }, () => process.exit(1));
}
