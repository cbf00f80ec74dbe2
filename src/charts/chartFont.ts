import { createRequire } from 'node:module';

/**
 * The chart's font family: Noto Sans (SIL OFL), shipped through npm by @fontsource/noto-sans and
 * registered under this name, so no system font is assumed and a system "Noto Sans" can't stand in.
 */
export const CHART_FONT = 'EEChartSans';

const require = createRequire(import.meta.url);

/** The font files (WOFF2, Latin subset: ASCII, Latin-1, general punctuation), regular and bold. */
export const CHART_FONT_FILES = {
  regular: require.resolve('@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2'),
  bold: require.resolve('@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff2'),
} as const;
