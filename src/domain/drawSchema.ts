import { z } from 'zod';

/** Category slugs. `other` is where a name IRCC invents tomorrow lands until we learn it. */
export const CATEGORY_SLUGS = [
  'general',
  'pnp',
  'cec',
  'fsw',
  'fst',
  'french',
  'healthcare',
  'stem',
  'trades',
  'transport',
  'agriculture',
  'education',
  'physicians',
  'senior-managers',
  'military',
  'other',
] as const;

export const categorySlugSchema = z.enum(CATEGORY_SLUGS);
export type CategorySlug = z.infer<typeof categorySlugSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('A calendar date, YYYY-MM-DD.');
const utcInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  .describe('An instant in UTC, YYYY-MM-DDTHH:mm:ssZ.');

export const poolBandSchema = z.object({
  min: z.number().int().min(0).describe('Lowest CRS score in the band (inclusive).'),
  max: z.number().int().max(1200).describe('Highest CRS score in the band (inclusive).'),
  count: z.number().int().min(0).describe('Profiles in the pool with a score in the band.'),
});

export const poolSchema = z
  .object({
    asOf: isoDate.describe('Date of the pool snapshot IRCC published with the round.'),
    total: z.number().int().min(0).describe('Total profiles in the pool, as IRCC published it.'),
    bands: z
      .array(poolBandSchema)
      .describe('Non-overlapping score bands, lowest first: 0-300, 301-350, 351-400, 401-410 ... 491-500, 501-600, 601-1200.'),
  })
  .describe('The CRS distribution of the pool; null where IRCC published none (or only zeros).');

export const drawSchema = z.object({
  round: z
    .string()
    .regex(/^\d+[a-z]?$/)
    .describe('Round number as IRCC writes it: "379", "91a".'),
  date: isoDate.describe('Date of the round, the day in Ottawa, as IRCC published it.'),
  drawnAt: utcInstant.nullable().describe('When the round ran (UTC); null where IRCC published no readable or no consistent time.'),
  name: z.string().min(1).describe("The round's category as IRCC names it in the feed."),
  category: categorySlugSchema.describe('Stable category slug; old and new IRCC names map to one slug.'),
  categoryVersion: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('Version of the category definition ("Version 2", "(2023-1)" = 1); null when the name has none.'),
  programs: z.array(z.string()).describe('Programs whose candidates were invited.'),
  invitations: z.number().int().min(0).describe('Invitations issued.'),
  crs: z.number().int().min(0).max(1200).describe('CRS score of the lowest-ranked candidate invited (the cut-off).'),
  tieBreak: utcInstant
    .nullable()
    .describe(
      'Tie-breaking rule: candidates at the cut-off score were invited only if they submitted their profile before this instant (UTC); null where none was published.',
    ),
  pool: poolSchema.nullable(),
  url: z.string().url().describe("Absolute link to the round's page on canada.ca."),
});
export type Draw = z.infer<typeof drawSchema>;
export type Pool = z.infer<typeof poolSchema>;

export const datasetSchema = z
  .object({
    source: z.string().describe('Where the rounds were read from (URL or file name).'),
    generatedAt: utcInstant.describe('When this file was written (UTC).'),
    draws: z.array(drawSchema).describe('Every round, newest first.'),
  })
  .describe("Canada's Express Entry rounds of invitations, normalised from IRCC's ee_rounds_123_en.json feed.");
export type Dataset = z.infer<typeof datasetSchema>;
