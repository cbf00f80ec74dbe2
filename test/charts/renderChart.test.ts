import { loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../../src/charts/chartColors.js';
import { renderChart } from '../../src/charts/renderChart.js';
import { countPixels, decodePng, distinctColours, pixelAt } from './decodePng.js';
import { syntheticSpec } from './syntheticSpec.js';

describe('renderChart', () => {
  it('renders an opaque 800×450 PNG: a framed light card with the line, dots, highlights and threshold', async () => {
    const png = await renderChart(syntheticSpec(12, { highlightEvery: 3, threshold: 470 }));
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([800, 450]);
    expect(image.rgba.filter((_, i) => i % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
    expect(pixelAt(image, 0, 225)).toBe(CHART_COLORS.border);
    expect(pixelAt(image, 790, 440)).toBe(CHART_COLORS.card);
    expect(distinctColours(image)).toBeGreaterThan(50);
    // Not blank: solid areas of each drawing colour (dot fills, the line, the dashed threshold).
    expect(countPixels(image, CHART_COLORS.line)).toBeGreaterThan(200);
    expect(countPixels(image, CHART_COLORS.highlight)).toBeGreaterThan(100);
    expect(countPixels(image, CHART_COLORS.threshold)).toBeGreaterThan(200);
    expect(countPixels(image, CHART_COLORS.text)).toBeGreaterThan(50);
  });

  it('makes a PNG that Skia decodes too', async () => {
    const image = await loadImage(await renderChart(syntheticSpec(10)));
    expect([image.width, image.height]).toEqual([800, 450]);
  });

  it('renders a single draw and 200 draws', async () => {
    for (const count of [1, 200]) {
      const image = decodePng(await renderChart(syntheticSpec(count, { highlightEvery: 2, threshold: 450 })));
      expect([image.width, image.height]).toEqual([800, 450]);
      expect(countPixels(image, CHART_COLORS.line)).toBeGreaterThan(count === 1 ? 20 : 500);
    }
  });

  it('draws the same spec the same way on the shared canvas, whatever was drawn before or alongside', async () => {
    const a = syntheticSpec(10, { threshold: 450 });
    const b = syntheticSpec(50, { highlightEvery: 2 });
    const first = await renderChart(a);
    const other = await renderChart(b);
    expect(await renderChart(a)).toEqual(first);
    expect(other).not.toEqual(first);
    const [x, y] = await Promise.all([renderChart(a), renderChart(b)]);
    expect(x).toEqual(first);
    expect(y).toEqual(other);
  });

  it('rejects a spec without points, and renders the next one', async () => {
    await expect(renderChart({ title: 'Empty', points: [] })).rejects.toThrow('at least one point');
    expect(decodePng(await renderChart(syntheticSpec(3))).width).toBe(800);
  });
});
