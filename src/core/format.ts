const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NUMBER = new Intl.NumberFormat('en-CA');

/** 3500 -> "3,500" */
export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

/** "2025-11-14" -> "Nov 14, 2025" */
export function formatDate(isoDate: string): string {
  // String slicing, not a date library: this runs for every row of every answer.
  return `${MONTHS[Number(isoDate.slice(5, 7)) - 1]} ${Number(isoDate.slice(8, 10))}, ${isoDate.slice(0, 4)}`;
}

/** "2024-12-02T22:19:41Z" -> "Dec 2, 2024 22:19:41 UTC" */
export function formatInstant(instant: string): string {
  return `${formatDate(instant)} ${instant.slice(11, 19)} UTC`;
}

/** 0.1234 -> "12.3%" */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** "1 draw", "2 draws" */
export function plural(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;
}
