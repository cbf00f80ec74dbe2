import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { text } from 'node:stream/consumers';
import type { Update } from 'grammy/types';
import type { HttpRoutes } from '../commands/platformModule.js';

export interface WebhookLimits {
  /**
   * From connecting, or from the last answer on a kept-alive connection, until a request's headers
   * are in. Telegram sends a request whole; a client trickling its headers is cut when this ends.
   */
  headersTimeoutMs: number;
  /** From the headers until the whole body is in. */
  bodyTimeoutMs: number;
  /**
   * Telegram waits about 10 s for an answer, then delivers the update again: an update still being
   * handled then is answered 200 anyway (its handling goes on). Other requests (/healthz,
   * /metrics) must be answered within it too, or their connection is cut.
   */
  answerTimeoutMs: number;
  /**
   * Connections open at once from one address. Telegram opens at most setWebhook's
   * max_connections (40 unless asked otherwise, 100 at most), and behind a reverse proxy or a
   * tunnel every request comes from one address: so this stays at Telegram's maximum.
   */
  perAddress: number;
  /** Connections open at once in all. */
  connections: number;
  /** Updates being handled at once (answered or not); beyond, Telegram gets 429 and sends again later. */
  pendingUpdates: number;
  /** Telegram's updates are a few KB; a longer body is refused before it is read. */
  maxUpdateBytes: number;
}

/*
 * At either cap, a new connection takes the place of the one that has waited longest without
 * handling an update (a slow or idle client; from the same address at that address's cap), so
 * slow clients, whether from Telegram's address (through a proxy) or from many others, cannot keep
 * Telegram out; only when every one is handling an update is the newcomer refused.
 */
export const WEBHOOK_LIMITS: WebhookLimits = {
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 5_000,
  answerTimeoutMs: 9_000,
  perAddress: 100,
  connections: 1_000,
  pendingUpdates: 500,
  maxUpdateBytes: 1024 * 1024,
};

export interface WebhookServerOptions {
  /** The path of the webhook URL: POSTs there are updates; any other request goes to `routes`. */
  path: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it get 401 unread. */
  secret: string;
  handleUpdate(update: Update): Promise<unknown>;
  /** Served beside the webhook; what they do not answer gets 404. */
  routes?: HttpRoutes;
  /** A request that is not an update, or an update whose handling threw. */
  onError(error: unknown, message: string): void;
  limits?: Partial<WebhookLimits>;
}

export interface WebhookServer {
  /** Not listening yet: the caller picks the port and host. */
  server: Server;
  /** Updates being handled now, including those already answered at the answer timeout. */
  pending(): number;
  /**
   * Stops accepting; cuts the connections not handling an update (idle, or still sending a
   * request, which Telegram will send again); answers the updates being handled, closing their
   * connections; resolves once every update taken is handled, or `answerTimeoutMs` after stop()
   * was called (a shutdown has about 10 s), whichever comes first.
   */
  stop(): Promise<void>;
}

interface Connection {
  address: string;
  /** Cuts the connection when its next request's headers are late (set while no request is open). */
  idle?: NodeJS.Timeout;
  /** Requests on it not answered yet (several when a client pipelines). */
  open: number;
  /** Of those, updates being handled: while any is, the connection is not given up for a newcomer. */
  handling: number;
}

/**
 * The Telegram webhook's HTTP server. Every timeout is a timer on the socket, exact to the
 * millisecond: Node's own headersTimeout and requestTimeout are checked only every
 * connectionsCheckingInterval (30 s), so slow clients would otherwise hold their connections that long.
 */
