import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, FeedFetchError, fetchFeed } from '../../src/feed/fetchFeed.js';
import { USER_AGENT } from '../../src/feed/readSource.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

/** A local feed server on 127.0.0.1: each test sets `handler`; `requests` records what arrived. */
let server: Server;
let base = '';
let handler: Handler = (_req, res) => res.end('{}');
let requests: IncomingMessage[] = [];
const noSleep = async () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
});

async function failure(promise: Promise<unknown>): Promise<FeedFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedFetchError);
  return error as FeedFetchError;
}

describe('fetchFeed', () => {
  it('sends a descriptive User-Agent and returns the body with its validators', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"', 'last-modified': 'Fri, 07 Aug 2026 10:10:00 GMT' });
      res.end('{"rounds":[]}');
    };
    const result = await fetchFeed({ url: `${base}/feed.json` });
    expect(result).toEqual({ status: 'changed', body: '{"rounds":[]}', etag: '"v1"', lastModified: 'Fri, 07 Aug 2026 10:10:00 GMT' });
    expect(requests[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(requests[0]!.headers['if-none-match']).toBeUndefined();
  });

  it('asks conditionally and reports a 304 as unchanged', async () => {
    handler = (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"' }).end('{}');
    };
    const result = await fetchFeed({ url: `${base}/feed.json`, etag: '"v1"', lastModified: 'Fri, 07 Aug 2026 10:10:00 GMT' });
    expect(result).toEqual({ status: 'unchanged' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers['if-modified-since']).toBe('Fri, 07 Aug 2026 10:10:00 GMT');
  });

  it('retries a 5xx with jittered exponential back-off, then returns the body', async () => {
    handler = (_req, res, hit) => (hit < 3 ? res.writeHead(503).end('busy') : res.writeHead(200).end('{"ok":1}'));
    const delays: number[] = [];
    const result = await fetchFeed({
      url: `${base}/feed.json`,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(result).toMatchObject({ status: 'changed', body: '{"ok":1}' });
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([75, 150]); // cap 100 then 200, each drawn from [cap/2, cap]
  });

  it('gives up after the last retry with the status and the number of attempts', async () => {
    handler = (_req, res) => res.writeHead(500).end();
    const error = await failure(fetchFeed({ url: `${base}/feed.json`, retries: 2, sleep: noSleep }));
    expect(requests).toHaveLength(3);
    expect(error).toMatchObject({ retryable: true, httpStatus: 500 });
    expect(error.message).toMatch(/answered HTTP 500 .*\(3 attempts\)$/);
  });

  it('does not retry a 4xx', async () => {
    handler = (_req, res) => res.writeHead(404).end('not here');
    const error = await failure(fetchFeed({ url: `${base}/feed.json`, sleep: noSleep }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ retryable: false, httpStatus: 404 });
  });

  it('times out a server that never answers, and retries it', async () => {
    handler = () => {}; // never answers
    const started = Date.now();
    const error = await failure(fetchFeed({ url: `${base}/hang`, timeoutMs: 150, retries: 1, sleep: noSleep }));
    expect(error.message).toMatch(/did not answer within 150 ms \(2 attempts\)/);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a body that stalls half-way', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"rounds":[');
    };
    const error = await failure(fetchFeed({ url: `${base}/stall`, timeoutMs: 150, retries: 0 }));
    expect(error.message).toMatch(/did not answer within 150 ms/);
  });

  it('treats a connection cut mid-body as a network error and retries it', async () => {
    handler = (_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('{"rounds":[', () => res.socket?.destroy());
      } else res.writeHead(200).end('{"rounds":[]}');
    };
    const result = await fetchFeed({ url: `${base}/cut`, sleep: noSleep });
    expect(result).toMatchObject({ status: 'changed', body: '{"rounds":[]}' });
    expect(requests).toHaveLength(2);
  });

  it('reports a refused connection with its cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(fetchFeed({ url: `http://127.0.0.1:${port}/feed.json`, retries: 1, sleep: noSleep }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/could not fetch .*ECONNREFUSED.*\(2 attempts\)/);
  });

  it('refuses a body over maxBytes without retrying', async () => {
    handler = (_req, res) => res.writeHead(200).end('x'.repeat(5_000));
    const error = await failure(fetchFeed({ url: `${base}/big`, maxBytes: 1_000, sleep: noSleep }));
    expect(error.retryable).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('drops a UTF-8 byte order mark', async () => {
    handler = (_req, res) => res.writeHead(200).end(Buffer.from('\uFEFF{"a":"é"}', 'utf8'));
    expect(await fetchFeed({ url: `${base}/bom` })).toMatchObject({ body: '{"a":"é"}' });
  });

  it('stops retrying once its signal aborts', async () => {
    handler = (_req, res) => res.writeHead(503).end();
    const controller = new AbortController();
    const error = await failure(
      fetchFeed({
        url: `${base}/feed.json`,
        retries: 5,
        signal: controller.signal,
        sleep: async () => controller.abort(),
      }),
    );
    expect(error.message).toMatch(/cancelled/);
    expect(requests).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('doubles the cap per attempt up to the maximum and draws from its upper half', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1_000, 5_000, () => 0))).toEqual([500, 1_000, 2_000, 2_500, 2_500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1_000, 5_000, () => 0.999_999))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
