import { describe, expect, it } from 'vitest';
import { safeUrl, safeUrls } from '../../src/lib/safeUrl.js';

describe('safeUrl', () => {
  it('keeps the origin and the path, not the user, password, query or fragment', () => {
    expect(safeUrl('https://user:pw@feed.example:8443/a/rounds.json?key=SECRET&x=1#top')).toBe('https://feed.example:8443/a/rounds.json');
    expect(safeUrl('https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json')).toBe(
      'https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json',
    );
    expect(safeUrl('postgres://eebot:secret@db.example:5432/eebot?sslmode=require')).toBe('postgres://db.example:5432/eebot');
  });

  it('shows nothing of what it cannot parse', () => {
    expect(safeUrl('not a url SECRET')).toBe('[unparsable URL]');
  });
});

describe('safeUrls', () => {
  it('cuts down every URL in a text, keeping the sentence around it', () => {
    expect(
      safeUrls(
        'could not fetch http://u:p@127.0.0.1:9/feed.json?key=S1: Request cannot be constructed from a URL that includes credentials: http://u:p@127.0.0.1:9/feed.json?key=S1.',
      ),
    ).toBe(
      'could not fetch http://127.0.0.1:9/feed.json: Request cannot be constructed from a URL that includes credentials: http://127.0.0.1:9/feed.json.',
    );
    expect(safeUrls('no address here')).toBe('no address here');
  });
});
