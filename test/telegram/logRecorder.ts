import { createLogger, type Logger } from '../../src/lib/log.js';

export type LogEntry = Record<string, unknown>;

/**
 * A debug-level logger that keeps its JSON lines, for tests that read what the bot logged. A test
 * looks only at what was written since its own `mark()`, so the order tests run in does not matter;
 * `waitFor` resolves on the line itself, never on a timer racing it.
 */
export class LogRecorder {
  readonly lines: string[] = [];
  readonly log: Logger;
  private readonly listeners = new Set<() => void>();

  constructor() {
    // pino writes to a plain object stream synchronously: a line is here as soon as it is logged.
    this.log = createLogger('debug', {
      write: (line: string) => {
        this.lines.push(line);
        for (const listener of [...this.listeners]) listener();
      },
    });
  }

  /** Where the lines written from now on begin. */
  mark(): number {
    return this.lines.length;
  }

  /** The raw lines written since `mark`. */
  since(mark: number): string[] {
    return this.lines.slice(mark);
  }

  /** The entries written since `mark`, parsed. */
  entriesSince(mark: number): LogEntry[] {
    return this.since(mark).map((line) => JSON.parse(line) as LogEntry);
  }

  /** Resolves with the first entry since `mark` that matches; rejects after `timeoutMs`. */
  async waitFor(predicate: (entry: LogEntry) => boolean, mark: number, timeoutMs = 5000): Promise<LogEntry> {
    const find = () => this.entriesSince(mark).find(predicate);
    const found = find();
    if (found) return found;
    return new Promise<LogEntry>((resolve, reject) => {
      const check = () => {
        const entry = find();
        if (!entry) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(entry);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no matching log line within ${timeoutMs} ms; logged: ${this.since(mark).join('')}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }
}
