import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetSchema } from '../../src/domain/drawSchema.js';
import { formatDataset, readDataset, writeDataset } from '../../src/feed/datasetFile.js';
import { datasetJsonSchema } from '../../src/feed/writeSchema.js';
import { makeDraw } from '../fixtures/draws.js';

/** What writeDataset asks of the disk, in order; and an error a folder's fsync fails with, on demand. */
const disk = vi.hoisted(() => ({ calls: [] as string[], folderSyncError: undefined as string | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const { basename } = await import('node:path');
  const name = (path: unknown) => (String(path).endsWith('.tmp') ? 'temp' : basename(String(path)));
  const open: typeof fs.open = async (path, ...rest) => {
    const handle = await fs.open(path, ...rest);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      disk.calls.push(`fsync ${name(path)}`);
      const isFolder = (await handle.stat()).isDirectory();
      if (isFolder && disk.folderSyncError)
        throw Object.assign(new Error(`${disk.folderSyncError}: fsync`), { code: disk.folderSyncError });
      return sync();
    };
    return handle;
  };
  const rename: typeof fs.rename = async (from, to) => {
    disk.calls.push(`rename ${name(from)} -> ${name(to)}`);
    return fs.rename(from, to);
  };
  return { ...fs, default: { ...fs, open, rename }, open, rename };
});

const temp = mkdtempSync(join(tmpdir(), 'ee-dataset-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
beforeEach(() => {
  disk.calls = [];
  disk.folderSyncError = undefined;
});
const dataset = { source: 'test', generatedAt: '2026-08-07T12:00:00Z', draws: [makeDraw({ round: '434', date: '2026-08-07' })] };

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

describe('writeDataset', () => {
  it('flushes the temporary file before the rename and the folder after it', async () => {
    const folder = join(temp, 'var');
    await writeDataset(join(folder, 'draws.json'), dataset);
    expect(disk.calls).toEqual(['fsync temp', 'rename temp -> draws.json', 'fsync var']);
    expect(await readDataset(join(folder, 'draws.json'))).toEqual(dataset);
  });

  it.each(['EISDIR', 'EINVAL'])('writes where a folder cannot be flushed (%s)', async (code) => {
    disk.folderSyncError = code;
    await writeDataset(join(temp, 'draws.json'), dataset);
    expect(await readDataset(join(temp, 'draws.json'))).toEqual(dataset);
  });

  it('fails when flushing the folder fails otherwise (EIO)', async () => {
    disk.folderSyncError = 'EIO';
    const folder = join(temp, 'eio');
    await expect(writeDataset(join(folder, 'draws.json'), dataset)).rejects.toThrow('EIO');
    expect(await readdir(folder)).toEqual(['draws.json']);
  });
});

describe('readDataset', () => {
  it.each([
    ['', 'is empty'],
    ['{"source": "x", "draws": [', 'is not valid JSON'],
    ['[1, 2]', 'is not a dataset of draws'],
  ])('names a file that is not a dataset (%j)', async (content, reason) => {
    const path = join(temp, 'bad.json');
    await writeFile(path, content);
    await expect(readDataset(path, { trusted: true })).rejects.toThrow(`${path} ${reason}`);
    await expect(readDataset(path)).rejects.toThrow(path);
  });
});
