import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChartThread } from '../../src/charts/createChartThread.js';

/**
 * A feed server on 127.0.0.1: "not modified" (a successful poll, nothing new) until a test hands it
 * a body, or a body the importer refuses (a failed poll).
 */
export async function feedServer() {
  let answer: { status: number; body?: string } = { status: 304 };
  const server: Server = createServer((_req, res) => {
    if (answer.body === undefined) res.writeHead(answer.status).end();
    else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ee_rounds_123_en.json`,
    unchanged: () => {
      answer = { status: 304 };
    },
    serve: (body: string) => {
      answer = { status: 200, body };
    },
    /** An HTML error page with a 200: the importer refuses it at once, without retries. */
    refuse: () => {
      answer = { status: 200, body: '<html><body>Service unavailable</body></html>' };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A chart thread stand-in: a few bytes per chart (or a failure while `failing`), and when it was closed. */
export function fakeCharts(onClose: () => void = () => {}): ChartThread & { closed: number; failing: boolean } {
  const charts = {
    closed: 0,
    failing: false,
    render: async () => {
      if (charts.failing) throw new Error('no chart today');
      return Buffer.from('png');
    },
    async close() {
      charts.closed++;
      onClose();
    },
  };
  return charts;
}
