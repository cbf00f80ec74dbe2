import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { datasetSchema } from '../domain/drawSchema.js';

/** The dataset's JSON Schema, generated from the zod schema so the two can never disagree. */
export function datasetJsonSchema(): string {
  const schema = z.toJSONSchema(datasetSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Express Entry draws dataset (data/draws.json)' }, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile('data/draws.schema.json', datasetJsonSchema());
  console.log('wrote data/draws.schema.json');
}
