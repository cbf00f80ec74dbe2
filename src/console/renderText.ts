import { formatTable } from '../core/formatTable.js';
import type { Reply } from '../core/reply.js';

/** Feed and user text must not drive the terminal (escape sequences, bells). */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** A reply as plain terminal text. */
export function renderText(reply: Reply): string {
  const out: string[] = [clean(reply.title)];
  for (const line of reply.lines ?? []) out.push(clean(line));
  if (reply.fields?.length) {
    const nameWidth = Math.max(...reply.fields.map((f) => f.name.length));
    // A value of several lines (a breakdown) keeps its lines under one another, right of the names.
    const indent = ' '.repeat(nameWidth + 4);
    for (const field of reply.fields) {
      out.push(`  ${clean(field.name).padEnd(nameWidth)}  ${field.value.split('\n').map(clean).join(`\n${indent}`)}`);
    }
  }
  if (reply.table) out.push('', ...formatTable(reply.table).map((l) => `  ${clean(l)}`));
  if (reply.link) out.push(`${clean(reply.link.label)}: ${clean(reply.link.url)}`);
  if (reply.freshness) out.push(`— ${clean(reply.freshness)}`);
  return out.join('\n');
}
