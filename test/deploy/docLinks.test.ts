import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README and docs/ send readers to each other by relative links and #anchors: a heading renamed
// or a page moved would leave a link that leads nowhere, which no other check notices.

const ROOT = join(import.meta.dirname, '../..');
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** The text outside fenced code blocks, line by line (a `# comment` in a shell block is no heading). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const plain = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Every link target in a page's prose: `[text](target)`, inline code left out. */
function links(text: string): string[] {
  const targets: string[] = [];
  for (const line of prose(text)) {
    for (const [, target] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) targets.push(target!);
  }
  return targets;
}

describe('links between the README and docs/', () => {
  it.each(PAGES)('%s: every relative link leads to a file in the repository, and its #anchor to a heading there', (page) => {
    const broken: string[] = [];
    for (const target of links(read(page))) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), path);
      const inside = relative(ROOT, file);
      if (inside.startsWith(`..${sep}`) || inside === '..') broken.push(`${target}: outside the repository`);
      else if (!existsSync(file)) broken.push(`${target}: no such file`);
      else if (anchor !== undefined && !anchors(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it('reads anchors as GitHub makes them', () => {
    expect([...anchors('# Running 24/7\n## `GET /healthz`\n## Moving up\n## Moving up\n```sh\n# not a heading\n```\n')]).toEqual([
      'running-247',
      'get-healthz',
      'moving-up',
      'moving-up-1',
    ]);
  });

  it.each(PAGES.filter((page) => page.startsWith('docs/')))('%s opens with its title and a paragraph saying what it covers', (page) => {
    const [title, blank, summary] = read(page).split('\n');
    expect(title).toMatch(/^# \S/);
    expect(blank).toBe('');
    expect(summary).toMatch(/^[^#|`\-\s]/);
  });

  it('the README points to every page in docs/', () => {
    const readme = links(read('README.md'));
    for (const page of PAGES.filter((page) => page.startsWith('docs/'))) expect(readme).toContain(page);
  });
});
