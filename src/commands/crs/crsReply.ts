import { crsImprovements } from '../../core/crs/crsImprovements.js';
import type { CrsProfile } from '../../core/crs/crsProfile.js';
import { crsScore } from '../../core/crs/crsScore.js';
import type { Reply, ReplyButton } from '../../core/reply.js';

export const IRCC_CRS_TOOL = 'https://ircc.canada.ca/english/immigrate/skilled/crs-tool.asp';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The score with its breakdown: the total, each section with its points and maximum and the lines
 * that earned points, then the changes that would raise it most (each found by scoring the changed
 * profile). Private: where others would read it, /crs points to a private chat instead.
 */
export function crsReply(profile: CrsProfile, notes: readonly string[], buttons?: ReplyButton[][]): Reply {
  const result = crsScore(profile);
  const fields = result.sections
    .filter((section) => section.max > 0)
    .map((section) => {
      const earning = section.lines.filter((line) => line.points > 0).map((line) => `${line.label}: ${line.points}`);
      return {
        name: `${section.title}: ${section.points} of ${section.max}`,
        value: earning.length > 0 ? earning.join('\n') : 'nothing yet',
      };
    });
  const raise = crsImprovements(profile, 3, result.total);
  if (raise.length > 0) {
    fields.push({ name: 'What would raise it most', value: raise.map((r) => `${capitalised(r.change)}: +${r.gain}`).join('\n') });
  }
  const reply: Reply = {
    kind: 'answer',
    title: `Your CRS score: ${result.total}`,
    lines: [
      ...notes,
      `${result.withSpouse ? 'With an accompanying spouse or partner' : 'Single (or a spouse who is Canadian or not coming)'}; worked out from IRCC's published grid — an estimate, not IRCC's decision.`,
    ],
    fields,
    link: { label: "IRCC's own CRS tool", url: IRCC_CRS_TOOL },
    private: true,
  };
  if (buttons && buttons.length > 0) reply.buttons = buttons;
  return reply;
}
