import { scaleLinear, scaleUtc } from 'd3-scale';
import { utcMonth, utcYear } from 'd3-time';
import { utcFormat } from 'd3-time-format';
import type { ChartPoint, ChartSpec } from '../core/chartSpec.js';
import { CHART_COLORS } from './chartColors.js';
import { CHART_FONT } from './chartFont.js';

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 450;

/** Width of `text` drawn in `font` (a CSS font string), in pixels: the canvas measures, tests fake it. */
export type MeasureText = (text: string, font: string) => number;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line of text: `x` is where `align` puts it, `y` its middle. */
export interface TextMark {
  text: string;
  font: string;
  color: string;
  x: number;
  y: number;
  align: 'left' | 'center' | 'right';
}

/** Text on a rounded card, e.g. the latest draw's label. */
export interface LabelMark {
  text: TextMark;
  box: Box;
  border?: string;
}

export interface DotMark {
  x: number;
  y: number;
  radius: number;
  fill: string;
  borderWidth: number;
}

export interface LegendMark {
  /** The dot's centre; `line` draws a short stroke through it, as the series does. */
  x: number;
  y: number;
  colour: string;
  line: boolean;
  text: TextMark;
}

/**
 * Everything the chart shows, placed in pixels: what `drawChart` paints. Pure data, so that the
 * decisions (ranges, ticks, what goes where) are tested without a canvas.
 */
export interface ChartLayout {
  width: number;
  height: number;
  title: TextMark;
  subtitle?: TextMark;
  legend: LegendMark[];
  /** The plotting area, inside the axes. */
  plot: Box;
  /** CRS gridlines, bottom up. */
  yTicks: Array<{ value: number; y: number; label: TextMark }>;
  /** Date ticks, left to right; only those whose labels don't collide. */
  xTicks: Array<{ time: number; x: number; label: TextMark }>;
  axisNames: { x: TextMark; y: TextMark };
  /** One per draw, oldest first, in the series' order. */
  dots: DotMark[];
  threshold?: { y: number; label: LabelMark };
  latest: LabelMark;
}

const DAY = 86_400_000;
const font = (size: number, bold = false): string => `${bold ? 'bold ' : ''}${size}px ${CHART_FONT}`;
const FONTS = {
  title: font(18, true),
  longTitle: font(16, true),
  subtitle: font(13),
  legend: font(12),
  tick: font(12),
  tickBold: font(12, true),
  axisName: font(13),
  label: font(13, true),
};
const thousands = new Intl.NumberFormat('en-US');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const formatYear = utcFormat('%Y');
const formatMonth = utcFormat('%b');
const formatDay = utcFormat('%b %-d');

