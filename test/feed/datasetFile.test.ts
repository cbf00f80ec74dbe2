import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { datasetSchema } from '../../src/domain/drawSchema.js';
import { formatDataset, readDataset } from '../../src/feed/datasetFile.js';
import { datasetJsonSchema } from '../../src/feed/writeSchema.js';

describe('the committed dataset files', () => {
  it('data/draws.schema.json is what the zod schema generates (run npm run schema after changing it)', async () => {
    expect(await readFile('data/draws.schema.json', 'utf8')).toBe(datasetJsonSchema());
  });

  it('data/draws.json validates, is newest first and is formatted as the importer writes it', async () => {
    const text = await readFile('data/draws.json', 'utf8');
    const dataset = datasetSchema.parse(JSON.parse(text));
    expect(formatDataset(dataset)).toBe(text);
    const dates = dataset.draws.map((d) => d.date);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('reads a missing file as undefined', async () => {
    expect(await readDataset('data/no-such-file.json')).toBeUndefined();
  });
});
