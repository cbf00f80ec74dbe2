import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Reply } from '../../src/core/reply.js';
import { MESSAGE_LIMIT, packChunks, splitToFit } from '../../src/telegram/packChunks.js';
import { escapeHtml, renderHtml } from '../../src/telegram/renderHtml.js';
import { telegramMenu } from '../../src/telegram/telegramMenu.js';
import { CAPTION_LIMIT, chartCaption, telegramMessages, visibleLength } from '../../src/telegram/telegramMessages.js';

/** Throws unless `html` is what Telegram's HTML parser accepts from us: balanced known tags, known entities only. */
function assertWellFormed(html: string): void {
  const stack: string[] = [];
  const text = html.replace(/<(\/?)(b|i|pre|a)(?: href="[^"<>]*")?>/g, (_tag, close: string, name: string) => {
    if (close) expect(stack.pop(), `closing </${name}> in ${html.slice(0, 80)}`).toBe(name);
    else {
      expect(stack.includes(name), `nested <${name}>`).toBe(false);
      stack.push(name);
    }
    return '';
  });
  expect(stack, 'unclosed tags').toEqual([]);
  expect(text).not.toMatch(/[<>]/);
  expect(text.replace(/&(amp|lt|gt|quot);/g, '')).not.toContain('&');
  // A surrogate pair cut in two would be invalid UTF-8 on the wire.
  expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('renderHtml', () => {
  it('escapes every string that came from users or the feed, wherever it appears', () => {
    const reply: Reply = {
      kind: 'answer',
      title: 'Round <b>#1</b> & "more"',
      lines: ['a < b > c', 'bell\u0007 gone'],
      fields: [{ name: 'Name <i>', value: 'x & y' }],
      table: { columns: ['<col>'], rows: [['a&b']] },
      link: { label: 'page <a>', url: 'https://example.ca/x?a=1&b="2"' },
      freshness: 'IRCC data to round #434 (Aug 7, 2026)',
    };
    expect(renderHtml(reply)).toEqual([
      [
        '<b>Round &lt;b&gt;#1&lt;/b&gt; &amp; &quot;more&quot;</b>',
        'a &lt; b &gt; c',
        'bell gone',
        '',
        '<b>Name &lt;i&gt;:</b> x &amp; y',
        '',
        '<pre>&lt;col&gt;',
        '-----',
        'a&amp;b</pre>',
        '',
        '<a href="https://example.ca/x?a=1&amp;b=&quot;2&quot;">page &lt;a&gt;</a>',
        '<i>IRCC data to round #434 (Aug 7, 2026)</i>',
      ].join('\n'),
    ]);
  });

  it('puts a value of several lines under its name, apart from the fields around it', () => {
    const reply: Reply = {
      kind: 'answer',
      title: 'Your CRS score: 469',
      fields: [
        { name: 'Core', value: 'Age 29: 110\nEducation: 135' },
        { name: 'Additional', value: 'nothing yet' },
        { name: 'Spouse', value: 'none' },
      ],
    };
    expect(renderHtml(reply)[0]).toBe(
      '<b>Your CRS score: 469</b>\n\n<b>Core</b>\nAge 29: 110\nEducation: 135\n\n<b>Additional:</b> nothing yet\n<b>Spouse:</b> none',
    );
  });

  it('shows a link that is not a web address as text, not as an anchor', () => {
    const [html] = renderHtml({ kind: 'answer', title: 'T', link: { label: 'Round', url: 'javascript:alert(1)' } });
    expect(html).toBe('<b>T</b>\n\nRound: javascript:alert(1)');
  });

  it('splits a long table into messages of at most 4096 characters, each a closed <pre>, rows in order', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [
      `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      `#${i} <&>`,
      'healthcare',
      String(400 + (i % 100)),
    ]);
    const reply: Reply = {
      kind: 'answer',
      title: 'Last 400 draws',
      lines: ['Long & winding'],
      table: { columns: ['Date', 'Round', 'Category', 'CRS'], rows, align: ['left', 'right', 'left', 'right'] },
      freshness: 'IRCC data to round #434 (Aug 7, 2026)',
    };
    const chunks = renderHtml(reply);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      assertWellFormed(chunk);
    }
    expect(chunks.slice(1, -1).every((c) => c.startsWith('<pre>') && c.endsWith('</pre>'))).toBe(true);
    const seen = chunks.flatMap((c) => decode(c).split('\n')).filter((l) => /#\d+ <&>/.test(l));
    expect(seen).toHaveLength(400);
    expect(seen.map((l) => /#(\d+)/.exec(l)![1])).toEqual(rows.map((_, i) => String(i)));
    expect(chunks.at(-1)!.endsWith('<i>IRCC data to round #434 (Aug 7, 2026)</i>')).toBe(true);
  });

  it('cuts an over-long paragraph between words, never inside an entity or a character', () => {
    const word = 'A&B<C>🍁 ';
    const reply: Reply = { kind: 'answer', title: 'Big', lines: [word.repeat(2000)] };
    const chunks = renderHtml(reply);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      assertWellFormed(chunk);
    }
    // Nothing is lost but the spaces the cuts fell on.
    expect(
      chunks
        .map(decode)
        .join(' ')
        .replace(/^Big\n/, '')
        .split(/\s+/)
        .filter(Boolean),
    ).toHaveLength(2000);
  });

  it('never exceeds a small limit either, whatever the content', () => {
    const reply: Reply = {
      kind: 'answer',
      title: 'x'.repeat(150),
      lines: ['&'.repeat(300), '🍁'.repeat(200)],
      fields: [{ name: 'Field', value: '"'.repeat(120) }],
      table: { columns: ['c'], rows: Array.from({ length: 30 }, () => ['<'.repeat(40)]) },
      link: { label: 'L', url: 'https://example.ca/' },
      freshness: 'fresh',
    };
    for (const chunk of renderHtml(reply, 120)) {
      expect(chunk.length).toBeLessThanOrEqual(120);
      assertWellFormed(chunk);
    }
  });
});