/** "2026-08-07" -> UTC midnight in ms (the axis runs in UTC, whatever the process time zone). */
function utcTime(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** "2026-08-07" -> "Aug 7, 2026" */
function shortDate(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}, ${date.slice(0, 4)}`;
}

/** Dot radius: dots shrink as draws crowd the axis; every draw keeps its dot. */
function dotRadius(count: number): number {
  if (count <= 30) return 4;
  if (count <= 80) return 3;
  return 2;
}

const STEPS = [5, 10, 20, 25, 50, 100, 200, 250, 500];

/**
 * The CRS range shown, on round ticks: every cut-off and the threshold, with room above for the
 * latest draw's label.
 */
function crsRange(spec: ChartSpec): { min: number; max: number; interval: number } {
  let lo = spec.threshold?.value ?? Infinity;
  let hi = spec.threshold?.value ?? -Infinity;
  for (const p of spec.points) {
    if (p.crs < lo) lo = p.crs;
    if (p.crs > hi) hi = p.crs;
  }
  const span = Math.max(hi - lo, 20);
  const interval = STEPS.find((step) => step >= span / 5) ?? 500;
  const min = Math.max(0, Math.floor((lo - span * 0.08) / interval) * interval);
  const max = Math.ceil((hi + span * 0.18) / interval) * interval;
  return { min, max, interval };
}

/** The date range shown: a little air either side, and some days around a single draw. */
function timeRange(points: ChartPoint[]): [number, number] {
  const first = utcTime(points[0]!.date);
  const last = utcTime(points[points.length - 1]!.date);
  const pad = Math.max(7 * DAY, Math.round((last - first) * 0.03));
  return [first - pad, last + pad];
}

/** Years as "2026", months "Feb", other days "Jan 29"; the year boundaries in bold. */
function dateLabel(time: number): { text: string; bold: boolean } {
  const date = new Date(time);
  if (utcMonth(date) < date) return { text: formatDay(date), bold: false };
  if (utcYear(date) < date) return { text: formatMonth(date), bold: false };
  return { text: formatYear(date), bold: true };
}

/** `text` cut with an ellipsis to fit `width`. */
function truncate(text: string, fontName: string, width: number, measure: MeasureText): string {
  if (measure(text, fontName) <= width) return text;
  let end = text.length;
  while (end > 1 && measure(`${text.slice(0, end).trimEnd()}…`, fontName) > width) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Room a label needs above or below its dot, and the gap it keeps from it, in pixels. */
const LABEL_ROOM = 36;
const LABEL_GAP = 8;

const LABEL_HEIGHT = 22;
const LABEL_PAD = 6;

function labelWidth(text: string, measure: MeasureText): number {
  return measure(text, FONTS.label) + 2 * LABEL_PAD;
}

/** A label on a card, its box's top left at (x, y), moved inside `bounds` if it pokes out. */
function card(text: string, color: string, x: number, y: number, bounds: Box, measure: MeasureText, border?: string): LabelMark {
  const width = labelWidth(text, measure);
  const left = Math.max(bounds.x, Math.min(x, bounds.x + bounds.width - width));
  const top = Math.max(bounds.y, Math.min(y, bounds.y + bounds.height - LABEL_HEIGHT));
  return {
    box: { x: left, y: top, width, height: LABEL_HEIGHT },
    text: { text, font: FONTS.label, color, x: left + LABEL_PAD, y: top + LABEL_HEIGHT / 2, align: 'left' },
    border,
  };
}

/**
 * Lays a chart spec out on an 800×450 card: a line of cut-offs per draw (dates on x, CRS on y), a
 * dot per draw, highlighted draws in green with a legend, the threshold as a dashed line and the
 * latest draw labelled. Ticks and date labels come from d3-scale; text widths from `measure`.
 * Throws on a spec without points.
 */
export function chartLayout(spec: ChartSpec, measure: MeasureText): ChartLayout {
  if (spec.points.length === 0) throw new Error('A chart needs at least one point');
  const c = CHART_COLORS;
  const hasHighlight = spec.points.some((p) => p.highlight);
  const headerHeight = spec.subtitle ? 62 : 44;
  const plot: Box = { x: 72, y: headerHeight + (hasHighlight ? 46 : 24), width: 0, height: 0 };
  plot.width = CHART_WIDTH - 36 - plot.x;
  plot.height = CHART_HEIGHT - 58 - plot.y;
  const bottom = plot.y + plot.height;
  const right = plot.x + plot.width;

  const titleFont = spec.title.length > 60 ? FONTS.longTitle : FONTS.title;
  const title: TextMark = { text: truncate(spec.title, titleFont, CHART_WIDTH - 40, measure), font: titleFont, color: c.text, x: 20, y: 26, align: 'left' };
  const subtitle: TextMark | undefined = spec.subtitle
    ? { text: truncate(spec.subtitle, FONTS.subtitle, CHART_WIDTH - 40, measure), font: FONTS.subtitle, color: c.mutedText, x: 20, y: 49, align: 'left' }
    : undefined;

  const legend: LegendMark[] = [];
  if (hasHighlight) {
    let x = 23;
    for (const [text, colour, line] of [['CRS cut-off per draw', c.line, true], ['Would have been invited', c.highlight, false]] as const) {
      const y = headerHeight + 12;
      legend.push({ x, y, colour, line, text: { text, font: FONTS.legend, color: c.text, x: x + 14, y, align: 'left' } });
      x += 14 + measure(text, FONTS.legend) + 24;
    }
  }

  const { min, max, interval } = crsRange(spec);
  const yScale = scaleLinear().domain([min, max]).range([bottom, plot.y]);
  const yTicks: ChartLayout['yTicks'] = [];
  for (let value = min; value <= max; value += interval) {
    const y = yScale(value);
    yTicks.push({ value, y, label: { text: thousands.format(value), font: FONTS.tick, color: c.mutedText, x: plot.x - 8, y, align: 'right' } });
  }

  const xScale = scaleUtc().domain(timeRange(spec.points)).range([plot.x, right]);
  const xTicks: ChartLayout['xTicks'] = [];
  let lastEnd = -Infinity;
  for (const date of xScale.ticks(Math.round(plot.width / 80))) {
    const time = date.getTime();
    const x = xScale(time);
    const { text, bold } = dateLabel(time);
    const tickFont = bold ? FONTS.tickBold : FONTS.tick;
    const half = measure(text, tickFont) / 2;
    if (x - half < lastEnd + 8) continue; // would collide with the label before it
    lastEnd = x + half;
    xTicks.push({ time, x, label: { text, font: tickFont, color: c.mutedText, x, y: bottom + 16, align: 'center' } });
  }

  const axisNames = {
    x: { text: 'Draw date', font: FONTS.axisName, color: c.text, x: plot.x + plot.width / 2, y: bottom + 40, align: 'center' as const },
    y: { text: 'CRS cut-off', font: FONTS.axisName, color: c.text, x: plot.x - 52, y: plot.y + plot.height / 2, align: 'center' as const },
  };

  const radius = dotRadius(spec.points.length);
  const dots: DotMark[] = spec.points.map((p) =>
    p.highlight
      ? { x: xScale(utcTime(p.date)), y: yScale(p.crs), radius: radius + 2, fill: c.highlight, borderWidth: 1.5 }
      : { x: xScale(utcTime(p.date)), y: yScale(p.crs), radius, fill: c.line, borderWidth: 1 },
  );

  // The threshold's label sits on the line's left end, just above it.
  const threshold = spec.threshold
    ? { y: yScale(spec.threshold.value), label: card(spec.threshold.label, c.threshold, plot.x + 4, yScale(spec.threshold.value) - LABEL_HEIGHT - 2, plot, measure) }
    : undefined;

  const last = spec.points[spec.points.length - 1]!;
  const previous = spec.points[spec.points.length - 2];
  const lastDot = dots[dots.length - 1]!;
  // Below the dot where the line comes down into it (the label clears the line), or where there
  // is no room above.
  const roomAbove = lastDot.y - plot.y;
  const roomBelow = bottom - lastDot.y;
  const below = (previous !== undefined && previous.crs > last.crs && roomBelow >= LABEL_ROOM) || roomAbove < LABEL_ROOM;
  // Right-aligned on the dot, so it reads towards it and stays inside on the right.
  const text = `Latest #${last.round}: ${last.crs} · ${shortDate(last.date)}`;
  const top = below ? lastDot.y + LABEL_GAP : lastDot.y - LABEL_GAP - LABEL_HEIGHT;
  const latest = card(text, c.text, lastDot.x - labelWidth(text, measure), top, plot, measure, c.line);

  return { width: CHART_WIDTH, height: CHART_HEIGHT, title, subtitle, legend, plot, yTicks, xTicks, axisNames, dots, threshold, latest };
}
