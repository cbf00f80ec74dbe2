import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines on stderr (stdout belongs to the console adapter's answers). Tokens are redacted by
 * path wherever they could appear; callers never log what users typed in full.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'config.*Token', 'config.*TOKEN', 'headers.authorization'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = pino({ enabled: false });
