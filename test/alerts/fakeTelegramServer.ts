import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** An error answer, as the Bot API shapes it. */
export interface FakeError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface FakeTelegramOptions {
  /** sendMessage calls accepted in any sliding window of `windowMs`; beyond that, 429. Unset: no limit. */
  perWindow?: number;
  windowMs?: number;
  /** Least time between two accepted messages to one chat; closer, 429 (Telegram's one a second per chat). Unset: no limit. */
  perChatGapMs?: number;
  /** A scripted error for a chat (checked before the limit); undefined: answer normally. */
  script?: (chatId: string) => FakeError | undefined;
  /** While it returns true, requests are received (and recorded) but never answered. */
  hold?: () => boolean;
}

export interface ReceivedMessage {
  chatId: string;
  text: string;
  parseMode: unknown;
  linkPreviewDisabled: unknown;
  /** When the request arrived (ms since the epoch, sub-millisecond). */
  at: number;
  /** 'ok', the scripted error code, 429, or 'held'. */
  answer: 'ok' | 'held' | number;
  /** For a 429: which limit refused it. */
  limitedBy?: 'chat' | 'window';
  /** The message_id answered, when delivered. */
  messageId?: number;
}

/** An editMessageText received. */
export interface ReceivedEdit {
  chatId: string;
  messageId: number;
  text: string;
  parseMode: unknown;
  /** 'ok', or the error code answered (400: not found, or not modified). */
  answer: 'ok' | number;
}

export interface FakeTelegram {
  apiRoot: string;
  token: string;
  /** Every sendMessage received, in arrival order. */
  received: ReceivedMessage[];
  /** Every editMessageText received, in arrival order. */
  edits: ReceivedEdit[];
  /** The text a delivered message reads now (after its edits), by chat and message_id. */
  textOf(chatId: string, messageId: number): string | undefined;
  /** Those answered 200 (delivered), in order. */
  delivered(): ReceivedMessage[];
  tooManyRequests(): number;
  /** The most deliveries seen in any window of `windowMs` (the server's own view of the rate). */
  peakWindow(windowMs?: number): number;
  close(): Promise<void>;
}

/**
 * A Telegram Bot API server on 127.0.0.1 that knows sendMessage, enforces a messages-per-window
 * limit the way a strict reading of Telegram's "30 messages per second" would (any sliding
 * second), and answers 429 with retry_after beyond it.
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = '123456:fake-token-for-tests';
  const windowMs = options.windowMs ?? 1000;
  const received: ReceivedMessage[] = [];
  /** Arrival times of accepted messages within the current window (a queue; `head` is its start). */
  const accepted: number[] = [];
  let head = 0;
  let messageId = 0;
  /** Per chat: when its last accepted message arrived. */
  const chatLast = new Map<string, number>();
  const heldResponses = new Set<ServerResponse>();
  const edits: ReceivedEdit[] = [];
  /** What each delivered message reads, by `${chatId}:${message_id}`. */
  const texts = new Map<string, string>();

  /** editMessageText as Telegram answers it: the message must exist, and the text must change. */
  const edit = (res: ServerResponse, payload: Record<string, unknown>) => {
    const received: ReceivedEdit = {
      chatId: String(payload.chat_id),
      messageId: Number(payload.message_id),
      text: String(payload.text),
      parseMode: payload.parse_mode,
      answer: 'ok',
    };
    edits.push(received);
    const key = `${received.chatId}:${received.messageId}`;
    const before = texts.get(key);
    const description =
      before === undefined
        ? 'Bad Request: message to edit not found'
        : before === received.text
          ? 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'
          : undefined;
    if (description) {
      received.answer = 400;
      return answer(res, 400, { ok: false, error_code: 400, description });
    }
    texts.set(key, received.text);
    const id = Number(received.chatId);
    answer(res, 200, {
      ok: true,
      result: {
        message_id: received.messageId,
        date: Math.floor(Date.now() / 1000),
        edit_date: Math.floor(Date.now() / 1000),
        chat: { id, type: id < 0 ? 'supergroup' : 'private' },
        text: received.text,
      },
    });
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = performance.timeOrigin + performance.now(); // absolute: comparable across processes
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === `/bot${token}/editMessageText`)
      return edit(res, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
    if (req.url !== `/bot${token}/sendMessage`) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const chatId = String(payload.chat_id);
    const message: ReceivedMessage = {
      chatId,
      text: String(payload.text),
      parseMode: payload.parse_mode,
      linkPreviewDisabled: (payload.link_preview_options as { is_disabled?: boolean } | undefined)?.is_disabled,
      at,
      answer: 'ok',
    };
    received.push(message);
    if (options.hold?.()) {
      message.answer = 'held';
      heldResponses.add(res);
      return;
    }
    const scripted = options.script?.(chatId);
    if (scripted) {
      message.answer = scripted.error_code;
      return answer(res, scripted.error_code, { ok: false, ...scripted });
    }
    const last = chatLast.get(chatId);
    if (options.perChatGapMs !== undefined && last !== undefined && at - last < options.perChatGapMs) {
      message.answer = 429;
      message.limitedBy = 'chat';
      return answer(res, 429, {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      });
    }
    if (options.perWindow !== undefined) {
      while (head < accepted.length && accepted[head]! <= at - windowMs) head++;
      if (accepted.length - head >= options.perWindow) {
        message.answer = 429;
        message.limitedBy = 'window';
        const retryAfter = Math.max(1, Math.ceil((accepted[head]! + windowMs - at) / 1000));
        return answer(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfter}`,
          parameters: { retry_after: retryAfter },
        });
      }
      accepted.push(at);
      if (head > 4096) {
        accepted.splice(0, head);
        head = 0;
      }
    }
    chatLast.set(chatId, at);
    const id = Number(chatId);
    message.messageId = messageId + 1;
    texts.set(`${chatId}:${message.messageId}`, message.text);
    answer(res, 200, {
      ok: true,
      result: {
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id, type: id < 0 ? 'supergroup' : 'private' },
        text: message.text,
      },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answer(res, 500, { ok: false, error_code: 500, description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    received,
    edits,
    textOf: (chatId, id) => texts.get(`${chatId}:${id}`),
    delivered: () => received.filter((m) => m.answer === 'ok'),
    tooManyRequests: () => received.filter((m) => m.answer === 429).length,
    peakWindow(window = windowMs) {
      const times = received.filter((m) => m.answer === 'ok').map((m) => m.at);
      let peak = 0;
      for (let start = 0, end = 0; end < times.length; end++) {
        while (times[start]! <= times[end]! - window) start++;
        peak = Math.max(peak, end - start + 1);
      }
      return peak;
    },
    async close() {
      for (const res of heldResponses) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
