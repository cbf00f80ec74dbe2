import { join } from 'node:path';

/** Where the SQLite engine keeps what the bot stores, in DATA_DIR. */
export const alertsDbPath = (dataDir: string): string => join(dataDir, 'alerts.sqlite');
