import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/log.js';

describe('createLogger', () => {
  it('writes JSON lines with ISO-8601 UTC times, tokens redacted', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const before = Date.now();
    log.info({ token: '123:secret' }, 'started');
    const after = Date.now();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{"level":30,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","token":"\[redacted\]","msg":"started"\}\n$/);
    const time = Date.parse(JSON.parse(lines[0]!).time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });
});
