import { type DestinationStream, pino } from 'pino';
import { safeError } from './safeError.js';

export type Logger = pino.Logger;

/**
 * JSON lines on stderr (stdout belongs to the console adapter's answers), or on `stream` (tests).
 * Tokens are redacted by path wherever they could appear, and every error logged under `err` goes
 * through safeError — an already safe object as it is — so no library's error carries a token or a
 * request body into the logs; callers never log what users typed.
 */
export function createLogger(level: string, stream: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'config.*Token', 'config.*TOKEN', 'headers.authorization'], censor: '[redacted]' },
      serializers: { err: (error: unknown) => (error instanceof Error ? safeError(error) : error) },
    },
    stream,
  );
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = pino({ enabled: false });
