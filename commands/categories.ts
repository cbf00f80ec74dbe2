import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { categorySummaries } from '../src/core/categorySummaries.js';

export const categories = defineCommand({
  name: 'categories',
  description: 'Every draw category with its latest draw',
  options: z.strictObject({}),
  examples: ['/categories'],
  run(_input, { data }) {
    const summaries = categorySummaries(data);
    return {
      kind: 'answer',
      title: 'Draw categories',
      lines: ['Use the word in the first column with /latest, /check, /history or /stats, e.g. /latest healthcare.'],
      table: {
        columns: ['Category', 'Latest', 'Round', 'CRS', 'Draws'],
        rows: summaries.map((s) => [s.category.slug, s.latest.date, `#${s.latest.round}`, String(s.latest.crs), String(s.draws)]),
        align: ['left', 'left', 'right', 'right', 'right'],
      },
    };
  },
});
