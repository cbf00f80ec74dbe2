import { formatTable } from '../core/formatTable.js';
import type { Reply } from '../core/reply.js';
import { MESSAGE_LIMIT, type Piece, packChunks, pieceBudget, splitToFit } from './packChunks.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** C0 controls except tab, line feed and carriage return, and DEL: they have no place in a chat message. */
const CONTROL = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f';
const SPECIAL = new RegExp(`[&<>"${CONTROL}]`, 'g');
const HAS_SPECIAL = new RegExp(`[&<>"${CONTROL}]`);
const CONTROLS = new RegExp(`[${CONTROL}]`, 'g');

/** Plain text as Telegram HTML: the four characters its parser reads become the named entities it knows. */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape; testing first skips building a new string.
  return HAS_SPECIAL.test(text) ? text.replace(SPECIAL, (c) => ENTITIES[c] ?? '') : text;
}

/** Plain text for a message sent without a parse mode. */
export function cleanText(text: string): string {
  return text.replace(CONTROLS, '');
}

/** Only web links become anchors; anything else stays visible text rather than a clickable surprise. */
const isWebUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url);

interface Style {
  gap: Piece['gap'];
  /** HTML around the escaped text, e.g. "<b>" and "</b>". */
  open?: string;
  close?: string;
  pre?: boolean;
}

/** Adds plain text as one piece, or as several when it is too long for one message. */
function addText(pieces: Piece[], text: string, budget: number, { gap, open = '', close = '', pre = false }: Style): void {
  const html = open + escapeHtml(text) + close;
  if (html.length <= budget) {
    pieces.push({ html, gap, pre });
    return;
  }
  const render = (part: string) => open + escapeHtml(part) + close;
  for (const [i, part] of splitToFit(text, render, budget).entries()) pieces.push({ html: render(part), gap: i === 0 ? gap : '\n', pre });
}

/**
 * A reply as Telegram HTML messages, each at most `limit` characters: a bold title, the paragraphs,
 * the facts as "Name: value" lines, the table in monospace, the source link and the data's
 * freshness in italics. Long replies are split between lines, never inside a tag or an entity.
 * Every string is escaped: all of it is plain text, some from users or IRCC's feed.
 */
export function renderHtml(reply: Reply, limit = MESSAGE_LIMIT): string[] {
  const budget = pieceBudget(limit);
  const pieces: Piece[] = [];
  addText(pieces, reply.title, budget, { gap: '\n', open: '<b>', close: '</b>' });
  for (const line of reply.lines ?? []) addText(pieces, line, budget, { gap: '\n' });
  const fields = reply.fields ?? [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    // A value of several lines (a breakdown) goes under its name, set apart from the next field.
    const block = field.value.includes('\n');
    const open = block ? `<b>${escapeHtml(field.name)}</b>\n` : `<b>${escapeHtml(field.name)}:</b> `;
    addText(pieces, field.value, budget, { gap: i === 0 || block || fields[i - 1]!.value.includes('\n') ? '\n\n' : '\n', open });
  }
  if (reply.table) {
    const lines = formatTable(reply.table);
    for (let i = 0; i < lines.length; i++) addText(pieces, lines[i]!, budget, { gap: i === 0 ? '\n\n' : '\n', pre: true });
  }
  if (reply.link) {
    const { label, url } = reply.link;
    const anchor = `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
    if (isWebUrl(url) && anchor.length <= budget) pieces.push({ html: anchor, gap: '\n\n' });
    else addText(pieces, `${label}: ${url}`, budget, { gap: '\n\n' });
  }
  if (reply.freshness) addText(pieces, reply.freshness, budget, { gap: reply.link ? '\n' : '\n\n', open: '<i>', close: '</i>' });
  return packChunks(pieces, limit);
}
