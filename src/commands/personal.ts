import { categoryInfo } from '../domain/categories.js';
import type { Profile } from '../domain/profile.js';
import type { Chat } from './chat.js';
import type { CommandContext } from './defineCommand.js';

/** The refusal where others would read a personal answer; it never repeats what was typed. */
export const PROFILE_PRIVATE = 'Profiles are private — send /profile to me in a private chat.';

/** Whether a Reply marked private reaches the asker alone in this chat (a private chat; Discord anywhere). */
export function answersPrivately(chat: Chat | undefined): boolean {
  return chat !== undefined && (chat.isPrivate || chat.privateReplies === true);
}

/** The asker's stored profile, wherever asked: one indexed lookup; undefined without one. */
export async function askerProfile({ chat, profiles }: Pick<CommandContext, 'chat' | 'profiles'>): Promise<Profile | undefined> {
  return chat?.userId && profiles ? profiles.get(chat.platform, chat.userId) : undefined;
}

/**
 * The profile for personal marks within answers everyone may see otherwise (/latest, /history,
 * /pool): only in a one-to-one chat, so that no shared chat ever reads a personal score.
 */
export async function privateProfile(ctx: Pick<CommandContext, 'chat' | 'profiles'>): Promise<Profile | undefined> {
  return ctx.chat?.isPrivate ? askerProfile(ctx) : undefined;
}

/** "general, CEC, healthcare": the lanes a profile names, as sentences say them. */
export function describeLanes(profile: Profile): string {
  if (profile.categories.length === 0) return 'none named (every draw is compared)';
  return ['general', ...profile.categories.filter((slug) => slug !== 'general').map((slug) => categoryInfo(slug).short)].join(', ');
}
