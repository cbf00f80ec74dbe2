import { type ScaleTime, scaleLinear, scaleUtc } from 'd3-scale';
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
  /** A thin line from the labelled dot's edge to the box, when the box had to go further off. */
  leader?: { x1: number; y1: number; x2: number; y2: number };
}

export interface DotMark {
  /** The centre, on whole pixels. */
  x: number;
  y: number;
  radius: number;
  fill: string;
  borderWidth: number;
}

/** One line of cut-offs: every draw, or one lane's draws when the chart has several. */
export interface SeriesMark {
  color: string;
  /** Its dots, oldest first: the same objects as in `ChartLayout.dots`. */
  dots: DotMark[];
}

export interface LegendMark {
  /** The dot's centre; `line` draws a short stroke through it, as the series does. */
  x: number;
  y: number;
  color: string;
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
  /** One per draw, oldest first, in the spec's order. */
  dots: DotMark[];
  /** The lines through the dots: one, or one per lane, in the legend's order. */
  series: SeriesMark[];
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

/** A label on a card `width` wide, its box's top left at (x, y), moved inside `bounds` if it pokes out. */
function card(text: string, color: string, width: number, x: number, y: number, bounds: Box, border?: string): LabelMark {
  const left = Math.max(bounds.x, Math.min(x, bounds.x + bounds.width - width));
  const top = Math.max(bounds.y, Math.min(y, bounds.y + bounds.height - LABEL_HEIGHT));
  return {
    box: { x: left, y: top, width, height: LABEL_HEIGHT },
    text: { text, font: FONTS.label, color, x: left + LABEL_PAD, y: top + LABEL_HEIGHT / 2, align: 'left' },
    border,
  };
}

function header(spec: ChartSpec, measure: MeasureText): { title: TextMark; subtitle?: TextMark } {
  const c = CHART_COLORS;
  const titleFont = spec.title.length > 60 ? FONTS.longTitle : FONTS.title;
  const title: TextMark = {
    text: truncate(spec.title, titleFont, CHART_WIDTH - 40, measure),
    font: titleFont,
    color: c.text,
    x: 20,
    y: 26,
    align: 'left',
  };
  if (!spec.subtitle) return { title };
  return {
    title,
    subtitle: {
      text: truncate(spec.subtitle, FONTS.subtitle, CHART_WIDTH - 40, measure),
      font: FONTS.subtitle,
      color: c.mutedText,
      x: 20,
      y: 49,
      align: 'left',
    },
  };
}

/** Height of a line of the legend when it needs more than one. */
const LEGEND_ROW = 18;

/** Legend entries side by side from `y`, wrapping onto further lines when they run out of width. */
function legendMarks(entries: Array<[text: string, color: string, line: boolean]>, y: number, measure: MeasureText): LegendMark[] {
  const c = CHART_COLORS;
  const marks: LegendMark[] = [];
  let x = 23;
  for (const [text, color, line] of entries) {
    const width = 14 + measure(text, FONTS.legend);
    if (x > 23 && x + width > CHART_WIDTH - 20) {
      x = 23;
      y += LEGEND_ROW;
    }
    marks.push({ x, y, color, line, text: { text, font: FONTS.legend, color: c.text, x: x + 14, y, align: 'left' } });
    x += width + 24;
  }
  return marks;
}

/** A lane's draws, by lane name, in legend order: the spec's `lanes`, then lanes in order of appearance. */
function laneOrder(spec: ChartSpec): string[] {
  const seen = new Set<string>();
  for (const p of spec.points) seen.add(p.lane ?? '');
  const order = (spec.lanes ?? []).filter((lane) => seen.has(lane));
  for (const lane of seen) if (!order.includes(lane)) order.push(lane);
  return order;
}

/** Date ticks from d3, dropping any whose label would run into the one before it. */
function dateTicks(xScale: ScaleTime<number, number>, plot: Box, measure: MeasureText): ChartLayout['xTicks'] {
  const ticks: ChartLayout['xTicks'] = [];
  let lastEnd = -Infinity;
  for (const date of xScale.ticks(Math.round(plot.width / 80))) {
    const time = date.getTime();
    const x = xScale(time);
    const { text, bold } = dateLabel(time);
    const font = bold ? FONTS.tickBold : FONTS.tick;
    const half = measure(text, font) / 2;
    if (x - half < lastEnd + 8) continue;
    lastEnd = x + half;
    ticks.push({ time, x, label: { text, font, color: CHART_COLORS.mutedText, x, y: plot.y + plot.height + 16, align: 'center' } });
  }
  return ticks;
}

/** The parameter range of the segment still inside the box while `segmentCrosses` clips it. */
let clipFrom = 0;
let clipTo = 1;

/** Clips against one edge (Liang–Barsky); false once nothing is left. */
function clipEdge(p: number, q: number): boolean {
  if (p === 0) return q >= 0;
  const t = q / p;
  if (p < 0) clipFrom = Math.max(clipFrom, t);
  else clipTo = Math.min(clipTo, t);
  return clipFrom <= clipTo;
}

/** Whether segment (a, b) crosses the box. Hot (labels x draws): no closures, no arrays. */
function segmentCrosses(a: DotMark, b: DotMark, box: Box): boolean {
  const right = box.x + box.width;
  const bottom = box.y + box.height;
  // Most segments lie wholly to one side: settle those without clipping.
  if (Math.max(a.x, b.x) < box.x || Math.min(a.x, b.x) > right || Math.max(a.y, b.y) < box.y || Math.min(a.y, b.y) > bottom) return false;
  clipFrom = 0;
  clipTo = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  return clipEdge(-dx, a.x - box.x) && clipEdge(dx, right - a.x) && clipEdge(-dy, a.y - box.y) && clipEdge(dy, bottom - a.y);
}

/** How much of the data a label at `box` would hide: dots weigh more than bits of the line. */
function coverage(box: Box, series: SeriesMark[], skip?: DotMark): number {
  let score = 0;
  for (const { dots } of series) {
    for (let i = 0; i < dots.length; i++) {
      const d = dots[i]!;
      const dx = d.x - Math.max(box.x, Math.min(d.x, box.x + box.width));
      const dy = d.y - Math.max(box.y, Math.min(d.y, box.y + box.height));
      if (d !== skip && dx * dx + dy * dy <= (d.radius + 1) * (d.radius + 1)) score += 10;
      if (i > 0 && segmentCrosses(dots[i - 1]!, d, box)) score += 1;
    }
  }
  return score;
}

/** The first of `places` (top-left corners) that hides the least of the data, as a card. */
function leastInTheWay(
  text: string,
  color: string,
  places: Array<[number, number]>,
  series: SeriesMark[],
  plot: Box,
  measure: MeasureText,
  border?: string,
  skip?: DotMark,
): LabelMark {
  let best: { mark: LabelMark; score: number } | undefined;
  const width = labelWidth(text, measure);
  for (const [x, y] of places) {
    const mark = card(text, color, width, x, y, plot, border);
    const score = coverage(mark.box, series, skip);
    if (!best || score < best.score) best = { mark, score };
    if (score === 0) break;
  }
  return best!.mark;
}

/**
 * The latest draw's label, beside its dot and reading towards it: by preference above it, right-
 * aligned (below where the line comes down into the dot, or where there is no room above), else
 * wherever it hides fewest draws.
 */
function latestLabel(points: ChartPoint[], dots: DotMark[], series: SeriesMark[], plot: Box, measure: MeasureText): LabelMark {
  const dot = dots[dots.length - 1]!;
  const last = points[points.length - 1]!;
  const line = series.find((s) => s.dots.includes(dot))!;
  // With lanes, the line that comes into the dot is its own lane's.
  const previous = series.length > 1 ? points[dots.indexOf(line.dots[line.dots.length - 2]!)] : points[points.length - 2];
  const lane = series.length > 1 && last.lane ? ` (${last.lane})` : '';
  const text = `Latest #${last.round}${lane}: ${last.crs} · ${shortDate(last.date)}`;
  const width = labelWidth(text, measure);
  const above: [number, number] = [dot.x - width, dot.y - LABEL_GAP - LABEL_HEIGHT];
  const below: [number, number] = [dot.x - width, dot.y + LABEL_GAP];
  const roomAbove = dot.y - plot.y;
  const roomBelow = plot.y + plot.height - dot.y;
  const preferBelow = (previous !== undefined && previous.crs > last.crs && roomBelow >= LABEL_ROOM) || roomAbove < LABEL_ROOM;
  const left: [number, number] = [dot.x - LABEL_GAP - dot.radius - width, dot.y - LABEL_HEIGHT / 2];
  const places = preferBelow ? [below, above, left] : [above, below, left];
  // Further up and down, still right-aligned on the dot.
  for (const step of [1, 2, 3]) places.push([above[0], above[1] - step * LABEL_HEIGHT], [below[0], below[1] + step * LABEL_HEIGHT]);
  const mark = leastInTheWay(text, CHART_COLORS.text, places, series, plot, measure, line.color, dot);
  // Moved away from its dot to keep other draws visible: say which dot it is about.
  const { box } = mark;
  const [nearX, nearY] = [Math.max(box.x, Math.min(dot.x, box.x + box.width)), Math.max(box.y, Math.min(dot.y, box.y + box.height))];
  const distance = Math.hypot(nearX - dot.x, nearY - dot.y);
  if (distance > LABEL_GAP + dot.radius + 2) {
    const along = (dot.radius + 1) / distance;
    mark.leader = { x1: dot.x + (nearX - dot.x) * along, y1: dot.y + (nearY - dot.y) * along, x2: nearX, y2: nearY };
  }
  return mark;
}

/** The threshold's label, just above or below its line: at the left end unless that hides draws. */
function thresholdLabel(label: string, y: number, series: SeriesMark[], plot: Box, measure: MeasureText): LabelMark {
  const places: Array<[number, number]> = [];
  for (let x = plot.x + 4; x < plot.x + plot.width; x += 24) places.push([x, y - LABEL_HEIGHT - 2], [x, y + 3]);
  return leastInTheWay(label, CHART_COLORS.threshold, places, series, plot, measure);
}

/**
 * Lays a chart spec out on an 800×450 card: a line of cut-offs per draw (dates on x, CRS on y), a
 * dot per draw, highlighted draws in green with a legend, the threshold as a dashed line and the
 * latest draw labelled. Points of two lanes or more make a line and a colour per lane, named in the
 * legend. Ticks and date labels come from d3-scale; text widths from `measure`.
 * Throws on a spec without points.
 */
export function chartLayout(spec: ChartSpec, measure: MeasureText): ChartLayout {
  if (spec.points.length === 0) throw new Error('A chart needs at least one point');
  const c = CHART_COLORS;
  const hasHighlight = spec.points.some((p) => p.highlight);
  const lanes = laneOrder(spec);
  const laneColors = new Map(lanes.map((lane, i) => [lane, c.lanes[i % c.lanes.length]!]));
  const entries: Array<[string, string, boolean]> =
    lanes.length > 1 ? lanes.map((lane) => [lane || 'Other draws', laneColors.get(lane)!, true]) : [['CRS cut-off per draw', c.line, true]];
  if (hasHighlight) entries.push(['Would have been invited', c.highlight, false]);
  const headerHeight = spec.subtitle ? 62 : 44;
  const legend = hasHighlight || lanes.length > 1 ? legendMarks(entries, headerHeight + 12, measure) : [];
  const top = legend.length ? legend[legend.length - 1]!.y + 34 : headerHeight + 24;
  const plot: Box = { x: 72, y: top, width: CHART_WIDTH - 36 - 72, height: CHART_HEIGHT - 58 - top };
  const bottom = plot.y + plot.height;

  const { min, max, interval } = crsRange(spec);
  const yScale = scaleLinear().domain([min, max]).range([bottom, plot.y]);
  const yTicks: ChartLayout['yTicks'] = [];
  for (let value = min; value <= max; value += interval) {
    const y = yScale(value);
    yTicks.push({
      value,
      y,
      label: { text: thousands.format(value), font: FONTS.tick, color: c.mutedText, x: plot.x - 8, y, align: 'right' },
    });
  }
  const xScale = scaleUtc()
    .domain(timeRange(spec.points))
    .range([plot.x, plot.x + plot.width]);

  // Dots sit on whole pixels: each is then stamped from one prepared image, crisp and identical.
  const radius = dotRadius(spec.points.length);
  const series: SeriesMark[] =
    lanes.length > 1 ? lanes.map((lane) => ({ color: laneColors.get(lane)!, dots: [] })) : [{ color: c.line, dots: [] }];
  const seriesOf = new Map(lanes.map((lane, i) => [lane, series[lanes.length > 1 ? i : 0]!]));
  const dots: DotMark[] = spec.points.map((p) => {
    const [x, y] = [Math.round(xScale(utcTime(p.date))), Math.round(yScale(p.crs))];
    const line = seriesOf.get(p.lane ?? '')!;
    const dot = p.highlight
      ? { x, y, radius: radius + 2, fill: c.highlight, borderWidth: 1.5 }
      : { x, y, radius, fill: line.color, borderWidth: 1 };
    line.dots.push(dot);
    return dot;
  });

  const threshold = spec.threshold
    ? { y: yScale(spec.threshold.value), label: thresholdLabel(spec.threshold.label, yScale(spec.threshold.value), series, plot, measure) }
    : undefined;

  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    ...header(spec, measure),
    legend,
    plot,
    yTicks,
    xTicks: dateTicks(xScale, plot, measure),
    axisNames: {
      x: { text: 'Draw date', font: FONTS.axisName, color: c.text, x: plot.x + plot.width / 2, y: bottom + 40, align: 'center' },
      y: { text: 'CRS cut-off', font: FONTS.axisName, color: c.text, x: plot.x - 52, y: plot.y + plot.height / 2, align: 'center' },
    },
    dots,
    series,
    threshold,
    latest: latestLabel(spec.points, dots, series, plot, measure),
  };
}
