import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The house rules of ../shared/design.md, checked on the imports themselves: data flows one way,
// platform libraries stay in their platform's folder, and only the composition root knows the
// platforms. A folder is a node (`src/feed`); a file at the top of src is a node of its own.

const ROOT = resolve(import.meta.dirname, '..');
/** The layers; any other folder of src is a platform, so a new platform is checked from its first file. */
const LAYERS = ['src/domain', 'src/lib', 'src/feed', 'src/core', 'src/storage', 'src/charts', 'src/alerts', 'src/commands', 'src/app'];
/** Where the bot is put together: the only places that may import a platform. */
const COMPOSITION_ROOT = ['src/main.ts', 'src/ask.ts', 'src/app'];
const PLATFORM_LIBRARIES: Record<string, RegExp> = {
  'src/telegram': /^(grammy|@grammyjs\/)/,
  'src/discord': /^(discord\.js|@discordjs\/)/,
};
/** Each storage engine's driver, and the folder it stays in; the folders only the composition root imports. */
const ENGINE_LIBRARIES: Record<string, RegExp> = {
  'src/storage/sqlite': /^better-sqlite3$/,
  'src/storage/postgres': /^pg(-pool)?$/,
};
const ENGINES = Object.keys(ENGINE_LIBRARIES);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/feed/x.ts` -> `src/feed`; `src/main.ts` -> itself; `commands/x.ts` -> `commands`. */
function nodeOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : file;
  return parts[0]!;
}

interface Import {
  from: string;
  /** A file of ours (relative to the root), or a package name. */
  to: string;
  local: boolean;
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) return { from: file, to: fileName, local: false };
    const target = relative(ROOT, resolve(ROOT, dirname(file), fileName)).replace(/\.js$/, '.ts');
    return { from: file, to: target, local: true };
  });
}

const files = [...sourceFiles('src'), ...sourceFiles('commands')];
const imports = files.flatMap(importsOf);
const local = imports.filter((i) => i.local);
const edges = new Map<string, Set<string>>();
for (const { from, to } of local) {
  const [a, b] = [nodeOf(from), nodeOf(to)];
  if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
}
const inside = (file: string, places: readonly string[]) => places.some((p) => file === p || file.startsWith(`${p}/`));
const isPlatform = (file: string) => file.startsWith('src/') && nodeOf(file) !== file && !LAYERS.includes(nodeOf(file));
const show = (list: readonly Import[]) => list.map((i) => `${i.from} -> ${i.to}`);

/** One cycle of the folder graph, as a path that returns to its start; undefined when there is none. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the import graph of src and commands', () => {
  it('reads the tree it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(local.length).toBeGreaterThan(100);
    const platforms = [...new Set(files.filter(isPlatform).map(nodeOf))].sort();
    expect(platforms).toEqual(['src/console', 'src/discord', 'src/telegram']);
  });

  it('has no cycle between folders', () => {
    expect(findCycle(edges)).toBeUndefined();
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', new Set(['b'])]]))).toBeUndefined();
  });

  it('keeps each platform library inside its platform folder', () => {
    const misplaced = imports.filter(
      (i) => !i.local && Object.entries(PLATFORM_LIBRARIES).some(([folder, library]) => library.test(i.to) && !inside(i.from, [folder])),
    );
    expect(show(misplaced)).toEqual([]);
  });

  it('lets only the composition root import a platform, and no platform another', () => {
    const wrong = local.filter((i) => isPlatform(i.to) && !inside(i.from, COMPOSITION_ROOT) && nodeOf(i.from) !== nodeOf(i.to));
    expect(show(wrong)).toEqual([]);
  });

  it('keeps each storage driver inside its engine folder, and lets only the composition root pick an engine', () => {
    const misplaced = imports.filter(
      (i) => !i.local && Object.entries(ENGINE_LIBRARIES).some(([folder, library]) => library.test(i.to) && !inside(i.from, [folder])),
    );
    expect(show(misplaced)).toEqual([]);
    const engineOf = (file: string) => ENGINES.find((engine) => inside(file, [engine]));
    const wrong = local.filter((i) => {
      const target = engineOf(i.to);
      return target !== undefined && engineOf(i.from) !== target && !inside(i.from, COMPOSITION_ROOT);
    });
    expect(show(wrong)).toEqual([]);
    // The check itself reads the engines it guards.
    expect(files.filter((file) => engineOf(file) !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  it('builds the domain on nothing of ours, and feed and core on the domain, not on each other', () => {
    const fromDomain = local.filter((i) => inside(i.from, ['src/domain']) && !inside(i.to, ['src/domain']));
    expect(show(fromDomain)).toEqual([]);
    const across = local.filter(
      (i) => (inside(i.from, ['src/feed']) && inside(i.to, ['src/core'])) || (inside(i.from, ['src/core']) && inside(i.to, ['src/feed'])),
    );
    expect(show(across)).toEqual([]);
  });
});
