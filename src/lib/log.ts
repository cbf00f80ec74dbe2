import { createRequire } from 'node:module';
import type * as Pino from 'pino';
import type { DestinationStream } from 'pino';
import { safeError } from './safeError.js';

export type Logger = Pino.Logger;

let loaded: typeof Pino.pino | undefined;

/** pino, loaded on first use: a one-shot answer that logs nothing does not pay for loading it. */
function pino(): typeof Pino.pino {
  loaded ??= (createRequire(import.meta.url)('pino') as typeof Pino).pino;
  return loaded;
}

/**
 * JSON lines on stderr (stdout belongs to the console adapter's answers), or on `stream` (tests),
 * each with its time in ISO 8601 (`"time":"2026-08-07T15:04:05.123Z"`, UTC), readable in
 * `journalctl` or `docker logs` without conversion.
 * Tokens are redacted by path wherever they could appear, and every error logged under `err` goes
 * through safeError — an already safe object as it is — so no library's error carries a token or a
 * request body into the logs; callers never log what users typed.
 */
export function createLogger(level: string, stream: DestinationStream = pino().destination(2)): Logger {
  return pino()(
    {
      level,
      base: undefined,
      timestamp: pino().stdTimeFunctions.isoTime,
      redact: { paths: ['token', '*.token', 'config.*Token', 'config.*TOKEN', 'headers.authorization'], censor: '[redacted]' },
      serializers: { err: (error: unknown) => (error instanceof Error ? safeError(error) : error) },
    },
    stream,
  );
}

/**
 * A logger made on its first use: `npm run ask` passes one, so the logging library is loaded only
 * if something is logged.
 */
export function lazyLogger(create: () => Logger): Logger {
  let real: Logger | undefined;
  return new Proxy({} as Logger, {
    get(_target, key) {
      real ??= create();
      const value: unknown = Reflect.get(real, key, real);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = lazyLogger(() => pino()({ enabled: false }));
