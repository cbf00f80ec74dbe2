import type { Reply } from '../core/reply.js';
import { assumeCategoryTypos } from '../domain/resolveCategory.js';
import type { AnyCommand } from './defineCommand.js';
import { optionMetas } from './options.js';

/**
 * Category typos with one close match are answered rather than sent back ("/latest helthcare"
 * answers for healthcare, saying so). Commands that change something (alerts) keep asking "did you
 * mean …?": a wrong guess there would leave a chat with alerts nobody wanted.
 */
export function assumeTypos(command: AnyCommand, input: Record<string, unknown>): { input: Record<string, unknown>; notes: string[] } {
  if (command.requires?.subscriptions) return { input, notes: [] };
  let changed: Record<string, unknown> | undefined;
  const notes: string[] = [];
  for (const meta of optionMetas(command.options)) {
    const value = input[meta.name];
    if ((meta.autocomplete !== 'category' && meta.autocomplete !== 'categories') || typeof value !== 'string') continue;
    const { text, assumed } = assumeCategoryTypos(value);
    if (assumed.length === 0) continue;
    changed ??= { ...input };
    changed[meta.name] = text;
    for (const { typed, slug } of assumed) notes.push(`Assuming ${slug} for "${typed.slice(0, 30)}".`);
  }
  return { input: changed ?? input, notes };
}

/** The reply with what was assumed said first. */
export function withNotes(reply: Reply, notes: readonly string[]): Reply {
  return notes.length === 0 ? reply : { ...reply, lines: [...notes, ...(reply.lines ?? [])] };
}
