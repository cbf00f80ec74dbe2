import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A load balancer in front of the instances: each request goes to the next one in turn (1, 2, 1,
 * 2…), method, headers and body as they came; `routed` counts the requests each got.
 */
export async function roundRobin(ports: readonly number[]): Promise<{ port: number; routed: number[]; close(): Promise<void> }> {
  let next = 0;
  const routed = ports.map(() => 0);
  const server: Server = createServer((req, res) => {
    const target = next++ % ports.length;
    routed[target]!++;
    const upstream = request(
      { host: '127.0.0.1', port: ports[target], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    routed,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
