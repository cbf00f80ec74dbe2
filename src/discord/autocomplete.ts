import type { APIApplicationCommandOptionChoice } from 'discord.js';
import type { OptionMeta } from '../commands/options.js';
import type { DrawIndex } from '../core/drawIndex.js';
import { formatDate } from '../core/format.js';
import { categoryInfo } from '../domain/categories.js';
import type { Draw } from '../domain/drawSchema.js';
import { suggestCategories } from '../domain/resolveCategory.js';

export type Choice = APIApplicationCommandOptionChoice<string>;

/** Discord shows at most 25 choices, each name and value at most 100 characters. */
export const MAX_CHOICES = 25;
const MAX_NAME = 100;
/** Longer input cannot match anything; it only costs time. */
const MAX_QUERY = 100;

function choice(name: string, value: string): Choice {
  return { name: name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1)}…`, value };
}

/**
 * Recent answers by query: autocomplete fires on every keystroke and many people type the same
 * few prefixes ("h", "he", "hea"…), so most answers can be reused rather than worked out again.
 */
const recentCategoryChoices = new Map<string, readonly Choice[]>();
const recentRoundChoices = new WeakMap<DrawIndex, Map<string, readonly Choice[]>>();
const REMEMBERED = 1000;

function remember(recent: Map<string, readonly Choice[]>, query: string, choices: readonly Choice[]): void {
  if (recent.size >= REMEMBERED) recent.delete(recent.keys().next().value!);
  recent.set(query, choices);
}

/** Categories for what has been typed so far, best first; the slug is what gets filled in. */
export function categoryChoices(query: string): readonly Choice[] {
  const key = query.slice(0, MAX_QUERY);
  let choices = recentCategoryChoices.get(key);
  if (!choices) {
    choices = suggestCategories(key, MAX_CHOICES).map((slug) => choice(`${slug} — ${categoryInfo(slug).label}`, slug));
    remember(recentCategoryChoices, key, choices);
  }
  return choices;
}

/**
 * For a list of categories ("healthcare ce"): the last word completed, the words before it kept,
 * so each choice fills in the whole list ("healthcare cec"). Slugs already listed are not offered.
 */
export function categoryListChoices(query: string): readonly Choice[] {
  const text = query.slice(0, MAX_QUERY);
  const cut = Math.max(text.lastIndexOf(' '), text.lastIndexOf(','));
  if (cut < 0 || !text.slice(0, cut).trim()) return categoryChoices(text.trim());
  const head = text.slice(0, cut + 1);
  const given = new Set(head.toLowerCase().split(/[\s,]+/));
  const out: Choice[] = [];
  for (const suggestion of categoryChoices(text.slice(cut + 1))) {
    const value = `${head}${head.endsWith(',') ? ' ' : ''}${suggestion.value}`;
    if (given.has(suggestion.value) || value.length > MAX_NAME) continue;
    out.push(choice(`${value} — ${suggestion.name.slice(suggestion.value.length + 3)}`, value));
  }
  return out;
}

function roundChoice(draw: Draw): Choice {
  return choice(`#${draw.round} · ${formatDate(draw.date)} · ${draw.category} · CRS ${draw.crs}`, draw.round);
}

/**
 * Rounds whose number starts with what has been typed ("43" → #43 itself, then #439, #438…;
 * "#91" → #91b, #91a), newest first; a date prefix ("2025-0") finds that period's rounds. Empty:
 * the most recent rounds.
 */
export function roundChoices(data: DrawIndex, query: string): readonly Choice[] {
  const q = query.slice(0, MAX_QUERY).trim().replace(/^#/, '').toLowerCase();
  // Per dataset: a live sync swaps in a new index, and with it new answers.
  let recent = recentRoundChoices.get(data);
  if (!recent) {
    recent = new Map();
    recentRoundChoices.set(data, recent);
  }
  let choices = recent.get(q);
  if (!choices) {
    choices = matchRounds(data, q);
    remember(recent, q, choices);
  }
  return choices;
}

function matchRounds(data: DrawIndex, q: string): Choice[] {
  const byDate = /^\d{4}-/.test(q);
  const exact = q ? data.round(q) : undefined;
  const out: Choice[] = exact ? [roundChoice(exact)] : [];
  for (const draw of data.draws) {
    if (out.length === MAX_CHOICES) break;
    if (draw === exact || (q && !(byDate ? draw.date.startsWith(q) : draw.round.startsWith(q)))) continue;
    out.push(roundChoice(draw));
  }
  return out;
}

export function autocompleteChoices(kind: OptionMeta['autocomplete'], query: string, data: DrawIndex): readonly Choice[] {
  if (kind === 'category') return categoryChoices(query);
  if (kind === 'categories') return categoryListChoices(query);
  if (kind === 'round') return roundChoices(data, query);
  return [];
}
