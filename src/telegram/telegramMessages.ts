import type { Reply } from '../core/reply.js';
import { MESSAGE_LIMIT, type Piece, packChunks, pieceBudget, splitToFit } from './packChunks.js';
import { cleanText, renderHtml } from './renderHtml.js';

export interface TelegramMessage {
  text: string;
  /** Unset: plain text, nothing in it is parsed. */
  parseMode?: 'HTML';
}

/**
 * The messages that carry a reply, in order. An answer is formatted HTML; a user error is a short
 * plain message — just its sentences, which name the mistake and give an example — so nothing a
 * user typed, quoted back in the error, can be read as markup.
 */
export function telegramMessages(reply: Reply, limit = MESSAGE_LIMIT): TelegramMessage[] {
  if (reply.kind === 'answer') return renderHtml(reply, limit).map((text) => ({ text, parseMode: 'HTML' }));
  const lines = reply.lines?.length ? reply.lines : [reply.title];
  const pieces = lines.flatMap((line) =>
    splitToFit(cleanText(line), (part) => part, pieceBudget(limit)).map((html): Piece => ({ html, gap: '\n' })),
  );
  return packChunks(pieces, limit).map((text) => ({ text }));
}

/** Telegram refuses longer photo captions: 1,024 characters of text once the HTML is parsed. */
export const CAPTION_LIMIT = 1024;

/**
 * The text Telegram is left with once it has parsed a message's HTML — tags gone, each entity one
 * character — counted in UTF-16 units, never fewer than Telegram counts. Link URLs live in the
 * entities, not the text, so a long canada.ca link costs only its label.
 */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot);/g, '&').length;
}

/**
 * The caption a reply's chart can carry: the whole answer when it is one HTML message short enough
 * for a photo caption; otherwise undefined, and the text goes first, as messages, then the photo.
 */
export function chartCaption(messages: readonly TelegramMessage[]): TelegramMessage | undefined {
  const [only] = messages;
  return messages.length === 1 && only?.parseMode === 'HTML' && visibleLength(only.text) <= CAPTION_LIMIT ? only : undefined;
}
