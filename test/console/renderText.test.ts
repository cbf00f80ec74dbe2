import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/console/renderText.js';

describe('renderText', () => {
  it('renders title, lines, fields, table, link and freshness', () => {
    const text = renderText({
      kind: 'answer',
      title: 'Title',
      lines: ['First line.'],
      fields: [
        { name: 'CRS', value: '475' },
        { name: 'Invitations', value: '4,000' },
      ],
      table: { columns: ['Date', 'CRS'], rows: [['2026-06-25', '475']], align: ['left', 'right'] },
      link: { label: 'Round #422', url: 'https://www.canada.ca/x' },
      freshness: 'IRCC data to round #434 (Aug 7, 2026)',
    });
    expect(text).toBe(
      [
        'Title',
        'First line.',
        '  CRS          475',
        '  Invitations  4,000',
        '',
        '  Date        CRS',
        '  ----------  ---',
        '  2026-06-25  475',
        'Round #422: https://www.canada.ca/x',
        '— IRCC data to round #434 (Aug 7, 2026)',
      ].join('\n'),
    );
  });

  it('strips control characters from feed and user text', () => {
    expect(renderText({ kind: 'error', title: 'x\u001b[31m', lines: ['a\u0007b'] })).toBe('x[31m\nab');
  });
});
