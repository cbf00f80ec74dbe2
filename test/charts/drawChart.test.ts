import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../../src/charts/chartColors.js';
import type { ChartLayout, DotMark } from '../../src/charts/chartLayout.js';
import { drawChart } from '../../src/charts/drawChart.js';
import { pixelAt } from './decodePng.js';
import { syntheticSpec } from './syntheticSpec.js';

/** The dot whose colour shows at (x, y): the last one drawn there, since later dots cover earlier ones. */
function topDotAt(dots: DotMark[], x: number, y: number): DotMark | undefined {
  // Inside the fill, clear of the card-coloured rim (half its width) and anti-aliasing.
  return dots.filter((d) => Math.hypot(d.x - x, d.y - y) < d.radius - d.borderWidth / 2 - 0.75).pop();
}

/** Whether a label, painted over the dots, covers (x, y). */
function underLabel(layout: ChartLayout, x: number, y: number): boolean {
  return [layout.latest, layout.threshold?.label].some(
    (m) => m && x >= m.box.x && x <= m.box.x + m.box.width + 1 && y >= m.box.y && y <= m.box.y + m.box.height + 1,
  );
}

describe('drawChart', () => {
  it.each([1, 2, 10, 50, 200])('paints one dot per draw, where the layout puts it (%i draws)', (count) => {
    const spec = syntheticSpec(count, { highlightEvery: 4, threshold: 470 });
    const { pixels, width, height, layout } = drawChart(spec);
    expect(layout.dots).toHaveLength(count);
    const image = { width, height, rgba: pixels };
    let seen = 0;
    for (const dot of layout.dots) {
      // The pixel holding the dot's centre shows the dot drawn on top there.
      const [x, y] = [Math.floor(dot.x), Math.floor(dot.y)];
      if (underLabel(layout, x + 0.5, y + 0.5)) continue;
      const top = topDotAt(layout.dots, x + 0.5, y + 0.5);
      expect(top).toBeDefined();
      expect(pixelAt(image, x, y)).toBe(top!.fill);
      if (top === dot) seen++;
    }
    // Only with 200 draws (3.5 px apart) may a dot hide under a bigger green neighbour or a label.
    expect(seen).toBeGreaterThanOrEqual(count === 200 ? count * 0.7 : count);
  });

  it('paints each lane its own line, in its own colour, not one line through all', () => {
    const spec = syntheticSpec(6);
    spec.points.forEach((p, i) => {
      p.lane = i % 2 ? 'French' : 'PNP';
      p.crs = i % 2 ? 400 : 750;
    });
    const { pixels, width, height, layout } = drawChart(spec);
    const image = { width, height, rgba: pixels };
    const between = (a: DotMark, b: DotMark): string => pixelAt(image, Math.round((a.x + b.x) / 2), Math.round((a.y + b.y) / 2));
    for (const series of layout.series) expect(between(series.dots[0]!, series.dots[1]!)).toBe(series.color);
    // Halfway between draws of different lanes lies no line.
    expect(between(layout.dots[0]!, layout.dots[1]!)).toBe(CHART_COLORS.card);
  });

  it('paints the threshold line across the plot at its height', () => {
    const { pixels, width, height, layout } = drawChart(syntheticSpec(10, { threshold: 470 }));
    const image = { width, height, rgba: pixels };
    const y = Math.round(layout.threshold!.y);
    const row = Array.from({ length: 40 }, (_, i) => pixelAt(image, Math.round(layout.plot.x + layout.plot.width / 2) + i, y));
    expect(row.filter((c) => c === CHART_COLORS.threshold).length).toBeGreaterThan(15); // dashed
  });

  it('returns a copy of the pixels, untouched by the next drawing', () => {
    const first = drawChart(syntheticSpec(5));
    const copy = Buffer.from(first.pixels);
    drawChart(syntheticSpec(100, { threshold: 500 }));
    expect(first.pixels.equals(copy)).toBe(true);
    expect(first.pixels).toHaveLength(800 * 450 * 4);
  });
});
