import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { escapeCodeBlock, escapeMarkdown } from '../../src/discord/escapeMarkdown.js';
import { ERROR_COLOUR, NEUTRAL_COLOUR, renderEmbed, withChart } from '../../src/discord/renderEmbed.js';

const URL_422 =
  'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=422';

describe('escapeMarkdown', () => {
  it('keeps plain text as it is', () => {
    expect(escapeMarkdown('Round #422 — Jun 25, 2026 (cut-off 475): 4,000 invited.')).toBe(
      'Round #422 — Jun 25, 2026 (cut-off 475): 4,000 invited.',
    );
  });

  it('neutralises emphasis, spoilers, code, links and mentions', () => {
    expect(escapeMarkdown('**bold** __u__ ~~s~~ ||spoiler|| `code` [x](https://e.vil) <@123> \\')).toBe(
      '\\*\\*bold\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\` \\[x\\](https://e.vil) \\<@123\\> \\\\',
    );
  });

  it('neutralises block syntax at the start of a line only', () => {
    expect(escapeMarkdown('# Heading\n> quote\n- item\n-# small\n1. first\nA # B - C')).toBe(
      '\\# Heading\n\\> quote\n\\- item\n\\-# small\n1\\. first\nA # B - C',
    );
  });

  it.each([
    ['a\r- b', 'a\r\\- b'],
    ['a \u2028 # b', 'a \u2028 \\# b'],
    ['x  - y', 'x  - y'],
    ['  1. a', '  1\\. a'],
    ['1. a', '1\\. a'],
    ['a 1. b', 'a 1. b'],
    ['a\n\n  12. b', 'a\n\n  12\\. b'],
    ['a\n\n## b', 'a\n\n\\## b'],
    ['#### b', '#### b'],
    ['a\r\n+ b\n-#x\n-# y', 'a\r\n\\+ b\n-#x\n\\-# y'],
  ])('finds line starts after any line break and past blank lines: %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it('finds a line start past a megabyte of blank lines', () => {
    const lines = '\n'.repeat(1_000_000);
    const blanks = ' \t'.repeat(500_000);
    expect(escapeMarkdown(`a${lines}- b`)).toBe(`a${lines}\\- b`);
    expect(escapeMarkdown(`a${lines}${blanks}12. b${lines}x`)).toBe(`a${lines}${blanks}12\\. b${lines}x`);
    // Blanks without a line break are no line start.
    expect(escapeMarkdown(`a${blanks}# b`)).toBe(`a${blanks}# b`);
    expect(escapeMarkdown(`${lines}1${'2'.repeat(1_000_000)}`)).toBe(`${lines}1${'2'.repeat(1_000_000)}`);
  });

  it('keeps a code block closed', () => {
    expect(escapeCodeBlock('a ``` b')).toBe('a ˋˋˋ b');
  });
});

