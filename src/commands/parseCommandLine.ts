export interface CommandLine {
  /** Lower-cased command name, without the slash. */
  name: string;
  /** The bot named in "/cmd@SomeBot", if any. */
  mention?: string;
  /** The words after the command. */
  args: string[];
  /** Longer than any real command: only its name and mention were read, to be refused. */
  tooLong?: true;
}

/** Longer than any real command; refusing early keeps junk away from every parser. */
export const MAX_COMMAND_LENGTH = 500;

const HEAD = /^\/?([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?/;

/**
 * Splits "/check@EEBot 470 healthcare since=2025-01-01" into its parts. Returns undefined when the
 * text is not a command (no leading slash where one is required). Quotes group words:
 * `/latest "canadian experience"`. Text over MAX_COMMAND_LENGTH is read only as far as its name.
 */
export function parseCommandLine(text: string, options: { requireSlash: boolean }): CommandLine | undefined {
  const trimmed = text.trim();
  if (options.requireSlash && !trimmed.startsWith('/')) return undefined;
  if (text.length > MAX_COMMAND_LENGTH) {
    const head = HEAD.exec(trimmed.slice(0, 100));
    return { name: head?.[1]?.toLowerCase() ?? '', mention: head?.[2], args: [], tooLong: true };
  }
  const match = /^\/?([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (!match) return undefined;
  const args = [...(match[3] ?? '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return { name: match[1]!.toLowerCase(), mention: match[2], args };
}
