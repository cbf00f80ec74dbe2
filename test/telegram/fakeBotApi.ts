import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, UserFromGetMe } from 'grammy/types';
import { parseMultipart } from '../fixtures/multipart.js';

export const TEST_TOKEN = '123456:TEST-token-abcdefghijklmnopqrstuvwxyz';

export const BOT_INFO: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: 'EE Draws',
  username: 'EEDrawsTestBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** A file uploaded with a multipart request (e.g. sendPhoto's photo). */
export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * One request the fake server received: method, body, and when (performance.now()). A multipart
 * body (an upload) is recorded as its fields, read back as JSON where grammY serialised them so
 * (numbers, objects); `files` holds the uploads by the field that refers to them ("photo").
 */
export interface ApiCall {
  method: string;
  // biome-ignore lint: payloads are whatever the client sent
  payload: Record<string, any>;
  files?: Record<string, UploadedFile>;
  at: number;
  /** The Message the fake answered with (sendMessage, sendPhoto, editMessageText), once it has. */
  result?: Message;
}

interface CannedAnswer {
  status: number;
  body: unknown;
}

type NewUpdate = Omit<Update, 'update_id'>;

/**
 * A Telegram Bot API server, just enough of it for the bot: getMe, getUpdates (long polling that
 * returns as soon as an update is pushed), setMyCommands, sendMessage, sendPhoto (a multipart
 * upload), editMessageText, answerCallbackQuery, the webhook methods. It records every call, and
 * can answer the next call of a method with a canned failure (e.g. 429).
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  private readonly updates: Update[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private readonly waiting = new Set<() => void>();
  private readonly canned = new Map<string, CannedAnswer[]>();
  private readonly listeners = new Set<() => void>();
  /** Long polls ended with 409 because a newer one came (as Telegram answers two getUpdates at once). */
  conflicts = 0;
  /** The pending long poll, ended with 409 when another comes. */
  private polling: (() => void) | undefined;

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
    private readonly token: string,
    private readonly botInfo: UserFromGetMe,
  ) {}

  static async start(options: { token?: string; botInfo?: UserFromGetMe } = {}): Promise<FakeBotApi> {
    let fake: FakeBotApi | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    fake = new FakeBotApi(server, `http://127.0.0.1:${port}`, options.token ?? TEST_TOKEN, options.botInfo ?? BOT_INFO);
    return fake;
  }

  /** Queues an update for getUpdates; returns its update_id. */
  push(update: NewUpdate): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update } as Update);
    for (const wake of this.waiting) wake();
    return update_id;
  }

  /** The next call of `method` gets this answer instead of a success. */
  failNext(method: string, status: number, body: unknown): void {
    this.canned.set(method, [...(this.canned.get(method) ?? []), { status, body }]);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** sendMessage calls addressed to one chat, in order. */
  sentTo(chatId: number): ApiCall[] {
    return this.callsOf('sendMessage').filter((c) => c.payload.chat_id === chatId);
  }

  /** sendPhoto calls addressed to one chat, in order. */
  photosTo(chatId: number): ApiCall[] {
    return this.callsOf('sendPhoto').filter((c) => c.payload.chat_id === chatId);
  }

  /** sendMessage and sendPhoto calls addressed to one chat, in the order they came. */
  postedTo(chatId: number): ApiCall[] {
    return this.calls.filter((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.payload.chat_id === chatId);
  }

  /** Updates not confirmed yet (no getUpdates with a higher offset came): Telegram would deliver them again. */
  get unconfirmed(): readonly Update[] {
    return this.updates;
  }

  /** Long polls (getUpdates) waiting for an update right now; 0 once a stopped bot's last poll has gone. */
  get pendingPolls(): number {
    return this.waiting.size;
  }

  /**
   * Resolves once `predicate` holds for the recorded calls; rejects after `timeoutMs`. It is checked
   * on every call received and every long poll opening or ending, so it may read the fake's other state too.
   */
  async waitFor(predicate: (calls: readonly ApiCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this.calls)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(this.calls)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`fake Bot API: condition not met within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  async close(): Promise<void> {
    for (const wake of this.waiting) wake();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || match[1] !== this.token) {
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const method = match[2]!;
    const contentType = req.headers['content-type'] ?? '';
    const { payload, files } = contentType.startsWith('multipart/form-data')
      ? readMultipart(body, contentType)
      : { payload: body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {}, files: undefined };
    const call: ApiCall = { method, payload, ...(files ? { files } : {}), at: performance.now() };
    this.calls.push(call);
    this.notify();

    const canned = this.canned.get(method)?.shift();
    if (canned) {
      send(res, canned.status, canned.body);
      return;
    }
    switch (method) {
      case 'getMe':
        return send(res, 200, { ok: true, result: this.botInfo });
      case 'getUpdates': {
        // Telegram allows one getUpdates at a time: a second one ends the first with a 409.
        this.polling?.();
        let conflicted = false;
        const conflict = () => {
          conflicted = true;
          wakePoll?.();
        };
        let wakePoll: (() => void) | undefined;
        this.polling = conflict;
        const updates = await this.nextUpdates(payload, req, (wake) => {
          wakePoll = wake;
        });
        if (this.polling === conflict) this.polling = undefined;
        if (conflicted) {
          this.conflicts++;
          return send(res, 409, {
            ok: false,
            error_code: 409,
            description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
          });
        }
        return send(res, 200, { ok: true, result: updates });
      }
      case 'sendMessage':
        return this.answer(res, call, this.message(payload));
      case 'sendPhoto':
        if (!files?.photo)
          return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: there is no photo in the request' });
        return this.answer(res, call, this.message(payload));
      case 'editMessageText':
        // The message as edited: Telegram keeps its id and adds edit_date.
        return this.answer(res, call, { ...this.message(payload, Number(payload.message_id)), edit_date: Math.floor(Date.now() / 1000) });
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'deleteWebhook':
      case 'setWebhook':
        return send(res, 200, { ok: true, result: true });
      default:
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  /** Confirms updates below `offset`, then answers with what is queued or waits up to `timeout` seconds for some. */
  private async nextUpdates(payload: Record<string, unknown>, req: IncomingMessage, onWait: (wake: () => void) => void): Promise<Update[]> {
    const offset = typeof payload.offset === 'number' ? payload.offset : 0;
    while (this.updates.length && this.updates[0]!.update_id < offset) this.updates.shift();
    if (this.updates.length === 0) {
      const seconds = typeof payload.timeout === 'number' ? payload.timeout : 0;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          req.socket.off('close', wake);
          resolve();
          this.notify();
        };
        const timer = setTimeout(wake, seconds * 1000);
        this.waiting.add(wake);
        onWait(wake);
        // The runner aborts its pending poll on stop().
        req.socket.once('close', wake);
        this.notify();
      });
    }
    const limit = typeof payload.limit === 'number' ? payload.limit : 100;
    return this.updates.slice(0, limit);
  }

  /** Answers a call with the message it made, and records it on the call. */
  private answer(res: ServerResponse, call: ApiCall, result: Message): void {
    call.result = result;
    this.notify();
    send(res, 200, { ok: true, result });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private message(payload: Record<string, unknown>, messageId?: number): Message {
    const chatId = Number(payload.chat_id);
    const content =
      payload.text !== undefined
        ? { text: String(payload.text) }
        : {
            photo: [
              { file_id: `AgACAgIAAxkBAAIB${this.nextMessageId}`, file_unique_id: `AQAD${this.nextMessageId}`, width: 800, height: 450 },
            ],
            ...(payload.caption !== undefined ? { caption: String(payload.caption) } : {}),
          };
    return {
      message_id: messageId ?? this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: chatId < 0 ? { id: chatId, type: 'supergroup', title: 'Test group' } : { id: chatId, type: 'private', first_name: 'Tester' },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      ...content,
      ...(isKeyboard(payload.reply_markup) && payload.reply_markup.inline_keyboard.length > 0
        ? { reply_markup: payload.reply_markup }
        : {}),
    } as Message;
  }
}

/** Free-text fields stay strings even when they look like JSON. */
const TEXT_FIELDS = new Set(['text', 'caption']);

/**
 * A multipart/form-data body as grammY sends it: every field a string (numbers as digits, objects
 * as JSON), the file under a random field name that the file's own field refers to as
 * "attach://<name>".
 */
function readMultipart(body: Buffer, contentType: string): { payload: Record<string, unknown>; files: Record<string, UploadedFile> } {
  const fields: Record<string, string> = {};
  const uploads = new Map<string, UploadedFile>();
  for (const part of parseMultipart(body, contentType)) {
    if (part.filename === undefined) fields[part.name] = part.data.toString('utf8');
    else uploads.set(part.name, { filename: part.filename, contentType: part.contentType ?? '', bytes: Buffer.from(part.data) });
  }
  const payload: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [name, value] of Object.entries(fields)) {
    const attached = /^attach:\/\/(.+)$/.exec(value)?.[1];
    if (attached !== undefined && uploads.has(attached)) files[name] = uploads.get(attached)!;
    if (TEXT_FIELDS.has(name)) payload[name] = value;
    else {
      try {
        payload[name] = JSON.parse(value);
      } catch {
        payload[name] = value;
      }
    }
  }
  return { payload, files };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

let nextMessageId = 1;

/** A text message as Telegram delivers it, with the bot_command entity it adds for a leading /command. */
export function textMessage(chat: { id: number; type?: 'private' | 'group' | 'supergroup' }, text: string): NewUpdate {
  const type = chat.type ?? (chat.id < 0 ? 'supergroup' : 'private');
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text)?.[0];
  return {
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: type === 'private' ? { id: chat.id, type, first_name: 'Tester' } : { id: chat.id, type, title: 'Express Entry group' },
      from: { id: Math.abs(chat.id) + 7, is_bot: false, first_name: 'Tester', language_code: 'en' },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    } as Update['message'],
  };
}

/** A sticker, which has no text. */
export function stickerMessage(chatId: number): NewUpdate {
  return {
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatId < 0
          ? { id: chatId, type: 'supergroup', title: 'Express Entry group' }
          : { id: chatId, type: 'private', first_name: 'Tester' },
      from: { id: 42, is_bot: false, first_name: 'Tester' },
      sticker: {
        file_id: 'CAACAgIAAxkBAAEBc2xm',
        file_unique_id: 'AgADsw8AAjP0AUo',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '👍',
      },
    } as Update['message'],
  };
}

/** A text message edited after it was sent. */
export function editedMessage(chatId: number, text: string): NewUpdate {
  const { message } = textMessage({ id: chatId }, text);
  return { edited_message: { ...message!, edit_date: Math.floor(Date.now() / 1000) } as Update['edited_message'] };
}

function isKeyboard(markup: unknown): markup is InlineKeyboardMarkup {
  return typeof markup === 'object' && markup !== null && Array.isArray((markup as InlineKeyboardMarkup).inline_keyboard);
}

let nextCallbackId = 1;

/** What a button press may say of the message under the button, beyond its id. */
export interface PressedMessage {
  /** Its text (HTML tags and all; Telegram would send entities). Default: "Pick one". */
  text?: string;
  /** When it was sent, in seconds; 0 makes it an InaccessibleMessage (deleted, or out of the bot's reach). Default: now. */
  date?: number;
  reply_markup?: InlineKeyboardMarkup;
  /** The forum topic it was sent in. */
  topic?: number;
}

/**
 * A press of a button with callback_data `data`, by user `from`, on the bot's message `messageId`
 * in `chat` (a private chat by a positive id, a supergroup by a negative one, as textMessage).
 */
export function callbackQuery(
  chat: { id: number; type?: 'private' | 'group' | 'supergroup' },
  from: number,
  messageId: number,
  data: string,
  message: PressedMessage = {},
): NewUpdate {
  const type = chat.type ?? (chat.id < 0 ? 'supergroup' : 'private');
  const where = type === 'private' ? { id: chat.id, type, first_name: 'Tester' } : { id: chat.id, type, title: 'Express Entry group' };
  const date = message.date ?? Math.floor(Date.now() / 1000);
  const carrier =
    date === 0
      ? { message_id: messageId, chat: where, date: 0 }
      : {
          message_id: messageId,
          date,
          chat: where,
          from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username },
          text: message.text ?? 'Pick one',
          ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
          ...(message.topic !== undefined ? { message_thread_id: message.topic, is_topic_message: true } : {}),
        };
  return {
    callback_query: {
      id: String(nextCallbackId++),
      from: { id: from, is_bot: false, first_name: 'Tester', language_code: 'en' },
      chat_instance: String(-chat.id),
      data,
      message: carrier,
    } as Update['callback_query'],
  };
}

/** The inline keyboard a sendMessage or editMessageText call carried; [] when none, or when it took the keyboard away. */
export function keyboardOf(call: ApiCall): InlineKeyboardButton[][] {
  return isKeyboard(call.payload.reply_markup) ? call.payload.reply_markup.inline_keyboard : [];
}

/**
 * A press of the button labelled `label` under the message the fake answered `call` (a sendMessage
 * or editMessageText) with, by `from` (by default the user textMessage sends as in that chat).
 * Throws when there is no such button with callback_data.
 */
export function pressButton(call: ApiCall, label: string, from?: number): NewUpdate {
  const message = call.result;
  if (!message) throw new Error(`the fake has not answered that ${call.method} yet`);
  const button = keyboardOf(call)
    .flat()
    .find((b) => b.text === label);
  if (!button || !('callback_data' in button)) throw new Error(`no button "${label}" with callback_data`);
  const { id, type } = message.chat;
  const chat = { id, type: type === 'channel' ? undefined : type };
  return callbackQuery(chat, from ?? Math.abs(id) + 7, message.message_id, button.callback_data, {
    text: message.text,
    reply_markup: call.payload.reply_markup as InlineKeyboardMarkup,
  });
}
