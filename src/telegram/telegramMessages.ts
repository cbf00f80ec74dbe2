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
  const pieces = lines.flatMap((line) => splitToFit(cleanText(line), (part) => part, pieceBudget(limit)).map((html): Piece => ({ html, gap: '\n' })));
  return packChunks(pieces, limit).map((text) => ({ text }));
}
