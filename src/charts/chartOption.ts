import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { ChartPoint, ChartSpec } from '../core/chartSpec.js';
import { CHART_FONT } from './chartFont.js';
import { CHART_COLORS } from './chartColors.js';

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 450;

const DAY = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-08-07" -> UTC midnight in ms (the axis runs in UTC, whatever the process time zone). */
function utcTime(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** "2026-08-07" -> "Aug 7, 2026" */
function shortDate(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}, ${date.slice(0, 4)}`;
}

/** Dots shrink as draws crowd the axis; every draw keeps its dot. */
function symbolSize(count: number): number {
  if (count <= 30) return 8;
  if (count <= 80) return 6;
  return 4;
}

const STEPS = [5, 10, 20, 25, 50, 100, 200, 250, 500];

/**
 * The CRS range shown, on round ticks: every cut-off and the threshold, with room above for the
 * latest draw's label.
 */
function crsRange(spec: ChartSpec): { min: number; max: number; interval: number } {
  const values = spec.points.map((p) => p.crs);
  if (spec.threshold) values.push(spec.threshold.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = Math.max(hi - lo, 20);
  const interval = STEPS.find((step) => step >= span / 5) ?? 500;
  const min = Math.max(0, Math.floor((lo - span * 0.08) / interval) * interval);
  const max = Math.ceil((hi + span * 0.18) / interval) * interval;
  return { min, max, interval };
}

/** The date range shown: a little air either side, and some days around a single draw. */
function timeRange(points: ChartPoint[]): { min: number; max: number } {
  const first = utcTime(points[0]!.date);
  const last = utcTime(points[points.length - 1]!.date);
  const pad = Math.max(7 * DAY, Math.round((last - first) * 0.03));
  return { min: first - pad, max: last + pad };
}

/** Room a label needs above or below its dot, in pixels. */
const LABEL_ROOM = 36;

/**
 * Whether the latest draw's label (right-aligned on its dot, so it extends left) goes below the
 * dot: where the line comes down into the dot, so the label sits clear of it, or where there is no
 * room above.
 */
function latestLabelBelow(points: ChartPoint[], pxPerCrs: number, min: number, max: number): boolean {
  const last = points[points.length - 1]!;
  const previous = points[points.length - 2];
  const roomAbove = (max - last.crs) * pxPerCrs;
  const roomBelow = (last.crs - min) * pxPerCrs;
  if (previous && previous.crs > last.crs && roomBelow >= LABEL_ROOM) return true;
  return roomAbove < LABEL_ROOM;
}

/**
 * The ECharts option for a chart spec: a line of cut-offs per draw (dates on x, CRS on y), a dot
 * per draw, the latest draw labelled, highlighted draws in green and the threshold as a dashed
 * line. Pure; `drawChart` renders it. Throws on a spec without points.
 */
export function chartOption(spec: ChartSpec): EChartsOption {
  if (spec.points.length === 0) throw new Error('A chart needs at least one point');
  const c = CHART_COLORS;
  const { min, max, interval } = crsRange(spec);
  const last = spec.points.length - 1;
  const size = symbolSize(spec.points.length);
  const hasHighlight = spec.points.some((p) => p.highlight);
  const headerHeight = spec.subtitle ? 62 : 44;
  const grid = { left: 72, right: 36, top: headerHeight + (hasHighlight ? 46 : 24), bottom: 58 };
  const labelBelow = latestLabelBelow(spec.points, (CHART_HEIGHT - grid.top - grid.bottom) / (max - min), min, max);
  const data: NonNullable<LineSeriesOption['data']> = spec.points.map((p, i) => ({
    name: `#${p.round}`,
    value: [utcTime(p.date), p.crs],
    symbolSize: p.highlight ? size + 4 : size,
    itemStyle: p.highlight ? { color: c.highlight, borderColor: c.card, borderWidth: 1.5 } : { color: c.line, borderColor: c.card, borderWidth: 1 },
    label:
      i === last
        ? {
            show: true,
            position: labelBelow ? 'bottom' : 'top',
            align: 'right',
            distance: 8,
            formatter: `Latest #${p.round}: ${p.crs} · ${shortDate(p.date)}`,
            color: c.text,
            fontWeight: 'bold',
            fontSize: 13,
            backgroundColor: c.card,
            borderColor: c.line,
            borderWidth: 1,
            borderRadius: 4,
            padding: [3, 6],
          }
        : undefined,
  }));
  const series: LineSeriesOption[] = [
    {
      type: 'line',
      name: 'CRS cut-off per draw',
      data,
      showSymbol: true,
      showAllSymbol: true,
      symbol: 'circle',
      lineStyle: { color: c.line, width: 2 },
      itemStyle: { color: c.line },
      emphasis: { disabled: true },
      z: 3,
      markLine: spec.threshold
        ? {
            silent: true,
            symbol: 'none',
            animation: false,
            lineStyle: { color: c.threshold, type: 'dashed', width: 2 },
            label: {
              position: 'insideStartTop',
              formatter: spec.threshold.label,
              color: c.threshold,
              fontWeight: 'bold',
              fontSize: 13,
              backgroundColor: c.card,
              padding: [2, 4],
              borderRadius: 3,
            },
            data: [{ yAxis: spec.threshold.value }],
          }
        : undefined,
    },
  ];
  // Legend-only entry (no data) naming the green dots.
  if (hasHighlight) series.push({ type: 'line', name: 'Would have been invited', data: [], symbol: 'circle', itemStyle: { color: c.highlight }, lineStyle: { opacity: 0 } });
  const axisText = { color: c.mutedText, fontFamily: CHART_FONT, fontSize: 12 };
  const x = timeRange(spec.points);
  return {
    animation: false,
    useUTC: true,
    backgroundColor: c.card,
    textStyle: { fontFamily: CHART_FONT, color: c.text },
    title: {
      text: spec.title,
      subtext: spec.subtitle,
      left: 20,
      top: 14,
      textStyle: { fontFamily: CHART_FONT, fontSize: spec.title.length > 60 ? 16 : 18, fontWeight: 'bold', color: c.text, width: CHART_WIDTH - 40, overflow: 'truncate' },
      subtextStyle: { fontFamily: CHART_FONT, fontSize: 13, color: c.mutedText, width: CHART_WIDTH - 40, overflow: 'truncate' },
      itemGap: 6,
    },
    // The legend has a line of its own under the titles, so a long title can't run into it.
    legend: hasHighlight
      ? {
          top: headerHeight - 4,
          left: 14,
          itemWidth: 18,
          itemHeight: 10,
          textStyle: { fontFamily: CHART_FONT, fontSize: 12, color: c.text },
          data: ['CRS cut-off per draw', 'Would have been invited'],
        }
      : undefined,
    // The margins above are fixed: skip ECharts 6's label-fitting pass (~15% of a drawing).
    grid: { ...grid, outerBoundsMode: 'none' },
    xAxis: {
      type: 'time',
      min: x.min,
      max: x.max,
      name: 'Draw date',
      nameLocation: 'middle',
      nameGap: 32,
      nameTextStyle: { ...axisText, color: c.text, fontSize: 13 },
      axisLine: { lineStyle: { color: c.axis } },
      axisTick: { lineStyle: { color: c.axis } },
      // Days as "Jan 29" rather than a bare "29" (short periods); months "Feb"; years "2026".
      axisLabel: { ...axisText, hideOverlap: true, formatter: { year: '{yyyy}', month: '{MMM}', day: '{MMM} {d}' } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min,
      max,
      interval,
      name: 'CRS cut-off',
      nameLocation: 'middle',
      nameGap: 48,
      nameTextStyle: { ...axisText, color: c.text, fontSize: 13 },
      axisLine: { show: true, lineStyle: { color: c.axis } },
      axisLabel: axisText,
      splitLine: { lineStyle: { color: c.grid } },
    },
    series,
  };
}