export function webhookServer(options: WebhookServerOptions): WebhookServer {
  const limits = { ...WEBHOOK_LIMITS, ...options.limits };
  const secret = Buffer.from(options.secret);
  const connections = new Map<Socket, Connection>();
  const perAddress = new Map<string, number>();
  // Connections not handling an update, longest waiting first (a Set keeps insertion order).
  const waiting = new Set<Socket>();
  const pending = new Set<Promise<unknown>>();
  let stopping = false;

  const cut = (socket: Socket) => socket.destroy();
  const wait = (socket: Socket, connection: Connection) => {
    waiting.delete(socket);
    if (connection.handling === 0) waiting.add(socket);
  };
  const expectHeaders = (socket: Socket, connection: Connection) => {
    clearTimeout(connection.idle);
    connection.idle = setTimeout(cut, limits.headersTimeoutMs, socket);
  };

  const server = createServer((req, res) => {
    const socket = req.socket;
    const connection = connections.get(socket);
    if (!connection) {
      // Refused on arrival (over a cap, or stopping): nothing to answer.
      socket.destroy();
      return;
    }
    clearTimeout(connection.idle);
    connection.open++;
    wait(socket, connection);
    // Until the body is in (updates), or until answered (anything else).
    let deadline: NodeJS.Timeout | undefined = setTimeout(cut, isUpdate(req) ? limits.bodyTimeoutMs : limits.answerTimeoutMs, socket);
    const received = () => {
      clearTimeout(deadline);
      deadline = undefined;
    };
    res.once('close', () => {
      received();
      connection.open--;
      if (socket.destroyed) return;
      if (stopping) socket.end();
      else if (connection.open === 0) expectHeaders(socket, connection);
    });
    if (!isUpdate(req)) {
      if (!options.routes?.(req, res)) res.writeHead(404).end();
      return;
    }
    receive(req, res, connection, received).catch((error: unknown) => {
      options.onError(error, 'webhook request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const isUpdate = (req: IncomingMessage) => req.method === 'POST' && req.url?.split('?')[0] === options.path;

  async function receive(req: IncomingMessage, res: ServerResponse, connection: Connection, received: () => void) {
    // Checked before the body is read: only Telegram knows the secret, and an update is a few KB.
    const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      res.writeHead(401, { connection: 'close' }).end();
      return;
    }
    const length = Number(req.headers['content-length']);
    if (!(length <= limits.maxUpdateBytes)) {
      res.writeHead(Number.isNaN(length) ? 411 : 413, { connection: 'close' }).end();
      return;
    }
    // Work that could not be done in time is better left with Telegram, which sends it again.
    if (pending.size >= limits.pendingUpdates) {
      res.writeHead(429, { 'retry-after': '1' }).end();
      return;
    }
    let update: Update;
    try {
      update = parseUpdate(await text(req));
    } catch (error) {
      // A client gone (or cut) while sending has no one to answer.
      if (req.socket.destroyed) return;
      options.onError(error, 'bad webhook request');
      res.writeHead(400).end();
      return;
    }
    received();
    connection.handling++;
    waiting.delete(req.socket);
    const handled = Promise.resolve(update)
      .then((taken) => options.handleUpdate(taken))
      .then(
        () => 200,
        (error: unknown) => {
          // Middleware errors are answered by the bot's error boundary; this is a failure of grammY's own.
          options.onError(error, 'handling a webhook update failed');
          return 500;
        },
      );
    const tracked = handled.finally(() => pending.delete(tracked));
    pending.add(tracked);
    let timer: NodeJS.Timeout | undefined;
    const status = await Promise.race([
      handled,
      new Promise<number>((resolve) => (timer = setTimeout(resolve, limits.answerTimeoutMs, 200))),
    ]);
    clearTimeout(timer);
    connection.handling--;
    wait(req.socket, connection);
    if (!res.destroyed) res.writeHead(status, stopping ? { connection: 'close' } : {}).end();
  }

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const refused =
      stopping ||
      ((perAddress.get(address) ?? 0) >= limits.perAddress && !evictOldest((connection) => connection.address === address)) ||
      (connections.size >= limits.connections && !evictOldest(() => true));
    if (refused) {
      socket.destroy();
      return;
    }
    const connection: Connection = { address, open: 0, handling: 0 };
    connections.set(socket, connection);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    waiting.add(socket);
    expectHeaders(socket, connection);
    socket.once('close', () => forget(socket));
  });

  /** Counts a connection out; at once when it is given up, not when its close event comes round. */
  function forget(socket: Socket) {
    const connection = connections.get(socket);
    if (!connection) return;
    clearTimeout(connection.idle);
    connections.delete(socket);
    waiting.delete(socket);
    const left = (perAddress.get(connection.address) ?? 1) - 1;
    if (left > 0) perAddress.set(connection.address, left);
    else perAddress.delete(connection.address);
  }

  /**
   * Gives up, for a newcomer, the connection of `which` that has waited longest without handling
   * an update (slow or idle); false when there is none, and the newcomer is refused.
   */
  function evictOldest(which: (connection: Connection) => boolean): boolean {
    for (const socket of waiting) {
      if (!which(connections.get(socket)!)) continue;
      forget(socket);
      socket.destroy();
      return true;
    }
    return false;
  }

  return {
    server,
    pending: () => pending.size,
    async stop() {
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise((resolve) => (timer = setTimeout(resolve, limits.answerTimeoutMs)));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of waiting) socket.destroy();
      // Every open request is answered within the answer timeout, so the server closes within it.
      await closed;
      await Promise.race([Promise.allSettled(pending), deadline]);
      clearTimeout(timer);
    },
  };
}

/** The body as an update: JSON, an object with an update_id. */
function parseUpdate(body: string): Update {
  const update: unknown = JSON.parse(body);
  if (typeof update !== 'object' || update === null || !Number.isInteger((update as Update).update_id)) {
    throw new Error('not an update: no update_id');
  }
  return update as Update;
}
