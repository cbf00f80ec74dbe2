import type { ChartSpec } from '../../src/core/chartSpec.js';

/** `count` draws a fortnight apart from 2019-01-07, cut-offs wandering between 400 and 520. */
export function syntheticSpec(count: number, options: { highlightEvery?: number; threshold?: number } = {}): ChartSpec {
  return {
    title: `Test — ${count} draws`,
    subtitle: 'A synthetic period',
    points: Array.from({ length: count }, (_, i) => ({
      date: new Date(Date.UTC(2019, 0, 7) + i * 14 * 86_400_000).toISOString().slice(0, 10),
      crs: 400 + ((i * 37) % 121),
      round: String(100 + i),
      highlight: options.highlightEvery ? i % options.highlightEvery === 0 : undefined,
    })),
    threshold: options.threshold === undefined ? undefined : { value: options.threshold, label: `Your CRS: ${options.threshold}` },
  };
}
