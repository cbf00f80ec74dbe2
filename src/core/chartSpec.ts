/**
 * What a chart shows, free of any renderer: a command fills it, `renderChart` (src/charts) draws it.
 * Pure data, so that it can be tested, logged and sent anywhere.
 */
export interface ChartSpec {
  /** E.g. "Healthcare — CRS cut-offs, last 10 draws". */
  title: string;
  /** E.g. the period, "Jan 8, 2025 – Aug 7, 2026". */
  subtitle?: string;
  /** One per draw, oldest first. */
  points: ChartPoint[];
  /**
   * The lanes' names in legend order, when points carry a `lane`; a lane missing here follows in
   * the order it first appears.
   */
  lanes?: string[];
  /** A horizontal line, e.g. the user's own score. */
  threshold?: { value: number; label: string };
}

export interface ChartPoint {
  /** YYYY-MM-DD */
  date: string;
  /** The draw's CRS cut-off. */
  crs: number;
  /** Round number as IRCC writes it, e.g. "434", "91a". */
  round: string;
  /** Marked out, e.g. a draw the user's score would have made. */
  highlight?: boolean;
  /**
   * The kind of draw it belongs to, e.g. "CEC" or "French": with two lanes or more, each is drawn
   * as its own line in its own colour, so draws few can enter are not joined to the others.
   */
  lane?: string;
}
