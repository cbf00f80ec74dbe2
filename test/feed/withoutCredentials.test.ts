import { describe, expect, it } from 'vitest';
import { withoutCredentials } from '../../src/feed/withoutCredentials.js';

describe('withoutCredentials', () => {
  it('moves a user and password into a Basic authorization header, keeping the query', () => {
    expect(withoutCredentials('https://us%40er:p%3Aw@feed.example/rounds.json?key=K')).toEqual({
      url: 'https://feed.example/rounds.json?key=K',
      authorization: `Basic ${Buffer.from('us@er:p:w').toString('base64')}`,
    });
  });

  it('leaves a URL without credentials, or one it cannot parse, as it is', () => {
    expect(withoutCredentials('https://feed.example/rounds.json?key=K')).toEqual({ url: 'https://feed.example/rounds.json?key=K' });
    expect(withoutCredentials('nonsense')).toEqual({ url: 'nonsense' });
  });
});
