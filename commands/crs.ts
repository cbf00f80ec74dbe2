import type { Chat } from '../src/commands/chat.js';
import { finishedButtons, type GuideState, guideProgress, readState, startState } from '../src/commands/crs/crsGuide.js';
import { crsOptions } from '../src/commands/crs/crsOptions.js';
import { crsReply } from '../src/commands/crs/crsReply.js';
import { decodeProfile, encodeProfile } from '../src/commands/crs/profileCode.js';
import { CRS_EXAMPLE, readCrsOptions } from '../src/commands/crs/readCrsOptions.js';
import { addLanes, asker, canSave, saveCrs, suggestLanes } from '../src/commands/crs/saveCrs.js';
import { type CommandContext, defineCommand } from '../src/commands/defineCommand.js';
import { answersPrivately } from '../src/commands/personal.js';
import type { CrsProfile } from '../src/core/crs/crsProfile.js';
import { crsScore } from '../src/core/crs/crsScore.js';
import type { Reply, ReplyButton } from '../src/core/reply.js';
import { UserError } from '../src/domain/userError.js';

const STALE = 'That button is from a /crs answer I cannot read; send /crs again.';

/** Where others would read the answer: a link to a private chat (Telegram's deep link), never the details. */
function privately(chat: Chat): Reply {
  const link = chat.privateLink?.('crs');
  return {
    kind: 'answer',
    title: 'Your CRS score, privately',
    lines: [
      `Your score takes your age, education and more, so I work it out in a private chat where no one else sees them. ${link ? 'Tap below to open it.' : 'Send /crs to me there.'}`,
    ],
    ...(link ? { buttons: [[{ label: 'Work out my CRS privately', url: link }]] } : {}),
  };
}

/** /crs alone where there are no buttons (the console): the one-line form. */
function usage(): Reply {
  return {
    kind: 'answer',
    title: 'CRS calculator',
    lines: [
      `Give your details in one line, e.g. ${CRS_EXAMPLE}`,
      'Options: age; education (none, secondary, one-year, two-year, bachelors, two-or-more, masters, phd); english and french as CLB/NCLC levels (9, or 9,8,9,9 for listening, reading, writing, speaking) or test scores ielts=, celpip=, pte=, tef=, tcf= (four, same order); canada_work and foreign_work (years); certificate=yes (trade); canada_study (none, 1-2, 3+); sibling=yes; nomination=yes; spouse (no, yes, canadian) with spouse_education, spouse_english or spouse_french, spouse_canada_work; first=french to choose your first official language.',
      'In a private chat with the bot on Telegram or Discord, /crs alone asks step by step.',
    ],
  };
}

const CANCELLED: Reply = {
  kind: 'answer',
  title: 'CRS calculator closed',
  lines: ['Nothing was kept. Send /crs to start again.'],
  private: true,
};

const nowMs = (ctx: CommandContext) => ctx.now.toMillis();

/** The breakdown, with "Save as my profile" where saving is possible. */
function breakdown(profile: CrsProfile, notes: string[], ctx: CommandContext, more: ReplyButton[][] = []): Reply {
  const save: ReplyButton[][] = canSave(ctx) ? [[{ label: 'Save as my profile', action: `crs:s${encodeProfile(profile)}` }]] : [];
  return crsReply(profile, notes, [...save, ...more]);
}

function guide(state: GuideState, ctx: CommandContext): Reply {
  const progress = guideProgress(state);
  if (!progress.done) return progress.reply;
  return breakdown(progress.profile, [`Your answers: ${progress.given.join(' · ')}`], ctx, [finishedButtons(state, nowMs(ctx))]);
}

async function saved(profile: CrsProfile, notes: string[], ctx: CommandContext): Promise<Reply> {
  const result = await saveCrs(asker(ctx), crsScore(profile).total, profile, `:${encodeProfile(profile)}`);
  return crsReply(profile, [...notes, ...result.lines], result.buttons);
}

/** "l<lanes>:<profile>": adds the lanes, then draws the breakdown again with any lanes still to offer. */
async function lanes(payload: string, ctx: CommandContext): Promise<Reply> {
  const [codes = '', code] = payload.split(':');
  const profile = code === undefined ? undefined : decodeProfile(code);
  const added = await addLanes(asker(ctx), codes);
  if (!profile) return { kind: 'answer', title: 'Lanes saved', lines: [added.line], private: true };
  const more = suggestLanes(profile, added.profile, `:${code}`);
  return crsReply(profile, [added.line, ...more.lines], more.buttons);
}

export const crs = defineCommand({
  name: 'crs',
  description: 'Work out your CRS score: the breakdown, and what would raise it',
  options: crsOptions,
  examples: [
    CRS_EXAMPLE,
    '/crs',
    '/crs age=34 education=bachelors ielts=8,7,7,7 canada_work=1 spouse=yes spouse_education=bachelors spouse_english=7',
    '/crs age=27 education=masters tef=520,510,530,520 english=7 save=yes',
  ],
  async run(input, ctx) {
    if (ctx.chat && !answersPrivately(ctx.chat)) return privately(ctx.chat);
    const given = Object.values(input).some((value) => value !== undefined);
    if (!given) return ctx.chat ? guide(startState(nowMs(ctx)), ctx) : usage();
    const { profile, notes } = readCrsOptions(input);
    return input.save ? saved(profile, notes, ctx) : breakdown(profile, notes, ctx);
  },
  async act(payload, ctx) {
    if (!ctx.chat || !answersPrivately(ctx.chat)) return ctx.chat ? privately(ctx.chat) : usage();
    switch (payload[0]) {
      case 'g':
        return guide(readState(payload, nowMs(ctx)), ctx);
      case 'x':
        return CANCELLED;
      case 's':
        return saved(decodeProfile(payload.slice(1)), [], ctx);
      case 'l':
        return lanes(payload.slice(1), ctx);
      default:
        throw new UserError(STALE);
    }
  },
});
