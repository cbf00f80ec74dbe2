import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { ChartSpec } from '../core/chartSpec.js';
import { CHART_COLORS } from './chartColors.js';
import { CHART_HEIGHT, CHART_WIDTH, type ChartLayout, chartLayout, type DotMark, type LabelMark, type TextMark } from './chartLayout.js';
import { registerChartFonts } from './registerChartFonts.js';

export interface DrawnChart {
  width: number;
  height: number;
  /**
   * A copy of the drawing, RGBA, 8 bits a channel. Skia's pixels are premultiplied, but the chart's
   * background fills the canvas, so every pixel is opaque and premultiplied equals straight alpha.
   */
  pixels: Buffer;
  /** What was drawn, where. */
  layout: ChartLayout;
}

/** One canvas per thread, reused by every drawing: drawing is synchronous, so none interleave. */
let surface: { canvas: Canvas; ctx: SKRSContext2D } | undefined;

function chartSurface(): { canvas: Canvas; ctx: SKRSContext2D } {
  if (!surface) {
    registerChartFonts();
    const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
    surface = { canvas, ctx: canvas.getContext('2d') };
  }
  return surface;
}

/** Text widths already measured: tick labels, legends and titles come back chart after chart. */
const widths = new Map<string, number>();

function measure(ctx: SKRSContext2D, value: string, font: string): number {
  const key = `${font}|${value}`;
  let width = widths.get(key);
  if (width === undefined) {
    if (widths.size >= 5_000) widths.clear();
    ctx.font = font;
    width = ctx.measureText(value).width;
    widths.set(key, width);
  }
  return width;
}

function text(ctx: SKRSContext2D, mark: TextMark): void {
  ctx.font = mark.font;
  ctx.fillStyle = mark.color;
  ctx.textAlign = mark.align;
  ctx.fillText(mark.text, mark.x, mark.y);
}

