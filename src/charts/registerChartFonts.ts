import { readFileSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';
import { CHART_FONT, CHART_FONT_FILES } from './chartFont.js';

let registered = false;

/** Registers the chart font with the canvas once per thread; throws if a file can't be loaded. */
export function registerChartFonts(): void {
  if (registered) return;
  for (const file of [CHART_FONT_FILES.regular, CHART_FONT_FILES.bold]) {
    if (!GlobalFonts.register(readFileSync(file), CHART_FONT)) throw new Error(`Could not register the chart font ${file}`);
  }
  registered = true;
}
