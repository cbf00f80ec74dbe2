import { type APIEmbed, type APIEmbedField, MessageFlags } from 'discord.js';
import { CHART_FILE_NAME } from '../charts/chartRenderer.js';
import { formatTable } from '../core/formatTable.js';
import type { Reply } from '../core/reply.js';
import { categoryInfo } from '../domain/categories.js';
import { escapeCodeBlock, escapeMarkdown } from './escapeMarkdown.js';
import { type ActionRow, renderComponents } from './renderComponents.js';

/** What Discord accepts in one embed; going over any of these fails the whole reply. */
const LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 };

/** Answers without a category (help, about, pool) and user errors get their own hues. */
export const NEUTRAL_COLOUR = 0x4e5d94;
export const ERROR_COLOUR = 0xf0b232;

export interface DiscordMessage {
  embeds: APIEmbed[];
  /** Nobody is pinged by an answer, whatever the feed or a user wrote. */
  allowedMentions: { parse: [] };
  /** Set for private replies and user errors: only the asker sees them. */
  flags?: MessageFlags.Ephemeral;
  /** The reply's menu and buttons (renderComponents); absent when it has none. */
  components?: ActionRow[];
}

function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Only a well-formed http(s) URL: Discord rejects the whole message for a bad embed URL. */
function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    // Parentheses would end a Markdown link early.
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  } catch {
    return undefined;
  }
}

/** The table as a code block, dropping rows from the end until it fits `budget` characters. */
function tableBlock(table: NonNullable<Reply['table']>, budget: number): string | undefined {
  const lines = formatTable(table).map(escapeCodeBlock);
  const whole = ['```', ...lines, '```'].join('\n');
  if (whole.length <= budget) return whole;
  // Fence, header, rule, "…" and fence, each with its newline; then rows while they fit.
  const [header, rule, ...rows] = lines;
  let size = 4 + header!.length + 1 + rule!.length + 1 + 2 + 3;
  let kept = 0;
  while (kept < rows.length && size + rows[kept]!.length + 1 <= budget) size += rows[kept++]!.length + 1;
  return size <= budget ? ['```', header, rule, ...rows.slice(0, kept), '…', '```'].join('\n') : undefined;
}

function description(reply: Reply, url: string | undefined, budget: number): string | undefined {
  const text = (reply.lines ?? []).map(escapeMarkdown).join('\n');
  const link = reply.link && url ? `[${escapeMarkdown(reply.link.label)}](${url})` : '';
  const fixed = [text, link].filter(Boolean).join('\n\n');
  const room = Math.max(0, budget - fixed.length - 4);
  const table = reply.table?.rows.length ? tableBlock(reply.table, room) : undefined;
  const parts = [text, table, link].filter((p): p is string => Boolean(p));
  return parts.length ? truncate(parts.join('\n\n'), budget) : undefined;
}

/** Fields as Discord takes them, as many as fit in `budget` characters. */
function fitFields(replyFields: NonNullable<Reply['fields']>, budget: number): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let used = 0;
  for (const f of replyFields.slice(0, LIMITS.fields)) {
    // Discord refuses empty names and values.
    const name = truncate(escapeMarkdown(f.name), LIMITS.fieldName) || '\u200b';
    const value = truncate(escapeMarkdown(f.value), LIMITS.fieldValue) || '\u200b';
    if (used + name.length + value.length > budget) break;
    used += name.length + value.length;
    fields.push({ name, value, inline: f.inline ?? false });
  }
  return fields;
}

function colour(reply: Reply): number {
  if (reply.kind === 'error') return ERROR_COLOUR;
  return reply.category ? categoryInfo(reply.category).colour : NEUTRAL_COLOUR;
}

/**
 * A reply as one Discord embed: title (linked to the source), paragraphs and the table in the
 * description, facts as fields, a colour per category, data freshness in the footer; its menu and
 * buttons as components under it.
 */
export function renderEmbed(reply: Reply): DiscordMessage {
  const url = reply.link ? safeUrl(reply.link.url) : undefined;
  const title = truncate(escapeMarkdown(reply.title), LIMITS.title);
  // The footer is not Markdown: shown as is.
  const footer = reply.freshness ? truncate(reply.freshness, LIMITS.footer) : undefined;
  const room = LIMITS.total - title.length - (footer?.length ?? 0);
  const wanted = description(reply, url, Math.min(LIMITS.description, room));
  // Fields give way only when the embed would pass Discord's total; then they keep at least half.
  const fields = fitFields(reply.fields ?? [], Math.max(room - (wanted?.length ?? 0), Math.floor(room / 2)));
  const used = fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const text = used + (wanted?.length ?? 0) <= room ? wanted : description(reply, url, Math.min(LIMITS.description, room - used));

  const embed: APIEmbed = { title, color: colour(reply) };
  if (url) embed.url = url;
  if (text) embed.description = text;
  if (fields.length) embed.fields = fields;
  if (footer) embed.footer = { text: footer };
  const message: DiscordMessage = { embeds: [embed], allowedMentions: { parse: [] } };
  if (reply.private || reply.kind === 'error') message.flags = MessageFlags.Ephemeral;
  const components = renderComponents(reply);
  if (components.length > 0) message.components = components;
  return message;
}

/** A public message with a chart: ephemeral ones (private answers, user errors) never carry one. */
export interface DiscordMessageWithChart extends Omit<DiscordMessage, 'flags'> {
  /** The PNG, uploaded with the message (multipart) and shown as the embed's image. */
  files: [{ attachment: Buffer; name: string }];
}

/** The message with a chart attached as `chart.png` and shown as its embed's image (`attachment://chart.png`). */
export function withChart(message: Omit<DiscordMessage, 'flags'>, png: Buffer): DiscordMessageWithChart {
  const [first, ...rest] = message.embeds;
  const embed: APIEmbed = { ...first, image: { url: `attachment://${CHART_FILE_NAME}` } };
  return { ...message, embeds: [embed, ...rest], files: [{ attachment: png, name: CHART_FILE_NAME }] };
}
