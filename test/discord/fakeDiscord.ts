import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { parseMultipart } from '../fixtures/multipart.js';

/**
 * A stand-in for Discord on 127.0.0.1: the REST routes the bot uses and a gateway that speaks
 * enough of the protocol for discord.js to log in (HELLO, IDENTIFY → READY, GUILD_CREATE,
 * heartbeat ACKs) and to receive dispatches, each on the shard Discord would send it on. It records every REST request, body parsed, so tests
 * can assert on exactly what the bot sent. A multipart body (a message with files, as discord.js
 * sends it: `payload_json` and `files[n]`) is recorded as its JSON payload plus the files.
 */

export const FAKE_TOKEN = 'fake-bot-token.not-a-real-one.0123456789abcdef';
export const APPLICATION_ID = '1300000000000000001';
export const BOT_USER_ID = APPLICATION_ID;
export const GUILD_ID = '1300000000000000002';
export const CHANNEL_ID = '1300000000000000003';
export const USER_ID = '1300000000000000004';
/** A second server, on shard 1 of 2 (GUILD_ID is on shard 0). */
export const OTHER_GUILD_ID = String(BigInt(GUILD_ID) + (1n << 22n));

/** The shard Discord sends a server's events on; events outside any server (DMs) go to shard 0. */
export function shardOf(guildId: string | undefined, count: number): number {
  return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Each test server has one text channel, numbered after it (GUILD_ID's is CHANNEL_ID). */
export const channelOf = (guildId: string): string => String(BigInt(guildId) + 1n);

export interface RecordedRequest {
  method: string;
  /** Without the /api/v10 prefix, e.g. /interactions/123/abc/callback. */
  path: string;
  query: string;
  authorization: string | undefined;
  body: unknown;
  /** Files uploaded with a multipart body, in order. */
  files?: RecordedFile[];
}

export interface RecordedFile {
  /** The form field, e.g. "files[0]". */
  field: string;
  name: string;
  contentType: string | undefined;
  bytes: Buffer;
}

/** A Discord-style error to answer once, the next time a path is requested. */
export interface Failure {
  status: number;
  code: number;
  message: string;
  /** Response headers, e.g. a 429's Retry-After. */
  headers?: Record<string, string>;
  /** More fields of the error body, e.g. a 429's retry_after. */
  extra?: Record<string, unknown>;
}

export interface FakeDiscord {
  /** What DISCORD_API_URL would be. */
  apiUrl: string;
  requests: RecordedRequest[];
  /** Commands held per route, as Discord stores them. */
  commands: Map<string, unknown[]>;
  identifies: Array<{ token: string; intents: number }>;
  /** The `shard` ([id, count]) of each IDENTIFY, in order. */
  identifiedShards: Array<[number, number]>;
  /** Close codes of gateway connections the client closed. */
  closes: number[];
  /**
   * Sends an event on the shard Discord would: its `guild_id`'s, else shard 0, to whichever client
   * identified as that shard. Returns on how many connections it went out (0: no one holds that shard).
   */
  dispatch(event: string, data: unknown): number;
  /** Closes every gateway connection from Discord's side with this close code (4014 and the like: for good). */
  disconnect(code: number, reason?: string): void;
  /** Resolves with the first request (already received or to come) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Requests to these paths fail once with the given error. */
  failures: Map<string, Failure>;
  close(): Promise<void>;
}

const botUser = { id: BOT_USER_ID, username: 'ee-draws', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 };

function guildCreate(guildId: string) {
  const now = new Date(0).toISOString();
  const channelId = channelOf(guildId);
  return {
    id: guildId,
    name: 'Test server',
    icon: null,
    owner_id: USER_ID,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    features: [],
    premium_tier: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    large: false,
    unavailable: false,
    member_count: 2,
    joined_at: now,
    roles: [
      {
        id: guildId,
        name: '@everyone',
        color: 0,
        hoist: false,
        position: 0,
        permissions: '0',
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    channels: [{ id: channelId, type: 0, name: 'general', position: 0, permission_overwrites: [], guild_id: guildId }],
    members: [{ user: botUser, roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
    emojis: [],
    stickers: [],
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Discord's echo of a registered command: ids added, defaults spelled out or dropped as it does. */
function stored(command: Record<string, unknown>, index: number, guildId: string | undefined): Record<string, unknown> {
  const options = ((command.options as Array<Record<string, unknown>> | undefined) ?? []).map((o) => {
    const { required, autocomplete, ...rest } = o;
    return { ...rest, ...(required ? { required: true } : {}), ...(autocomplete ? { autocomplete: true } : {}) };
  });
  return {
    id: String(1300000000000000100n + BigInt(index)),
    application_id: APPLICATION_ID,
    version: '1300000000000000099',
    default_member_permissions: null,
    type: 1,
    nsfw: false,
    ...(guildId ? { guild_id: guildId } : {}),
    ...command,
    ...(options.length ? { options } : { options: undefined }),
    description_localizations: null,
    name_localizations: null,
  };
}

function message(id: string, body: unknown, files: RecordedFile[] = []) {
  const data = (body ?? {}) as Record<string, unknown>;
  const attachments = files.map((f, i) => ({
    id: String(BigInt(id) + BigInt(i) + 1n),
    filename: f.name,
    size: f.bytes.length,
    url: `https://cdn.discordapp.com/attachments/${CHANNEL_ID}/${id}/${f.name}`,
    proxy_url: `https://media.discordapp.net/attachments/${CHANNEL_ID}/${id}/${f.name}`,
    ...(f.contentType ? { content_type: f.contentType } : {}),
  }));
  return {
    id,
    type: 20,
    channel_id: CHANNEL_ID,
    author: botUser,
    content: data.content ?? '',
    embeds: data.embeds ?? [],
    attachments,
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: data.flags ?? 0,
    components: data.components ?? [],
    application_id: APPLICATION_ID,
    webhook_id: APPLICATION_ID,
  };
}

async function readBody(req: IncomingMessage): Promise<Pick<RecordedRequest, 'body' | 'files'>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const parts = parseMultipart(raw, contentType);
    const payload = parts.find((p) => p.name === 'payload_json' && p.filename === undefined);
    const files = parts
      .filter((p) => p.filename !== undefined)
      .map((p) => ({ field: p.name, name: p.filename!, contentType: p.contentType, bytes: Buffer.from(p.data) }));
    return { body: payload ? JSON.parse(payload.data.toString('utf8')) : undefined, files };
  }
  const text = raw.toString('utf8');
  return { body: text ? JSON.parse(text) : undefined };
}

export interface FakeDiscordOptions {
  /** The shard count GET /gateway/bot recommends. Default 1. */
  shards?: number;
  /** The servers the bot is in, each announced on its shard. Default: GUILD_ID. */
  guilds?: string[];
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const shardCount = options.shards ?? 1;
  const guilds = options.guilds ?? [GUILD_ID];
  const identifiedShards: Array<[number, number]> = [];
  const requests: RecordedRequest[] = [];
  const commands = new Map<string, unknown[]>();
  const identifies: FakeDiscord['identifies'] = [];
  const closes: number[] = [];
  const failures = new Map<string, Failure>();
  const waiters: Array<{ match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];
  const sockets = new Set<WebSocket>();
  /** The [id, count] each connection identified as. */
  const shardOfSocket = new Map<WebSocket, [number, number]>();
  let sequence = 0;
  let messageId = 1300000000000001000n;
  /** Channel messages posted (alerts), by path: /channels/{id}/messages/{message id}. */
  const channelMessages = new Set<string>();

  const server = createServer((req, res) => void route(req, res));
  const gateway = new WebSocketServer({ server });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    if (body === undefined) res.writeHead(status, headers).end();
    else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const method = req.method ?? 'GET';
    const { body, files } = await readBody(req);
    const recorded: RecordedRequest = {
      method,
      path,
      query: url.search,
      authorization: req.headers.authorization,
      body,
      ...(files ? { files } : {}),
    };
    requests.push(recorded);
    for (const waiter of [...waiters]) {
      if (waiter.match(recorded)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(recorded);
      }
    }
    const failure = failures.get(path);
    if (failure) {
      failures.delete(path);
      return send(res, failure.status, { message: failure.message, code: failure.code, ...failure.extra }, failure.headers);
    }

    // Interaction callbacks and webhooks are authorised by their token, everything else by the bot's.
    const byToken = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!byToken && req.headers.authorization !== `Bot ${FAKE_TOKEN}`) return send(res, 401, { message: '401: Unauthorized', code: 0 });

    // Start-up's token check.
    if (method === 'GET' && path === '/users/@me') return send(res, 200, botUser);
    if (method === 'GET' && path === '/gateway/bot') {
      return send(res, 200, {
        url: `ws://127.0.0.1:${port}`,
        shards: shardCount,
        // Every shard may identify at once (as for very large bots): no 5 s wait between them.
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: shardCount },
      });
    }
    const commandsRoute = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commandsRoute) {
      if (method === 'GET') return send(res, 200, commands.get(path) ?? []);
      if (method === 'PUT') {
        const held = (body as Array<Record<string, unknown>>).map((c, i) => stored(c, i, commandsRoute[2]));
        commands.set(path, held);
        return send(res, 200, held);
      }
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return send(res, 204);
    if (/^\/webhooks\/\d+\/[^/]+(\/messages\/@original)?$/.test(path)) {
      if (method === 'DELETE') return send(res, 204);
      messageId += 10n;
      return send(res, 200, message(String(messageId), body, files));
    }
    // A bot's message in a channel (alerts).
    if (method === 'POST' && /^\/channels\/\d+\/messages$/.test(path)) {
      messageId += 1n;
      channelMessages.add(`${path}/${messageId}`);
      return send(res, 200, { ...message(String(messageId), body), type: 0, channel_id: path.split('/')[2], webhook_id: undefined });
    }
    // An alert edited in place (a corrected round): only a message posted here exists.
    if (method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/.test(path)) {
      if (!channelMessages.has(path)) return send(res, 404, { message: 'Unknown Message', code: 10008 });
      return send(res, 200, { ...message(path.split('/')[4]!, body), type: 0, channel_id: path.split('/')[2], webhook_id: undefined });
    }
    send(res, 404, { message: '404: Not Found', code: 0 });
  }

  const packet = (t: string, d: unknown) => JSON.stringify({ op: 0, t, s: ++sequence, d });

  gateway.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', (code) => {
      sockets.delete(socket);
      shardOfSocket.delete(socket);
      closes.push(code);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) {
        identifies.push({ token: String(payload.d.token), intents: Number(payload.d.intents) });
        const shard = (payload.d.shard as [number, number] | undefined) ?? [0, 1];
        identifiedShards.push(shard);
        if (payload.d.token !== FAKE_TOKEN) return socket.close(4004, 'Authentication failed');
        shardOfSocket.set(socket, shard);
        const mine = guilds.filter((id) => shardOf(id, shard[1]) === shard[0]);
        socket.send(
          packet('READY', {
            v: 10,
            user: botUser,
            guilds: mine.map((id) => ({ id, unavailable: true })),
            session_id: 'fake-session',
            resume_gateway_url: `ws://127.0.0.1:${port}`,
            shard,
            application: { id: APPLICATION_ID, flags: 0 },
          }),
        );
        for (const id of mine) socket.send(packet('GUILD_CREATE', guildCreate(id)));
      }
    });
  });

  return {
    apiUrl: `${base}/api`,
    requests,
    commands,
    identifies,
    identifiedShards,
    closes,
    failures,
    dispatch(event, data) {
      const guildId = (data as { guild_id?: string } | null)?.guild_id;
      const text = packet(event, data);
      let sent = 0;
      for (const [socket, [id, count]] of shardOfSocket) {
        if (shardOf(guildId, count) !== id) continue;
        socket.send(text);
        sent += 1;
      }
      return sent;
    },
    disconnect(code, reason = 'closed by the fake Discord') {
      for (const socket of sockets) socket.close(code, reason);
    },
    waitForRequest(match, timeoutMs = 5000) {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the fake Discord received no such request')), timeoutMs);
        waiters.push({
          match,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let nextId = 1300000000000010000n;

/** A fresh snowflake, as Discord gives every interaction. */
export function snowflake(): string {
  nextId += 1n;
  return String(nextId);
}

const member = {
  user: { id: USER_ID, username: 'asker', discriminator: '0', global_name: 'Asker', avatar: null },
  roles: [],
  permissions: '2248473465835073',
  joined_at: new Date(0).toISOString(),
  deaf: false,
  mute: false,
  flags: 0,
  pending: false,
};

export interface InteractionOption {
  name: string;
  type: number;
  value: string | number;
  focused?: boolean;
}

export type Where = 'guild' | 'dm';
/** The DM channel between the bot and USER_ID. */
export const DM_CHANNEL_ID = '1300000000000000005';

/** What every interaction payload says about where it happened and who asked. */
function placeOf(where: Where, guildId: string) {
  const channelId = channelOf(guildId);
  return where === 'guild'
    ? {
        guild_id: guildId,
        channel_id: channelId,
        channel: { id: channelId, type: 0, name: 'general', guild_id: guildId },
        member,
        guild_locale: 'en-US',
        context: 0,
        authorizing_integration_owners: { '0': guildId },
      }
    : {
        channel_id: DM_CHANNEL_ID,
        channel: { id: DM_CHANNEL_ID, type: 1, recipients: [member.user] },
        user: member.user,
        context: 1,
        authorizing_integration_owners: { '0': GUILD_ID },
      };
}

export type InteractionPayload = { id: string; token: string; [key: string]: unknown };

function basePayload(type: number, where: Where, guildId: string) {
  const id = snowflake();
  return {
    id,
    application_id: APPLICATION_ID,
    type,
    token: `itoken-${id}-aW50ZXJhY3Rpb24`,
    version: 1,
    locale: 'en-US',
    app_permissions: '2248473465835073',
    entitlements: [],
    attachment_size_limit: 10_485_760,
    ...placeOf(where, guildId),
  };
}

/** An INTERACTION_CREATE payload as Discord sends it, in a test server (GUILD_ID unless named) or in a DM. */
export function interaction(
  type: 2 | 4,
  command: string,
  options: InteractionOption[],
  where: Where = 'guild',
  guildId = GUILD_ID,
): InteractionPayload {
  return { ...basePayload(type, where, guildId), data: { id: '1300000000000000100', name: command, type: 1, options } };
}

/** A message's body as the bot sent it (an interaction callback's `data`, an edit's body). */
export interface MessageData {
  content?: string;
  embeds?: unknown[];
  components?: ActionRowJson[];
  flags?: number;
  allowed_mentions?: unknown;
}

export interface ActionRowJson {
  type: 1;
  components: Array<{
    type: number;
    custom_id?: string;
    style?: number;
    label?: string;
    url?: string;
    options?: Array<{ label: string; value: string }>;
    placeholder?: string;
  }>;
}

/** The body of an interaction callback: 4 a reply, 5 a deferred reply, 6 a deferred update, 7 an update in place. */
export interface CallbackBody {
  type: number;
  data?: MessageData;
}

/** A message of the bot's, as Discord puts it in a component interaction's `message`. */
export type FakeMessage = ReturnType<typeof message>;

export const EPHEMERAL = 64;

/**
 * The message the bot's answer became, in the channel of `where`: what a later button press on it
 * carries. A message stays ephemeral (or not) whatever later edits say, so `flags` may be given.
 */
export function sentMessage(data: MessageData, where: Where = 'guild', flags = data.flags ?? 0, guildId = GUILD_ID): FakeMessage {
  const channelId = where === 'guild' ? channelOf(guildId) : DM_CHANNEL_ID;
  return { ...message(snowflake(), { ...data, flags }), channel_id: channelId };
}

/** What was done to a message's component: a button pressed (its custom_id), or a string select's values picked. */
export type Press = { button: string } | { select: string[]; customId?: string };

/**
 * A MESSAGE_COMPONENT interaction (type 3) as Discord sends it: a button (component_type 2) or a
 * string select (3, with the values picked) on `on`, a message of the bot's, by USER_ID.
 */
export function componentInteraction(on: FakeMessage, press: Press, where: Where = 'guild', guildId = GUILD_ID): InteractionPayload {
  const data =
    'button' in press
      ? { custom_id: press.button, component_type: 2 }
      : { custom_id: press.customId ?? 'menu', component_type: 3, values: press.select };
  return { ...basePayload(3, where, guildId), message: on, data };
}

/** The callback route of an interaction. */
export const callbackPath = (payload: InteractionPayload): string => `/interactions/${payload.id}/${payload.token}/callback`;

/** The route of an interaction's original message: a deferred answer's edit, a component's message after a deferred update. */
export const originalPath = (payload: InteractionPayload): string => `/webhooks/${APPLICATION_ID}/${payload.token}/messages/@original`;

/** Dispatches an interaction through the gateway; resolves with the body of its callback. */
export async function callbackOf(fake: FakeDiscord, payload: InteractionPayload): Promise<CallbackBody> {
  fake.dispatch('INTERACTION_CREATE', payload);
  const path = callbackPath(payload);
  return (await fake.waitForRequest((r) => r.method === 'POST' && r.path === path)).body as CallbackBody;
}

/** An answer, and the message it left for the next press. */
export interface Answered {
  callback: CallbackBody;
  /** The message as it now reads: the reply, or the pressed message updated in place. */
  message: FakeMessage;
}

/** What the original message became after a deferral: the edit of it, awaited. */
async function editedOriginal(fake: FakeDiscord, payload: InteractionPayload): Promise<MessageData> {
  const path = originalPath(payload);
  return (await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === path, 10_000)).body as MessageData;
}

/** Sends a slash command; resolves with its callback and the message it answered with (a deferred one once edited in). */
export async function slash(
  fake: FakeDiscord,
  command: string,
  options: InteractionOption[] = [],
  where: Where = 'guild',
): Promise<Answered> {
  const payload = interaction(2, command, options, where);
  const callback = await callbackOf(fake, payload);
  const data = callback.type === 5 ? await editedOriginal(fake, payload) : (callback.data ?? {});
  return { callback, message: sentMessage(data, where, data.flags ?? callback.data?.flags ?? 0) };
}

/**
 * Presses a button or picks from the select menu on `on`; resolves with the callback and the message
 * as it then reads: updated in place (7, or 6 then the edit of the original), else `on` unchanged
 * (an ephemeral reply of its own, 4, leaves it as it was).
 */
export async function press(fake: FakeDiscord, on: FakeMessage, what: Press, where: Where = 'guild'): Promise<Answered> {
  const payload = componentInteraction(on, what, where);
  const callback = await callbackOf(fake, payload);
  if (callback.type === 7) return { callback, message: { ...on, ...pick(callback.data ?? {}) } };
  if (callback.type === 6) {
    const edited = await editedOriginal(fake, payload);
    return { callback, message: { ...on, ...pick(edited) } };
  }
  return { callback, message: on };
}

/** What an edit changes of a message: its content, embeds and components (never its flags). */
function pick(data: MessageData): Partial<FakeMessage> {
  const changed: Partial<FakeMessage> = {};
  if (data.content !== undefined) changed.content = data.content;
  if (data.embeds !== undefined) changed.embeds = data.embeds;
  if (data.components !== undefined) changed.components = data.components;
  return changed;
}
