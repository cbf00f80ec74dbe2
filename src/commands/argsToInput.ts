import type { z } from 'zod';
import { UserError } from '../domain/userError.js';
import type { AnyCommand } from './defineCommand.js';
import { dateWordsAt } from './looseDate.js';
import { isNoiseWord } from './noiseWords.js';
import { type NamedOptionMeta, optionMetas } from './options.js';
import { periodWordsAt } from './parsePeriod.js';

/** Words that start a period, taken as `since=2025-01-01` by a command whose period option has another name. */
const PERIOD_WORDS = new Set(['since', 'from', 'after', 'between', 'in', 'on', 'during']);

const NAMED = /^([a-z][a-z_-]*)[=:](.*)$/i;
const looksInteger = (word: string) => /^\+?\d+$/.test(word);
const optionName = (word: string) => word.toLowerCase().replace(/-/g, '_');

/**
 * Turns the words typed after a text command into the raw input of its zod schema, which alone
 * validates values. Named words go to their option: `since=2025-01-01`, `crs:470`, or the name as a
 * word before its value (`since Jan 2 2025`). The rest fill the free options in order, each going
 * to the first free option of its look (a number to a number option, a date to a date option, a
 * word to a word option), so `/history cec 20` and `/history 20 cec` both work. Noise words
 * ("please", "draw", "?") are passed over unless they are a named option's value, so every command
 * takes them alike.
 */
export function argsToInput(command: AnyCommand, args: readonly string[]): Record<string, string> {
  const metas = optionMetas(command.options as z.ZodObject);
  const byName = new Map(metas.map((m) => [m.name, m]));
  const input: Record<string, string> = {};
  const positional: string[] = [];
  const example = command.examples[0];

  /** "since" followed by a word that can be its value, for an option not given yet. */
  const namesOption = (words: readonly string[], i: number) => {
    const meta = byName.get(optionName(words[i]!));
    const next = words[i + 1];
    return meta && !(meta.name in input) && next !== undefined && !NAMED.test(next) && !isNoiseWord(next) ? meta : undefined;
  };
  const period = metas.find((m) => m.kind === 'period');
  /** How many words from `start` make one value of `meta`: a date's or a period's words, a category's words, else one. */
  const valueLength = (meta: NamedOptionMeta, words: readonly string[], start: number, stop: (j: number) => boolean) => {
    // A date option takes a period's words too, to say what is wrong with them ("/draw last week").
    if (meta.kind === 'date') return Math.max(1, dateWordsAt(words, start), periodWordsAt(words, start));
    if (meta.kind === 'period') return Math.max(1, periodWordsAt(words, start));
    let end = start + 1;
    // Several words for one option: "/latest canadian experience class", up to a period's words ("cec since July").
    const periodAt = (j: number) => period !== undefined && !(period.name in input) && periodWordsAt(words, j) > 0;
    if (meta.rest) {
      while (end < words.length && !looksInteger(words[end]!) && dateWordsAt(words, end) === 0 && !periodAt(end) && !stop(end)) end++;
    }
    return end - start;
  };
  const joined = (words: readonly string[]) => words.filter((word, k) => k === 0 || !isNoiseWord(word)).join(' ');

  // A command's name (/help's option) takes any word, "draw" included; the command reads a plea
  // such as "me" as it sees fit.
  const takesAnyWord = metas.some((m) => m.autocomplete === 'command');
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const named = NAMED.exec(word);
    const stop = (j: number) => NAMED.test(args[j]!) || namesOption(args, j) !== undefined;
    if (named) {
      const name = optionName(named[1]!);
      // since=2025-01-01 where the period option is called otherwise: "since 2025-01-01" is its value.
      if (!byName.has(name) && period !== undefined && !(period.name in input) && PERIOD_WORDS.has(name)) {
        // The word itself, then its value ("since=2025-01-01", or "since= 2025-01-01").
        const inWord = named[2] === '' ? [] : [named[2]!];
        const words = [name, ...inWord, ...args.slice(i + 1)];
        const length = Math.max(2, periodWordsAt(words, 0));
        input[period.name] = joined(words.slice(0, length));
        i += length - 1 - inWord.length;
        continue;
      }
      const meta = byName.get(name);
      if (!meta) {
        const known = metas.map((m) => m.name).join(', ');
        throw new UserError(
          known
            ? `/${command.name} has no option "${name.slice(0, 30)}" (it takes ${known}); for example ${example}.`
            : `/${command.name} takes no options; just send ${example}.`,
        );
      }
      // "since= 2025-01-01": the value is the next word.
      const spaced = named[2] === '' && i + 1 < args.length && !NAMED.test(args[i + 1]!);
      const from = spaced ? i + 2 : i + 1;
      const words = [spaced ? args[i + 1]! : named[2]!, ...args.slice(from)];
      const length = valueLength(meta, words, 0, (j) => stop(from - 1 + j));
      input[name] = joined(words.slice(0, length));
      i = from + length - 2;
      continue;
    }
    const meta = namesOption(args, i);
    if (meta) {
      const length = valueLength(meta, args, i + 1, stop);
      input[meta.name] = joined(args.slice(i + 1, i + 1 + length));
      i += length;
    } else if (takesAnyWord || !isNoiseWord(word)) positional.push(word);
  }

  const free = () => metas.filter((m) => !(m.name in input));
  for (let i = 0; i < positional.length; i++) {
    const word = positional[i]!;
    const open = free();
    // A period's words first: "2025" is a year there, not a count.
    const periodLength = open.includes(period!) ? periodWordsAt(positional, i) : 0;
    if (periodLength > 0) {
      input[period!.name] = positional.slice(i, i + periodLength).join(' ');
      i += periodLength - 1;
      continue;
    }
    const date = open.find((m) => m.kind === 'date');
    const dateLength = date ? Math.max(dateWordsAt(positional, i), periodWordsAt(positional, i)) : 0;
    const target =
      (dateLength > 0 && date) ||
      (looksInteger(word) && open.find((m) => m.kind === 'integer')) ||
      // A long number no integer option takes is a mistyped year ("/stats 20255"), said as such.
      (looksInteger(word) && word.length >= 4 && period && open.includes(period) ? period : undefined) ||
      open.find((m) => m.kind === 'string') ||
      // A word that fits no option's look: the first free one says what is wrong with it (a period
      // only takes the words periodWordsAt found).
      open.find((m) => m.kind !== 'period');
    if (!target) {
      throw new UserError(
        metas.length
          ? `Too many values for /${command.name}: "${word.slice(0, 30)}" is one too many; for example ${example}.`
          : `/${command.name} takes no options; just send ${example}.`,
      );
    }
    const length = target === date && dateLength > 0 ? dateLength : valueLength(target, positional, i, () => false);
    input[target.name] = positional.slice(i, i + length).join(' ');
    i += length - 1;
  }
  return input;
}
