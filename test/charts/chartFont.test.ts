import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { CHART_FONT, CHART_FONT_FILES } from '../../src/charts/chartFont.js';
import { registerChartFonts } from '../../src/charts/registerChartFonts.js';

describe('chart font', () => {
  it('comes from npm (@fontsource/noto-sans), not the system', () => {
    for (const file of Object.values(CHART_FONT_FILES)) {
      expect(file).toMatch(/node_modules\/@fontsource\/noto-sans\/files\/.+\.woff2$/);
      expect(existsSync(file)).toBe(true);
    }
  });

  it('is registered once under its own name, regular and bold, and text is measured with it', () => {
    registerChartFonts();
    registerChartFonts();
    const families = GlobalFonts.families.filter((f) => f.family === CHART_FONT);
    expect(families).toHaveLength(1);
    expect(families[0]!.styles.map((s) => s.weight).sort()).toEqual([400, 700]);
    const ctx = createCanvas(10, 10).getContext('2d');
    const width = (font: string) => {
      ctx.font = font;
      return ctx.measureText('Healthcare — CRS 470, Aug 7, 2026').width;
    };
    expect(width(`bold 16px ${CHART_FONT}`)).toBeGreaterThan(width(`16px ${CHART_FONT}`));
    // Where the system has DejaVu Sans (wider), it must not be what the chart font resolves to.
    if (GlobalFonts.has('DejaVu Sans')) expect(width(`16px ${CHART_FONT}`)).toBeLessThan(width('16px DejaVu Sans') - 10);
  });
});