function label(ctx: SKRSContext2D, mark: LabelMark): void {
  if (mark.leader) {
    // Grey and dotted: it must not read as part of the cut-off line.
    ctx.strokeStyle = CHART_COLORS.mutedText;
    ctx.lineWidth = 1;
    ctx.setLineDash([2, 2]);
    ctx.beginPath();
    ctx.moveTo(mark.leader.x1, mark.leader.y1);
    ctx.lineTo(mark.leader.x2, mark.leader.y2);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const { x, y, width, height } = mark.box;
  ctx.beginPath();
  ctx.roundRect(x + 0.5, y + 0.5, width, height, 4);
  ctx.fillStyle = CHART_COLORS.card;
  ctx.fill();
  if (mark.border) {
    ctx.strokeStyle = mark.border;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  text(ctx, mark.text);
}

/** Each kind of dot drawn once per thread and stamped: 435 dots take ~1 ms so, ~7 ms as paths. */
const dotImages = new Map<string, Canvas>();

/** A dot with its card-coloured rim, centred on a pixel corner of an even-sized image. */
function dotImage(dot: DotMark): Canvas {
  const key = `${dot.radius}|${dot.fill}|${dot.borderWidth}`;
  let image = dotImages.get(key);
  if (!image) {
    const size = 2 * Math.ceil(dot.radius + dot.borderWidth) + 2;
    image = createCanvas(size, size);
    const g = image.getContext('2d');
    g.beginPath();
    g.arc(size / 2, size / 2, dot.radius, 0, 2 * Math.PI);
    g.fillStyle = dot.fill;
    g.fill();
    g.strokeStyle = CHART_COLORS.card;
    g.lineWidth = dot.borderWidth;
    g.stroke();
    dotImages.set(key, image);
  }
  return image;
}

/** A 1 px line on the pixel grid: crisp rather than smeared over two rows. */
const crisp = (v: number): number => Math.round(v) + 0.5;

function paintHeader(ctx: SKRSContext2D, layout: ChartLayout): void {
  text(ctx, layout.title);
  if (layout.subtitle) text(ctx, layout.subtitle);
  for (const item of layout.legend) {
    if (item.line) {
      ctx.strokeStyle = item.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(item.x - 9, item.y);
      ctx.lineTo(item.x + 9, item.y);
      ctx.stroke();
    }
    ctx.fillStyle = item.color;
    ctx.beginPath();
    ctx.arc(item.x, item.y, 4, 0, 2 * Math.PI);
    ctx.fill();
    text(ctx, item.text);
  }
}

function paintAxes(ctx: SKRSContext2D, layout: ChartLayout): void {
  const { plot } = layout;
  const bottom = crisp(plot.y + plot.height);
  ctx.lineWidth = 1;
  ctx.strokeStyle = CHART_COLORS.grid;
  ctx.beginPath();
  for (const tick of layout.yTicks.slice(1)) {
    // The lowest sits on the x axis.
    ctx.moveTo(plot.x, crisp(tick.y));
    ctx.lineTo(plot.x + plot.width, crisp(tick.y));
  }
  ctx.stroke();
  ctx.strokeStyle = CHART_COLORS.axis;
  ctx.beginPath();
  ctx.moveTo(crisp(plot.x), plot.y);
  ctx.lineTo(crisp(plot.x), bottom);
  ctx.lineTo(plot.x + plot.width, bottom);
  for (const tick of layout.xTicks) {
    ctx.moveTo(crisp(tick.x), bottom);
    ctx.lineTo(crisp(tick.x), bottom + 5);
  }
  ctx.stroke();
  for (const tick of layout.yTicks) text(ctx, tick.label);
  for (const tick of layout.xTicks) text(ctx, tick.label);
  text(ctx, layout.axisNames.x);
  ctx.save();
  ctx.translate(layout.axisNames.y.x, layout.axisNames.y.y);
  ctx.rotate(-Math.PI / 2);
  text(ctx, { ...layout.axisNames.y, x: 0, y: 0 });
  ctx.restore();
}

function paintSeries(ctx: SKRSContext2D, layout: ChartLayout): void {
  const { plot } = layout;
  ctx.lineWidth = 2;
  for (const series of layout.series) {
    ctx.strokeStyle = series.color;
    ctx.beginPath();
    for (const dot of series.dots) ctx.lineTo(dot.x, dot.y);
    ctx.stroke();
  }
  if (layout.threshold) {
    const y = Math.round(layout.threshold.y);
    ctx.strokeStyle = CHART_COLORS.threshold;
    ctx.setLineDash([8, 5]);
    ctx.beginPath();
    ctx.moveTo(plot.x, y);
    ctx.lineTo(plot.x + plot.width, y);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  for (const dot of layout.dots) {
    const image = dotImage(dot);
    ctx.drawImage(image, dot.x - image.width / 2, dot.y - image.height / 2);
  }
  // Labels last, to be read; the layout placed them where they hide the fewest draws.
  if (layout.threshold) label(ctx, layout.threshold.label);
  label(ctx, layout.latest);
}

function paint(ctx: SKRSContext2D, layout: ChartLayout): void {
  ctx.setLineDash([]);
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.fillStyle = CHART_COLORS.card;
  ctx.fillRect(0, 0, layout.width, layout.height);
  paintHeader(ctx, layout);
  paintAxes(ctx, layout);
  paintSeries(ctx, layout);
  ctx.strokeStyle = CHART_COLORS.border;
  ctx.lineWidth = 2;
  ctx.strokeRect(1, 1, layout.width - 2, layout.height - 2);
}

/**
 * Lays a spec out (`chartLayout`), paints it on the process's @napi-rs/canvas canvas (800×450)
 * and returns a copy of the pixels with the layout. Synchronous, so concurrent drawings can't
 * interleave.
 */
export function drawChart(spec: ChartSpec): DrawnChart {
  const { canvas, ctx } = chartSurface();
  const layout = chartLayout(spec, (value, font) => measure(ctx, value, font));
  paint(ctx, layout);
  return { width: CHART_WIDTH, height: CHART_HEIGHT, pixels: canvas.data(), layout };
}
