/**
 * Chart colours: a solid light card with dark text, so the PNG reads the same on Discord's dark
 * theme and Telegram's light one (no transparency for the chat background to show through).
 */
export const CHART_COLORS = {
  card: '#FAFBFD',
  border: '#C9D1DC',
  text: '#17202E',
  mutedText: '#4A5567',
  axis: '#8C96A5',
  grid: '#E3E7ED',
  line: '#2459C7',
  highlight: '#12A150',
  threshold: '#D9480F',
  /**
   * One per lane of a chart with several kinds of draw, in the legend's order (cycling past ten):
   * no green nor orange, which mean "invited" and "your score".
   */
  lanes: ['#2459C7', '#8E44AD', '#C0392B', '#00838F', '#B7950B', '#6D4C41', '#D81B60', '#546E7A', '#1A237E', '#827717'],
} as const;
