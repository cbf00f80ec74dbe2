import type { DatasetStore } from '../domain/datasetStore.js';
import type { Dataset } from '../domain/drawSchema.js';
import type { SyncStatus } from '../feed/feedPoller.js';
import type { Logger } from '../lib/log.js';
import { sleep } from '../lib/sleep.js';
import type { StateStore } from '../storage/stateStore.js';

/** Where the leader leaves its live sync's status for the followers (their /about and /healthz). */
export const SYNC_STATUS_KEY = 'sync_status';

export function encodeSyncStatus(status: SyncStatus): string {
  return JSON.stringify(status);
}

export function decodeSyncStatus(json: string): SyncStatus {
  const raw = JSON.parse(json) as {
    lastSuccessAt: string | null;
    lastError: (Omit<NonNullable<SyncStatus['lastError']>, 'at' | 'since'> & { at: string; since: string }) | null;
    nextPollAt: string | null;
  };
  const date = (text: string | null) => (text === null ? null : new Date(text));
  return {
    lastSuccessAt: date(raw.lastSuccessAt),
    lastError: raw.lastError && { ...raw.lastError, at: new Date(raw.lastError.at), since: new Date(raw.lastError.since) },
    nextPollAt: date(raw.nextPollAt),
  };
}

export interface DatasetFollower {
  /** The leader's sync status as last read; undefined before the first. */
  status(): SyncStatus | undefined;
  /** Looks now and then every `everyMs`, until stop(). */
  start(): void;
  stop(): Promise<void>;
}

/**
 * A follower's view of what the leader syncs: the dataset row, read again whenever its version
 * changed (a cheap look every second, so a new round reaches every instance within about a
 * second), and the sync status the leader leaves. A follower never writes either.
 */
export function followDataset(options: {
  dataset: DatasetStore;
  state: StateStore;
  onDataset(dataset: Dataset): void;
  log: Logger;
  everyMs?: number;
}): DatasetFollower {
  const { dataset, state, log } = options;
  const everyMs = options.everyMs ?? 1000;
  let version: number | undefined;
  let status: SyncStatus | undefined;
  let failing = false;
  let stopping: AbortController | undefined;
  let loop: Promise<void> | undefined;

  const look = async () => {
    try {
      const now = await dataset.version?.();
      if (now !== undefined && now !== version) {
        const read = await dataset.read();
        if (read) options.onDataset(read);
        version = now;
      }
      const json = await state.get(SYNC_STATUS_KEY);
      status = json === undefined ? undefined : decodeSyncStatus(json);
      if (failing) log.info('the shared dataset can be read again');
      failing = false;
    } catch (error) {
      // The database unreachable, or a row that does not parse: answers go on from what is held.
      if (!failing) log.warn({ err: error }, 'could not read the shared dataset; answering from the one held');
      failing = true;
    }
  };

  return {
    status: () => status,
    start() {
      if (loop) return;
      const abort = new AbortController();
      stopping = abort;
      loop = (async () => {
        while (!abort.signal.aborted) {
          await look();
          await sleep(everyMs, abort.signal);
        }
      })();
    },
    async stop() {
      stopping?.abort();
      await loop;
      loop = undefined;
    },
  };
}
