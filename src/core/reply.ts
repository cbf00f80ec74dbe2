import type { CategorySlug } from '../domain/drawSchema.js';
import type { ChartSpec } from './chartSpec.js';

/**
 * What a command answers, free of any platform: adapters render it as a Discord embed, Telegram
 * HTML or terminal text, escaping every string (all of it is plain text, some of it from users or
 * the feed).
 */
export interface Reply {
  /** 'error' for a user error: Discord shows it privately; others render it plainly. */
  kind: 'answer' | 'error';
  title: string;
  /** Paragraphs, in order. */
  lines?: string[];
  /** Key/value facts; `inline` facts may sit side by side. */
  fields?: ReplyField[];
  table?: ReplyTable;
  /** The round's page on canada.ca (or another source link). */
  link?: { label: string; url: string };
  /** Tints the reply (embed colour) where a platform can. */
  category?: CategorySlug;
  /** Only the asker should see it (Discord ephemeral). */
  private?: boolean;
  /** How fresh the data is, e.g. "IRCC data to round #434 (Aug 7, 2026)". Set by the runner. */
  freshness?: string;
  /** A chart of the answer (data only); adapters that can send images render it with src/charts. */
  chart?: ChartSpec;
  /**
   * One choice to pick among (a guided step): Telegram shows them as keyboard buttons, Discord as a
   * select menu (at most 25). Picking one runs its action like a button press.
   */
  menu?: ReplyMenu;
  /** Rows of buttons under the reply (back, cancel, save, a link to a private chat); at most 5 per row. */
  buttons?: ReplyButton[][];
}

/**
 * What a button does when pressed: `action` is handed back to the command that made it (Answers.action,
 * Command.act) as `"<command>:<payload>"`, at most 64 bytes (Telegram's callback_data); a `url` opens
 * a link (a deep link to a private chat with the bot). The platform replaces the message carrying the
 * button with the reply the action returns.
 */
export type ReplyButton = { label: string; action: string; url?: undefined } | { label: string; url: string; action?: undefined };

export interface ReplyMenu {
  /** What is asked, shown in the select menu before a pick: "Your age". */
  placeholder: string;
  /** At most 25, each label at most 100 characters. */
  choices: Array<{ label: string; action: string }>;
}

export interface ReplyField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface ReplyTable {
  columns: string[];
  rows: string[][];
  /** Per column; numbers read best right-aligned. Default left. */
  align?: Array<'left' | 'right'>;
}
