import { loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../../src/charts/chartColors.js';
import { renderChart } from '../../src/charts/renderChart.js';
import { countPixels, decodePng, distinctColours, pixelAt } from './decodePng.js';
import { syntheticSpec } from './syntheticSpec.js';

describe('renderChart', () => {
  it('renders an opaque 800×450 PNG: a framed light card with the line, dots, highlights and threshold', () => {
    const png = renderChart(syntheticSpec(12, { highlightEvery: 3, threshold: 470 }));
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
    const image = await loadImage(renderChart(syntheticSpec(10)));
    expect([image.width, image.height]).toEqual([800, 450]);
  });

  it('renders a single draw and 200 draws', () => {
    for (const count of [1, 200]) {
      const image = decodePng(renderChart(syntheticSpec(count, { highlightEvery: 2, threshold: 450 })));
      expect([image.width, image.height]).toEqual([800, 450]);
      expect(countPixels(image, CHART_COLORS.line)).toBeGreaterThan(count === 1 ? 20 : 500);
    }
  });

  it('draws the same spec the same way on the shared canvas, whatever was drawn before', () => {
    const a = syntheticSpec(10, { threshold: 450 });
    const b = syntheticSpec(50, { highlightEvery: 2 });
    const first = renderChart(a);
    const other = renderChart(b);
    expect(renderChart(a)).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('throws on a spec without points, and renders the next one', () => {
    expect(() => renderChart({ title: 'Empty', points: [] })).toThrow('at least one point');
    expect(decodePng(renderChart(syntheticSpec(3))).width).toBe(800);
  });
});
