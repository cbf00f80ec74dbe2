import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from '../../src/charts/chartColors.js';
import { CHART_FONT } from '../../src/charts/chartFont.js';
import { type ChartLayout, chartLayout, type MeasureText } from '../../src/charts/chartLayout.js';
import { syntheticSpec } from './syntheticSpec.js';

/** 7 px a character, whatever the font: enough to test decisions that depend on widths. */
const measure: MeasureText = (text) => text.length * 7;
const layout = (spec: ReturnType<typeof syntheticSpec>): ChartLayout => chartLayout(spec, measure);
const inside = (x: number, y: number, l: ChartLayout): boolean =>
  x >= l.plot.x && x <= l.plot.x + l.plot.width && y >= l.plot.y && y <= l.plot.y + l.plot.height;

describe('chartLayout', () => {
  it.each([1, 2, 10, 50, 200])('places one dot per draw, oldest left, inside the plot (%i draws)', (count) => {
    const spec = syntheticSpec(count, { highlightEvery: 4, threshold: 470 });
    const l = layout(spec);
    expect(l.dots).toHaveLength(count);
    l.dots.forEach((dot, i) => {
      expect(inside(dot.x, dot.y, l)).toBe(true);
      if (i > 0) expect(dot.x).toBeGreaterThan(l.dots[i - 1]!.x);
      expect(dot.fill).toBe(spec.points[i]!.highlight ? CHART_COLORS.highlight : CHART_COLORS.line);
      expect(dot.radius * 2).toBeGreaterThanOrEqual(4);
    });
    expect([l.width, l.height]).toEqual([800, 450]);
  });

  it('puts each dot at its date and cut-off: equal steps in days and CRS are equal steps in pixels', () => {
    const spec = syntheticSpec(3);
    spec.points = [
      { date: '2026-01-01', crs: 450, round: '1' },
      { date: '2026-01-11', crs: 470, round: '2' },
      { date: '2026-01-21', crs: 490, round: '3' },
    ];
    const [a, b, c] = layout(spec).dots;
    // Equal within the rounding to whole pixels.
    expect(Math.abs(b!.x - a!.x - (c!.x - b!.x))).toBeLessThanOrEqual(1);
    expect(Math.abs(a!.y - b!.y - (b!.y - c!.y))).toBeLessThanOrEqual(1);
    expect([a, b, c].every((d) => Number.isInteger(d!.x) && Number.isInteger(d!.y))).toBe(true);
    expect(a!.y).toBeGreaterThan(c!.y); // higher CRS, higher up
  });

  it('reads the y axis right: each gridline sits where its value would', () => {
    const spec = syntheticSpec(20, { threshold: 300 });
    const l = layout(spec);
    const values = [300, ...spec.points.map((p) => p.crs)];
    const ticks = l.yTicks.map((t) => t.value);
    expect(ticks[0]).toBeLessThan(Math.min(...values));
    expect(ticks[ticks.length - 1]).toBeGreaterThan(Math.max(...values));
    const step = ticks[1]! - ticks[0]!;
    expect(ticks.every((t, i) => i === 0 || t - ticks[i - 1]! === step)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(13);
    expect(l.yTicks[0]!.y).toBeCloseTo(l.plot.y + l.plot.height, 6);
    expect(l.yTicks[ticks.length - 1]!.y).toBeCloseTo(l.plot.y, 6);
    // The threshold is drawn at 300 on that same scale.
    const pxPerCrs = (l.yTicks[0]!.y - l.yTicks[1]!.y) / step;
    expect(l.threshold!.y).toBeCloseTo(l.yTicks[0]!.y - (300 - ticks[0]!) * pxPerCrs, 6);
    expect(l.yTicks.map((t) => t.label.text).slice(0, 2)).toEqual([String(ticks[0]), String(ticks[1])]);
  });

  it('writes CRS ticks with thousands separators', () => {
    const spec = syntheticSpec(2);
    spec.points[0]!.crs = 1200;
    expect(layout(spec).yTicks.map((t) => t.label.text)).toContain('1,000');
  });

  it('labels dates by month, with the year at its boundary, and no two labels overlapping', () => {
    const l = layout(syntheticSpec(30)); // Jan 7, 2019 to Feb 10, 2020
    const labels = l.xTicks.map((t) => t.label.text);
    expect(labels).toContain('2020');
    expect(labels).toContain('Jul');
    expect(l.xTicks.find((t) => t.label.text === '2020')!.label.font).toContain('bold');
    expect(l.xTicks.find((t) => t.label.text === '2020')!.time).toBe(Date.UTC(2020, 0, 1));
    l.xTicks.forEach((t, i) => {
      if (i > 0)
        expect(t.x - measure(t.label.text, '') / 2).toBeGreaterThan(l.xTicks[i - 1]!.x + measure(l.xTicks[i - 1]!.label.text, '') / 2);
    });
    // A fortnight gets days; eleven years get years.
    const days = layout(syntheticSpec(2)).xTicks.map((t) => t.label.text);
    expect(days.length).toBeGreaterThanOrEqual(3);
    expect(days.every((text) => /^(Dec|Jan) \d{1,2}$/.test(text))).toBe(true);
    const years = layout(syntheticSpec(290)).xTicks.map((t) => t.label.text);
    expect(years.length).toBeGreaterThanOrEqual(5);
    expect(years.every((text, i) => /^\d{4}$/.test(text) && (i === 0 || Number(text) > Number(years[i - 1])))).toBe(true);
  });

  it('labels the latest draw, inside the plot, below its dot when the line comes down into it', () => {
    const spec = syntheticSpec(10);
    const l = layout(spec);
    const last = spec.points[9]!;
    expect(l.latest.text.text).toBe(`Latest #109: ${last.crs} · May 13, 2019`);
    const { box } = l.latest;
    expect(inside(box.x, box.y, l) && inside(box.x + box.width, box.y + box.height, l)).toBe(true);
    const dot = l.dots[9]!;
    const comesDown = spec.points[8]!.crs > last.crs;
    expect(box.y > dot.y).toBe(comesDown);
    expect(box.x + box.width).toBeCloseTo(dot.x, 6);
  });

  it('ties the latest label to its dot with a leader when it had to move off', () => {
    let led = 0;
    for (let count = 2; count <= 60; count++) {
      const l = layout(syntheticSpec(count, { highlightEvery: 3, threshold: 470 }));
      const dot = l.dots[count - 1]!;
      const { box, leader } = l.latest;
      const nearX = Math.max(box.x, Math.min(dot.x, box.x + box.width));
      const nearY = Math.max(box.y, Math.min(dot.y, box.y + box.height));
      const apart = Math.hypot(nearX - dot.x, nearY - dot.y);
      if (!leader) {
        expect(apart, `${count} draws`).toBeLessThanOrEqual(8 + dot.radius + 2);
        continue;
      }
      led++;
      // From just outside the dot to the nearest point of the box.
      expect(Math.hypot(leader.x1 - dot.x, leader.y1 - dot.y)).toBeCloseTo(dot.radius + 1, 6);
      expect([leader.x2, leader.y2]).toEqual([nearX, nearY]);
    }
    expect(led).toBeGreaterThan(10);
  });

  it('keeps the latest label inside when the only draw sits at the top', () => {
    const l = layout(syntheticSpec(1));
    const { box } = l.latest;
    expect(box.x).toBeGreaterThanOrEqual(l.plot.x);
    expect(box.y).toBeGreaterThanOrEqual(l.plot.y);
    expect(box.x + box.width).toBeLessThanOrEqual(l.plot.x + l.plot.width);
  });

  it('puts the threshold label on its line, at the left end above it when nothing is there', () => {
    const clear = layout(syntheticSpec(20, { threshold: 300 }));
    expect(clear.threshold!.label.text).toMatchObject({ text: 'Your CRS: 300', color: CHART_COLORS.threshold });
    const box = clear.threshold!.label.box;
    expect(box.y + box.height).toBeLessThanOrEqual(clear.threshold!.y);
    expect(box.y + box.height).toBeGreaterThan(clear.threshold!.y - 5);
    expect(box.x).toBeLessThan(clear.plot.x + 10);
    expect(layout(syntheticSpec(20)).threshold).toBeUndefined();
  });

  it('moves the labels off the draws when they would hide some', () => {
    // Cut-offs wander 400-520, so a threshold at 470 runs through them.
    for (const count of [5, 10, 20, 30]) {
      const l = layout(syntheticSpec(count, { highlightEvery: 3, threshold: 470 }));
      const { box } = l.threshold!.label;
      expect(box.y + box.height <= l.threshold!.y || box.y >= l.threshold!.y).toBe(true);
      expect(Math.min(Math.abs(box.y + box.height - l.threshold!.y), Math.abs(box.y - l.threshold!.y))).toBeLessThanOrEqual(4);
      for (const mark of [l.threshold!.label, l.latest]) {
        const hidden = l.dots.filter(
          (d) =>
            d.x + d.radius > mark.box.x &&
            d.x - d.radius < mark.box.x + mark.box.width &&
            d.y + d.radius > mark.box.y &&
            d.y - d.radius < mark.box.y + mark.box.height,
        );
        expect(hidden.filter((d) => d !== l.dots[count - 1])).toEqual([]);
      }
    }
  });

  it('adds a legend only when some draws are highlighted, and gives it room', () => {
    const plain = layout(syntheticSpec(9));
    const highlighted = layout(syntheticSpec(9, { highlightEvery: 3 }));
    expect(plain.legend).toEqual([]);
    expect(highlighted.legend.map((i) => [i.text.text, i.color])).toEqual([
      ['CRS cut-off per draw', CHART_COLORS.line],
      ['Would have been invited', CHART_COLORS.highlight],
    ]);
    expect(highlighted.legend[1]!.x).toBeGreaterThan(highlighted.legend[0]!.text.x + measure('CRS cut-off per draw', ''));
    expect(highlighted.plot.y).toBeGreaterThan(highlighted.legend[0]!.y + 10);
  });

  it('gives a single draw a sensible range on both axes', () => {
    const l = layout(syntheticSpec(1));
    expect(l.yTicks[l.yTicks.length - 1]!.value - l.yTicks[0]!.value).toBeGreaterThanOrEqual(10);
    expect(l.xTicks.length).toBeGreaterThanOrEqual(2);
    expect(l.dots[0]!.x).toBeCloseTo(l.plot.x + l.plot.width / 2, 0);
  });

  it('titles the chart, names the axes and uses the shipped font, cutting a title too long to fit', () => {
    const l = layout(syntheticSpec(3));
    expect(l.title.text).toBe('Test — 3 draws');
    expect(l.subtitle!.text).toBe('A synthetic period');
    expect([l.axisNames.x.text, l.axisNames.y.text]).toEqual(['Draw date', 'CRS cut-off']);
    expect(l.title.font).toContain(CHART_FONT);
    const long = syntheticSpec(3);
    long.title = 'x'.repeat(200);
    const cut = layout(long).title.text;
    expect(cut.endsWith('…')).toBe(true);
    expect(measure(cut, '')).toBeLessThanOrEqual(760);
  });

  it('keeps a single-lane chart to one line in the cut-off colour', () => {
    const l = layout(syntheticSpec(9, { highlightEvery: 3 }));
    expect(l.series).toHaveLength(1);
    expect(l.series[0]).toEqual({ color: CHART_COLORS.line, dots: l.dots });
    const oneLane = syntheticSpec(9, { highlightEvery: 3 });
    for (const p of oneLane.points) p.lane = 'CEC';
    expect(layout(oneLane)).toEqual(l);
  });

  it('draws two lanes as two lines in their own colours, named in the legend in the given order', () => {
    // PNP near 750 and French near 400, alternating: one line through both would zig-zag.
    const spec = syntheticSpec(10, { threshold: 470 });
    spec.points.forEach((p, i) => {
      p.lane = i % 2 ? 'French' : 'PNP';
      p.crs = i % 2 ? 400 + i : 750 - i;
      p.highlight = i % 2 === 1 && i > 5;
    });
    spec.lanes = ['French', 'PNP'];
    const l = layout(spec);
    const [french, pnp] = CHART_COLORS.lanes;
    expect(l.series.map((s) => s.color)).toEqual([french, pnp]);
    expect(l.series.map((s) => s.dots)).toEqual([l.dots.filter((_, i) => i % 2), l.dots.filter((_, i) => i % 2 === 0)]);
    // No segment of either line jumps between the lanes.
    for (const s of l.series) for (let i = 1; i < s.dots.length; i++) expect(Math.abs(s.dots[i]!.y - s.dots[i - 1]!.y)).toBeLessThan(20);
    expect(l.dots.map((d) => d.fill)).toEqual(
      spec.points.map((p) => (p.highlight ? CHART_COLORS.highlight : p.lane === 'French' ? french : pnp)),
    );
    expect(l.legend.map((i) => [i.text.text, i.color, i.line])).toEqual([
      ['French', french, true],
      ['PNP', pnp, true],
      ['Would have been invited', CHART_COLORS.highlight, false],
    ]);
    expect(l.latest.text.text).toBe('Latest #109 (French): 409 · May 13, 2019');
    expect(l.latest.border).toBe(french);
  });

  it('wraps a long legend onto more lines and moves the plot down to make room', () => {
    const spec = syntheticSpec(30);
    spec.points.forEach((p, i) => {
      p.lane = `Lane number ${i % 15}`;
    });
    const l = layout(spec);
    expect(l.series).toHaveLength(15);
    expect(new Set(l.series.map((s) => s.color)).size).toBe(CHART_COLORS.lanes.length);
    const rows = [...new Set(l.legend.map((i) => i.y))];
    expect(rows.length).toBeGreaterThan(1);
    for (const item of l.legend) expect(item.text.x + measure(item.text.text, '')).toBeLessThanOrEqual(l.width - 20);
    expect(l.plot.y).toBeGreaterThan(rows[rows.length - 1]! + 10);
    expect(l.plot.y).toBeGreaterThan(layout(syntheticSpec(30, { highlightEvery: 3 })).plot.y);
  });

  it('refuses a spec without points', () => {
    expect(() => chartLayout({ title: 'Empty', points: [] }, measure)).toThrow('at least one point');
  });
});
