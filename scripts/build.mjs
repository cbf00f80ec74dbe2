// `npm run build`: bundles each entry point of the bot into dist/ with esbuild, so that production
// runs plain `node` with no devDependency (tsx, TypeScript) installed. `--if-stale` (npm start's
// prestart, and `prepare` on npm install) builds only when a source is newer than the last build,
// and quietly does nothing where esbuild is not installed (a production install), as long as a
// build is there.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');

/** dist/<name>.js from each source; the chart thread is loaded by the others as ./chartThread.js. */
const ENTRIES = {
  main: 'src/main.ts',
  sync: 'src/feed/syncCli.ts',
  register: 'src/discord/registerCli.ts',
  backup: 'src/app/backupCli.ts',
  copy: 'src/app/copyCli.ts',
  chartThread: 'src/charts/chartThread.ts',
};

function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['src', 'commands', 'package.json', 'scripts/build.mjs']) visit(join(ROOT, path));
  return newest;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()) process.exit(0);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (ifStale && existsSync(STAMP)) process.exit(0); // a production install: the build it came with
  console.error(
    'dist/ is missing or older than src/, and esbuild is not installed: run `npm ci && npm run build` (then `npm prune --omit=dev`).',
  );
  // On `npm install --omit=dev` (prepare) this is a note, not a failure; `npm start` stops on it.
  process.exit(process.env.npm_lifecycle_event === 'prepare' ? 0 : 1);
}

const started = performance.now();
// From scratch: a file an earlier build wrote must not outlive its source.
rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST, { recursive: true });
await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).filter(([, source]) => existsSync(join(ROOT, source)))),
  outdir: DIST,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // npm packages load from node_modules at run time: native ones must, and the rest stay as their
  // authors published them.
  packages: 'external',
  // Shared code and what is imported lazily go in chunks: a SQLite bot never loads the pg driver.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// `npm run ask` is a cold start each time: its pure-JS packages are bundled in and minified (fewer
// files to find and compile), and a two-line launcher turns on Node's compile cache (Node 22+)
// before loading it. See BENCHMARKS.md, cold start.
await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { askMain: 'src/ask.ts' },
  outdir: DIST,
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['pino', 'better-sqlite3', '@napi-rs/canvas'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
writeFileSync(join(DIST, 'ask.js'), "import module from 'node:module';\nmodule.enableCompileCache?.();\nawait import('./askMain.js');\n");
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
if (!ifStale || process.stdout.isTTY) console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
