import type { ReplyTable } from '../core/reply.js';

/** Terminal columns a string takes; wide enough for our tables (no East Asian wide text). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** A table as monospace lines: header, rule, rows; columns padded to their widest cell. */
export function formatTable(table: ReplyTable): string[] {
  const widths = table.columns.map((c, i) => Math.max(width(c), ...table.rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i]!, table.align?.[i] ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(table.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)];
}
