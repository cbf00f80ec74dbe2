/** An instant as the dataset writes it: `YYYY-MM-DDTHH:mm:ssZ`, UTC, whole seconds. */
export function utcInstant(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
