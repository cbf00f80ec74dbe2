import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/log.js';
import type { HealthReport } from './checkHealth.js';
import type { Metrics } from './createMetrics.js';

/** Answers a request when it is one of its paths (true), or leaves it to the caller (false). */
export type HttpRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * GET (or HEAD) /healthz: 200 with the health report as JSON when healthy, 503 when not; GET
 * /metrics: Prometheus' text format. Any other request is left to the caller.
 */
export function healthRoutes(health: () => HealthReport, metrics: Metrics, log: Logger): HttpRoutes {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      const report = health();
      const body = `${JSON.stringify(report)}\n`;
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (path === '/metrics') {
      metrics.scrape().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => {
          log.error({ err: error }, 'collecting the metrics failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('collecting the metrics failed\n');
        },
      );
      return true;
    }
    return false;
  };
}

export interface HealthServer {
  /** The port it listens on (the one asked for, or the one picked for 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * An HTTP server for `routes` alone (404 for anything else) on HEALTH_HOST:HEALTH_PORT. A port it
 * cannot listen on (in use, not allowed) fails with one line naming HEALTH_PORT and the cause.
 */
export async function startHealthServer(routes: HttpRoutes, address: { port: number; host: string }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (!routes(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  // A scrape is short; a client keeping its connection open must not hold up stop().
  server.keepAliveTimeout = 5_000;
  server.listen(address.port, address.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    // "listen EADDRINUSE: address already in use 0.0.0.0:9090"
    throw new Error(
      `HEALTH_PORT: cannot listen on ${address.host}:${address.port} (check HEALTH_PORT and HEALTH_HOST): ${(error as Error).message}`,
    );
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