describe('renderEmbed', () => {
  const answer: Reply = {
    kind: 'answer',
    title: 'Latest Healthcare and social services draw: #422',
    lines: ['Jun 25, 2026 — 153 days ago.'],
    fields: [
      { name: 'Round', value: '#422', inline: true },
      { name: 'Tie-break', value: 'none published' },
    ],
    link: { label: 'Round #422 on canada.ca', url: URL_422 },
    category: 'healthcare',
    freshness: 'IRCC data to round #434 (Aug 7, 2026)',
  };

  it('renders an answer as one public embed: title linked, colour of the category, footer with freshness', () => {
    expect(renderEmbed(answer)).toEqual({
      embeds: [
        {
          title: 'Latest Healthcare and social services draw: #422',
          url: URL_422,
          color: 0x2ecc71,
          description: `Jun 25, 2026 — 153 days ago.\n\n[Round #422 on canada.ca](${URL_422})`,
          fields: [
            { name: 'Round', value: '#422', inline: true },
            { name: 'Tie-break', value: 'none published', inline: false },
          ],
          footer: { text: 'IRCC data to round #434 (Aug 7, 2026)' },
        },
      ],
      allowedMentions: { parse: [] },
    });
  });

  it('makes user errors and private replies ephemeral', () => {
    const error = renderEmbed({ kind: 'error', title: 'Not quite', lines: ['Unknown category "x".'], private: true, freshness: 'f' });
    expect(error.flags).toBe(64);
    expect(error.embeds[0]!.color).toBe(ERROR_COLOUR);
    expect(renderEmbed({ kind: 'answer', title: 'Help', private: true }).flags).toBe(64);
    expect(renderEmbed({ kind: 'answer', title: 'About' })).toEqual({
      embeds: [{ title: 'About', color: NEUTRAL_COLOUR }],
      allowedMentions: { parse: [] },
    });
  });

  it('puts the table in a code block between the paragraphs and the link', () => {
    const { embeds } = renderEmbed({
      kind: 'answer',
      title: 'Last 2 cec draws',
      lines: ['Two rows.'],
      table: {
        columns: ['Round', 'CRS'],
        rows: [
          ['#432', '516'],
          ['#428', '516'],
        ],
        align: ['left', 'right'],
      },
    });
    expect(embeds[0]!.description).toBe('Two rows.\n\n```\nRound  CRS\n-----  ---\n#432   516\n#428   516\n```');
  });

  it('escapes feed and user text but not the footer, which Discord shows as is', () => {
    const { embeds } = renderEmbed({
      kind: 'error',
      title: 'Not *quite*',
      lines: ['Unknown category "**@everyone** <@1>" — did you mean cec?'],
      fields: [{ name: 'x_y', value: '' }],
      freshness: 'IRCC data to round #434 (Aug_7)',
    });
    expect(embeds[0]).toMatchObject({
      title: 'Not \\*quite\\*',
      description: 'Unknown category "\\*\\*@everyone\\*\\* \\<@1\\>" — did you mean cec?',
      fields: [{ name: 'x\\_y', value: '\u200b', inline: false }],
      footer: { text: 'IRCC data to round #434 (Aug_7)' },
    });
  });

  it('drops a link that is not http(s), which Discord would reject with the whole reply', () => {
    const { embeds } = renderEmbed({ kind: 'answer', title: 'T', link: { label: 'bad', url: 'javascript:alert(1)' } });
    expect(embeds[0]).toEqual({ title: 'T', color: NEUTRAL_COLOUR });
  });

  it('stays within Discord limits, shortening a huge table row by row', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`2026-01-${String(i).padStart(2, '0')}`, `#${i}`, 'x'.repeat(20)]);
    const { embeds } = renderEmbed({
      kind: 'answer',
      title: 'T'.repeat(300),
      lines: ['Lots of rows.'],
      table: { columns: ['Date', 'Round', 'Note'], rows },
      link: { label: 'Source', url: 'https://example.org/a(b)' },
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(2000) })),
      freshness: 'fresh',
    });
    const embed = embeds[0]!;
    expect(embed.title!.length).toBe(256);
    expect(embed.fields!.length).toBeGreaterThan(0);
    for (const f of embed.fields!) expect(f.value.length).toBeLessThanOrEqual(1024);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    const total =
      embed.title!.length +
      embed.description!.length +
      embed.footer!.text.length +
      embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(embed.url).toBe('https://example.org/a%28b%29');
  });

  it('sends at most 25 fields', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: String(i), inline: true }));
    expect(renderEmbed({ kind: 'answer', title: 'T', fields }).embeds[0]!.fields).toHaveLength(25);
  });

  it('keeps the link and as many rows as fit when only the table is too long', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`#${i}`, 'x'.repeat(20)]);
    const { embeds } = renderEmbed({
      kind: 'answer',
      title: 'T',
      lines: ['Rows.'],
      table: { columns: ['Round', 'Note'], rows },
      link: { label: 'Source', url: 'https://example.org/' },
    });
    const description = embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description).toMatch(/^Rows\.\n\n```\nRound {2}Note\n/);
    expect(description).toMatch(/\n…\n```\n\n\[Source\]\(https:\/\/example\.org\/\)$/);
  });
});

describe('withChart', () => {
  it('attaches the PNG as chart.png and shows it as the embed image, leaving the rest as it was', () => {
    const message = renderEmbed({ kind: 'answer', title: 'Last 3 cec draws', lines: ['Rows.'], category: 'cec' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const charted = withChart(message, png);
    expect(charted).toEqual({
      embeds: [{ ...message.embeds[0], image: { url: 'attachment://chart.png' } }],
      allowedMentions: { parse: [] },
      files: [{ attachment: png, name: 'chart.png' }],
    });
    expect(message.embeds[0]!.image).toBeUndefined();
  });
});