describe('packChunks and splitToFit', () => {
  it('keeps short content in one message and drops the gap at a message start', () => {
    expect(
      packChunks(
        [
          { html: 'a', gap: '\n' },
          { html: 'b', gap: '\n\n' },
        ],
        20,
      ),
    ).toEqual(['a\n\nb']);
    expect(
      packChunks(
        [
          { html: 'a'.repeat(15), gap: '\n' },
          { html: 'b'.repeat(15), gap: '\n\n' },
        ],
        30,
      ),
    ).toEqual(['a'.repeat(15), 'b'.repeat(15)]);
  });

  it('reopens a monospace block in the next message', () => {
    const pieces = ['r1', 'r2', 'r3'].map((html, i) => ({ html, gap: i === 0 ? ('\n\n' as const) : ('\n' as const), pre: true }));
    expect(packChunks(pieces, 16)).toEqual(['<pre>r1\nr2</pre>', '<pre>r3</pre>']);
  });

  it('prefers a space to a hard cut', () => {
    expect(splitToFit('hello world again', (p) => p, 12)).toEqual(['hello world', 'again']);
    expect(splitToFit('abcdefghij', (p) => p, 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('cuts a megabyte exactly where it did', () => {
    // 1,000,002 characters: each part keeps 4,089 and drops the blank it was cut at.
    const blanks = splitToFit(`a${' '.repeat(1_000_000)}b`, (p) => p, 4090);
    expect(blanks).toEqual([`a${' '.repeat(4088)}`, ...Array<string>(243).fill(' '.repeat(4089)), `${' '.repeat(2041)}b`]);
    // Escaping grows "&" fivefold: 815 fit in <b></b> within 4,086.
    const amps = splitToFit('&'.repeat(1_000_000), (p) => `<b>${escapeHtml(p)}</b>`, 4086);
    expect(amps).toEqual([...Array<string>(1226).fill('&'.repeat(815)), '&'.repeat(810)]);
    // Characters that render to nothing: the window grows until the rendering overflows.
    const controls = '\u0001'.repeat(20_000);
    expect(splitToFit(`${controls}ab${controls}cd`, (p) => escapeHtml(p), 3)).toEqual([`${controls}ab${controls}c`, 'd']);
  });
});

describe('telegramMessages', () => {
  it('sends a user error as its sentences only, plain, with nothing parsed', () => {
    const reply: Reply = {
      kind: 'error',
      title: 'Not quite',
      lines: ['Unknown category "<b>"; for example: /latest healthcare'],
      freshness: 'IRCC data',
    };
    expect(telegramMessages(reply)).toEqual([{ text: 'Unknown category "<b>"; for example: /latest healthcare' }]);
  });

  it('sends an answer as HTML', () => {
    expect(telegramMessages({ kind: 'answer', title: 'A & B' })).toEqual([{ text: '<b>A &amp; B</b>', parseMode: 'HTML' }]);
  });

  it('escapes the four characters Telegram reads and nothing else', () => {
    expect(escapeHtml(`<a href="x">&'é🍁</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;'é🍁&lt;/a&gt;");
  });
});

describe('chart captions', () => {
  const chart = { title: 'Chart', points: [{ date: '2026-06-25', crs: 475, round: '422' }] };

  it('counts what Telegram counts: the text without tags, an entity as one character, no link URL', () => {
    expect(visibleLength('<b>A &amp; B</b>\n<a href="https://example.org/a?b=1&amp;c=2">Source</a> &lt;&gt;&quot;')).toBe(
      'A & B\nSource <>"'.length,
    );
    expect(visibleLength('<pre>x</pre>')).toBe(1);
  });

  it('takes a one-message HTML answer whose text fits a caption', () => {
    const reply: Reply = { kind: 'answer', title: 'T', lines: ['x'.repeat(CAPTION_LIMIT - 2)], chart };
    const messages = telegramMessages(reply);
    expect(visibleLength(messages[0]!.text)).toBe(CAPTION_LIMIT);
    expect(chartCaption(messages)).toEqual(messages[0]);
  });

  it('leaves a longer answer, one of several messages, or plain text to go as messages', () => {
    expect(chartCaption(telegramMessages({ kind: 'answer', title: 'T', lines: ['x'.repeat(CAPTION_LIMIT - 1)], chart }))).toBeUndefined();
    expect(chartCaption(telegramMessages({ kind: 'answer', title: 'T', lines: ['x'.repeat(5000)], chart }))).toBeUndefined();
    expect(chartCaption(telegramMessages({ kind: 'error', title: 'Not quite', lines: ['Short.'] }))).toBeUndefined();
  });
});

describe('telegramMenu', () => {
  it('lists every command of the registry, in order, with its description', () => {
    const menu = telegramMenu(commands);
    expect(menu.map((c) => c.command)).toEqual(commands.map((c) => c.name));
    expect(menu.map((c) => c.description)).toEqual(commands.map((c) => c.description));
    expect(menu.map((c) => c.command)).toEqual(
      expect.arrayContaining(['latest', 'check', 'history', 'stats', 'draw', 'pool', 'categories', 'help', 'about']),
    );
  });

  it('refuses a name Telegram would reject', () => {
    expect(() => telegramMenu([{ ...commands[0]!, name: 'Latest-Draw' }])).toThrow(/not allowed by Telegram/);
  });
});
