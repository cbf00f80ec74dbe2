import { z } from 'zod';

/**
 * The feed as IRCC publishes it: every value a string. Only what we read is required; unknown
 * fields are allowed (IRCC adds and drops presentation fields), and values are checked for meaning
 * later, round by round, so that one odd value is reported by round number.
 */
const text = z.string();
const optionalText = z.string().optional().default('');

export const rawRoundSchema = z.looseObject({
  drawNumber: text,
  drawDate: text,
  drawName: text,
  drawSize: text,
  drawCRS: text,
  drawText2: optionalText,
  drawDateTime: optionalText,
  drawCutOff: optionalText,
  drawDistributionAsOn: optionalText,
  drawNumberURL: optionalText,
  ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`dd${i + 1}`, optionalText])),
});
export type RawRound = z.infer<typeof rawRoundSchema> & Record<`dd${number}`, string>;

export const rawFeedSchema = z.looseObject({
  rounds: z.array(rawRoundSchema),
});
