import type { z } from 'zod';
import { UserError } from '../domain/userError.js';
import type { AnyCommand } from './defineCommand.js';
import { optionMetas } from './options.js';

const NAMED = /^([a-z][a-z_-]*)[=:](.*)$/i;
const looksInteger = (word: string) => /^\+?\d+$/.test(word);
const looksDate = (word: string) => /^\d{4}-\d{1,2}-\d{1,2}$/.test(word);

/**
 * Turns the words typed after a text command into the raw input of its zod schema, which alone
 * validates values. Named words (`since=2025-01-01`, `crs:470`) go to their option; the rest fill
 * the free options in order, each going to the first free option of its look (a number to a
 * number option, a date to a date option, a word to a word option), so `/history cec 20` and
 * `/history 20 cec` both work.
 */
export function argsToInput(command: AnyCommand, args: readonly string[]): Record<string, string> {
  const metas = optionMetas(command.options as z.ZodObject);
  const input: Record<string, string> = {};
  const positional: string[] = [];
  const example = command.examples[0];
  for (const word of args) {
    const named = NAMED.exec(word);
    if (named && !looksDate(word)) {
      const name = named[1]!.toLowerCase().replace(/-/g, '_');
      if (!metas.some((m) => m.name === name)) {
        const known = metas.map((m) => m.name).join(', ');
        throw new UserError(
          known
            ? `/${command.name} has no option "${name.slice(0, 30)}" (it takes ${known}); for example ${example}.`
            : `/${command.name} takes no options; just send ${example}.`,
        );
      }
      input[name] = named[2]!;
    } else positional.push(word);
  }
  const free = () => metas.filter((m) => !(m.name in input));
  for (let i = 0; i < positional.length; i++) {
    const word = positional[i]!;
    const open = free();
    const target =
      (looksInteger(word) && open.find((m) => m.kind === 'integer')) ||
      (looksDate(word) && open.find((m) => m.kind === 'date')) ||
      open.find((m) => m.kind === 'string') ||
      open[0];
    if (!target) {
      throw new UserError(
        metas.length
          ? `Too many values for /${command.name}: "${word.slice(0, 30)}" is one too many; for example ${example}.`
          : `/${command.name} takes no options; just send ${example}.`,
      );
    }
    let value = word;
    // Several words for one option: "/latest canadian experience class".
    while (target.rest && i + 1 < positional.length && !looksInteger(positional[i + 1]!) && !looksDate(positional[i + 1]!)) {
      value += ` ${positional[++i]}`;
    }
    input[target.name] = value;
  }
  return input;
}
