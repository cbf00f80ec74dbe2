import { describe, expect, it } from 'vitest';
import type { LineSeriesOption, YAXisComponentOption } from 'echarts';
import { CHART_COLORS } from '../../src/charts/chartColors.js';
import { CHART_FONT } from '../../src/charts/chartFont.js';
import { chartOption } from '../../src/charts/chartOption.js';
import { syntheticSpec } from './syntheticSpec.js';

type Item = { value: [number, number]; name: string; itemStyle: { color: string }; label?: { show: boolean; formatter: string; position: string } };

function parts(spec: ReturnType<typeof syntheticSpec>) {
  const option = chartOption(spec);
  const series = option.series as LineSeriesOption[];
  return { option, series, items: series[0]!.data as Item[], yAxis: option.yAxis as YAXisComponentOption & { min: number; max: number; interval: number } };
}

describe('chartOption', () => {
  it('has one item per draw, oldest first, at UTC dates, every dot shown', () => {
    const spec = syntheticSpec(200);
    const { series, items } = parts(spec);
    expect(items).toHaveLength(200);
    expect(items.map((i) => i.value[1])).toEqual(spec.points.map((p) => p.crs));
    expect(items[0]!.value[0]).toBe(Date.UTC(2019, 0, 7));
    expect(items.every((item, i) => i === 0 || item.value[0] > items[i - 1]!.value[0])).toBe(true);
    expect(series[0]).toMatchObject({ type: 'line', showSymbol: true, showAllSymbol: true });
  });

  it('labels the latest draw only', () => {
    const spec = syntheticSpec(10);
    const { items } = parts(spec);
    const labelled = items.filter((i) => i.label?.show);
    expect(labelled).toHaveLength(1);
    expect(labelled[0]).toBe(items[9]);
    expect(labelled[0]!.label!.formatter).toBe(`Latest #109: ${spec.points[9]!.crs} · May 13, 2019`);
  });

  it('colours highlighted draws and adds a legend for them', () => {
    const { option, series, items } = parts(syntheticSpec(9, { highlightEvery: 3 }));
    expect(items.map((i) => i.itemStyle.color === CHART_COLORS.highlight)).toEqual([true, false, false, true, false, false, true, false, false]);
    expect(series).toHaveLength(2);
    expect(series[1]!.data).toEqual([]);
    expect(option.legend).toBeDefined();
    expect(parts(syntheticSpec(9)).option.legend).toBeUndefined();
  });

  it('draws the threshold as a labelled line and keeps it and every cut-off in view, on round ticks', () => {
    const spec = syntheticSpec(20, { threshold: 300 });
    const { series, yAxis } = parts(spec);
    expect(series[0]!.markLine).toMatchObject({ data: [{ yAxis: 300 }], label: { formatter: 'Your CRS: 300' } });
    const values = [300, ...spec.points.map((p) => p.crs)];
    expect(yAxis.min).toBeLessThan(Math.min(...values));
    expect(yAxis.max).toBeGreaterThan(Math.max(...values));
    expect(yAxis.min % yAxis.interval).toBe(0);
    expect(yAxis.max % yAxis.interval).toBe(0);
    expect((yAxis.max - yAxis.min) / yAxis.interval).toBeLessThanOrEqual(12);
  });

  it('gives a single draw a sensible range on both axes', () => {
    const { option, yAxis } = parts(syntheticSpec(1));
    const xAxis = option.xAxis as { min: number; max: number };
    expect(xAxis.max - xAxis.min).toBeGreaterThanOrEqual(14 * 86_400_000);
    expect(yAxis.max - yAxis.min).toBeGreaterThanOrEqual(10);
  });

  it('names the axes, titles the chart and uses the shipped font', () => {
    const { option } = parts(syntheticSpec(3));
    expect(option.title).toMatchObject({ text: 'Test — 3 draws', subtext: 'A synthetic period' });
    expect(option.xAxis).toMatchObject({ type: 'time', name: 'Draw date' });
    expect(option.yAxis).toMatchObject({ type: 'value', name: 'CRS cut-off' });
    expect(option.textStyle).toMatchObject({ fontFamily: CHART_FONT });
    expect(option).toMatchObject({ animation: false, useUTC: true, backgroundColor: CHART_COLORS.card });
  });

  it('refuses a spec without points', () => {
    expect(() => chartOption({ title: 'Empty', points: [] })).toThrow('at least one point');
  });
});
