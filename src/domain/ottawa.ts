/** IRCC dates its rounds by the day in Ottawa. */
export const OTTAWA = 'America/Toronto';

/** One formatter for the whole process: building zone-aware dates per round made imports take ~0.5 s. */
const OTTAWA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: OTTAWA, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day in Ottawa (YYYY-MM-DD) of a `YYYY-MM-DDTHH:mm:ssZ` instant. */
export function ottawaDate(instant: string): string {
  return OTTAWA_DATE.format(new Date(instant));
}
