import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../../src/charts/chartColors.js';
import { drawChart } from '../../src/charts/drawChart.js';
import { syntheticSpec } from './syntheticSpec.js';

interface Dot {
  x: number;
  y: number;
  ignore?: boolean;
  invisible?: boolean;
  childAt(i: number): { style: { fill?: unknown }; invisible?: boolean; scaleX: number; scaleY: number };
}

interface SeriesData {
  count(): number;
  getItemGraphicEl(index: number): Dot | undefined;
}

/** The dot ECharts drew for each item of the cut-off series, in item order (undefined: none drawn). */
function drawnDots(drawn: ReturnType<typeof drawChart>): Array<Dot | undefined> {
  // getModel() is ECharts' internal model, public at run time though not in its typings.
  const model = (drawn.chart as unknown as { getModel(): { getSeriesByIndex(i: number): { getData(): SeriesData } } }).getModel();
  const data = model.getSeriesByIndex(0).getData();
  return Array.from({ length: data.count() }, (_, i) => data.getItemGraphicEl(i));
}

describe('drawChart', () => {
  it.each([1, 2, 10, 50, 200])('draws one visible dot per draw, where the draw is (%i draws)', (count) => {
    const spec = syntheticSpec(count, { highlightEvery: 4, threshold: 470 });
    const drawn = drawChart(spec);
    const dots = drawnDots(drawn);
    expect(dots).toHaveLength(count);
    spec.points.forEach((point, i) => {
      const dot = dots[i];
      expect(dot).toBeDefined();
      expect(dot!.ignore || dot!.invisible || dot!.childAt(0).invisible).toBeFalsy();
      const [x, y] = drawn.chart.convertToPixel({ seriesIndex: 0 }, [Date.parse(`${point.date}T00:00:00Z`), point.crs]) as number[];
      expect(dot!.x).toBeCloseTo(x!, 1);
      expect(dot!.y).toBeCloseTo(y!, 1);
      expect(dot!.childAt(0).style.fill).toBe(point.highlight ? CHART_COLORS.highlight : CHART_COLORS.line);
      // The dot's path is a unit circle scaled to the symbol size: at least 4 px across.
      expect(Math.min(dot!.childAt(0).scaleX, dot!.childAt(0).scaleY) * 2).toBeGreaterThanOrEqual(4);
    });
    // Inside the 800×450 picture, the first left of the last.
    const xs = dots.map((d) => d!.x);
    expect(Math.min(...xs)).toBeGreaterThan(60);
    expect(Math.max(...xs)).toBeLessThan(770);
    expect(xs[0]).toBeLessThanOrEqual(xs[count - 1]!);
  });

  it('returns a copy of the pixels, untouched by the next drawing', () => {
    const first = drawChart(syntheticSpec(5));
    const copy = Buffer.from(first.pixels);
    drawChart(syntheticSpec(100, { threshold: 500 }));
    expect(first.pixels.equals(copy)).toBe(true);
    expect(first.pixels).toHaveLength(800 * 450 * 4);
  });
});
