import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedFetchError, fetchFeed } from '../../src/feed/fetchFeed.js';
import { readSource } from '../../src/feed/readSource.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A feed on 127.0.0.1 answering `status`; the URL given carries a key and a user and password. */
async function feed(status: number) {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    res.writeHead(status).end(status === 200 ? '{"rounds":[]}' : '');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { requests, origin, url: `http://reader:S3CRET-pw@${origin.slice(7)}/feed.json?key=S3CRET-key` };
}

const basic = `Basic ${Buffer.from('reader:S3CRET-pw').toString('base64')}`;

describe('a feed URL with a key and credentials', () => {
  it('is fetched with its query and as Basic auth (fetch refuses credentials in a URL)', async () => {
    const { requests, url } = await feed(200);
    expect(await fetchFeed({ url })).toMatchObject({ status: 'changed', body: '{"rounds":[]}' });
    expect(requests[0]!.url).toBe('/feed.json?key=S3CRET-key');
    expect(requests[0]!.headers.authorization).toBe(basic);
    expect(await readSource(url)).toBe('{"rounds":[]}');
    expect(requests[1]!.headers.authorization).toBe(basic);
  });

  it('is named without them in the errors, which are logged', async () => {
    const { origin, url } = await feed(404);
    const error = await fetchFeed({ url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedFetchError);
    expect((error as Error).message).toBe(`${origin}/feed.json answered HTTP 404 Not Found`);
    await expect(readSource(url)).rejects.toThrow(`${origin}/feed.json answered HTTP 404`);

    const unreachable = `http://reader:S3CRET-pw@127.0.0.1:1/feed.json?key=S3CRET-key`;
    const refused = await fetchFeed({ url: unreachable, retries: 0 }).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/^could not fetch http:\/\/127\.0\.0\.1:1\/feed\.json: /);
    expect((refused as Error).message).not.toContain('S3CRET');
  });
});
