import { readdir } from 'node:fs/promises';
import { arch, cpus, totalmem } from 'node:os';

/**
 * `npm run bench [name]`: runs every bench/*.bench.ts (or those whose name contains `name`) and
 * prints their figures as Markdown, ready for BENCHMARKS.md.
 */
const filter = process.argv[2];
const files = (await readdir(new URL('.', import.meta.url)))
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
console.log(
  `# ${new Date().toISOString().slice(0, 10)} — ${cpus().length} × ${cpus()[0]?.model ?? arch()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
for (const file of files) {
  const bench = (await import(`./${file}`)) as { default: () => Promise<string[]> };
  console.log(`## ${file.replace('.bench.ts', '')}\n`);
  console.log((await bench.default()).join('\n'), '\n');
}
