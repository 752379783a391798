/**
 * `curator serve`'s host: HTTP and a WebSocket on one port, 127.0.0.1 by default. Every request
 * under /api/ (WebSocket upgrades included) must carry the token before anything else is looked
 * at, so an unknown /api/ path without it is 401, not 404; then its Host and Origin must name
 * this server (403 otherwise: the DNS-rebinding defence). The WebSocket at /api/ws carries the
 * whole CuratorApi as `{id, method, params}` → `{id, result}` | `{id, error}`, and pushes
 * `{type: "event", run_id, event}` for subscribed runs. Other paths serve the built renderer.
 */
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import type { ApiErrorCode, CuratorApi, CuratorEvent, CuratorEvents, WireEvent, WireResponse } from '../service/contract.js';
import { API_METHODS } from '../service/schemas.js';
import { callApi, parseCallBody, parseWireMessage } from './rpc.js';
import { allowedHosts, foreignOrigin, hostForUrl, isLoopback, newToken, requestToken, tokenCookieName, tokensEqual } from './security.js';
import { indexFile, newNonce, PLACEHOLDER_PAGE, resolveStatic, sendFile, sendHtml } from './static.js';

/** What the server serves and where. */
export interface ServeOptions {
  service: CuratorApi & CuratorEvents;
  /** Address to listen on (default 127.0.0.1). Anything but loopback needs `allowRemote`. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  allowRemote?: boolean;
  /** The access token; a random one by default. */
  token?: string;
  /** The built renderer folder; null serves the placeholder page. */
  rendererDir?: string | null;
  /** Where the server reports problems it cannot answer with (a socket error). */
  log?: (line: string) => void;
}

/** A running server. */
export interface CuratorServer {
  host: string;
  port: number;
  token: string;
  /** The address to open, token included: http://127.0.0.1:PORT/?token=… */
  url: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Thrown for a listen address the options do not allow. */
export class ServeError extends Error {
  override name = 'ServeError';
}

/** Largest request body (a pipeline is at most 2 MB of text). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Largest WebSocket message. */
const MAX_WS_MESSAGE_BYTES = 8 * 1024 * 1024;
/** A client that has this much unsent data misses per-task events (status events still reach it). */
const SLOW_CLIENT_BYTES = 1024 * 1024;
/** Seconds between WebSocket pings; a client that misses one is dropped. */
const PING_INTERVAL_MS = 30_000;

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const STATUS_OF: Record<ApiErrorCode, number> = { invalid_argument: 400, invalid_pipeline: 400, not_found: 404, conflict: 409, internal: 500 };

const SubscribeParams = z.object({ run_id: z.string().min(1).max(200).optional() }).strict();

/** Starts the server; resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<CuratorServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.allowRemote) {
    throw new ServeError(`--host ${host} is reachable from other machines; pass --allow-remote as well if that is really wanted (anyone who has the token can then run programs on this machine)`);
  }
  const token = opts.token ?? newToken();
  const log = opts.log ?? ((l) => process.stderr.write(`curator serve: ${l}\n`));
  const service = opts.service;
  const rendererDir = opts.rendererDir ?? null;
  let allowed = new Set<string>();
  let cookieName = '';

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const given = requestToken(req, url, cookieName);
    return given !== null && tokensEqual(given, token);
  };

  const server = http.createServer((req, res) => {
    handleHttp(req, res).catch((e: unknown) => {
      log(`request ${req.method} ${req.url?.split('?')[0]} failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) return sendJson(res, 400, { error: { code: 'invalid_argument', message: 'bad request target' } });
    if (isApiPath(url.pathname)) {
      if (!authorized(req, url)) return sendJson(res, 401, { error: { code: 'unauthenticated', message: 'a valid token is required: ?token=, Authorization: Bearer, or the cookie set by opening the printed URL' } }, { 'WWW-Authenticate': 'Bearer' });
      const why = foreignOrigin(req, allowed);
      if (why) return sendJson(res, 403, { error: { code: 'forbidden', message: why } });
      return handleApi(req, res, url);
    }
    const why = foreignOrigin(req, allowed);
    if (why) return sendText(res, 403, `Forbidden: ${why}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    const headers: Record<string, string> = {};
    // Opening the printed URL stores the token in a cookie, so the page's own requests and its
    // WebSocket carry it without the page handling it.
    const given = url.searchParams.get('token');
    if (given && tokensEqual(given, token)) headers['Set-Cookie'] = `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`;
    const target = await resolveStatic(rendererDir, url.pathname);
    const head = req.method === 'HEAD';
    switch (target.kind) {
      case 'outside':
        return sendText(res, 403, 'Forbidden: the path leaves the app folder\n');
      case 'missing':
        return sendText(res, 404, 'Not Found\n');
      case 'file': {
        if (!/\.html?$/i.test(target.file)) return sendFile(res, target.file, target.size, head, { ...COMMON_HEADERS, ...headers });
        const nonce = newNonce();
        return sendHtml(res, await readFile(target.file, 'utf8'), nonce, head, { ...COMMON_HEADERS, ...headers, 'Content-Security-Policy': csp(req, nonce) });
      }
      case 'index': {
        const index = await indexFile(rendererDir);
        const nonce = newNonce();
        return sendHtml(res, index ? await readFile(index.file, 'utf8') : PLACEHOLDER_PAGE, nonce, head, { ...COMMON_HEADERS, ...headers, 'Content-Security-Policy': csp(req, nonce) });
      }
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = url.pathname;
    if (route === '/api/health' && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, { status: 'ok', methods: API_METHODS });
    if (route === '/api/ws') return sendJson(res, 426, { error: { code: 'invalid_argument', message: '/api/ws is a WebSocket endpoint' } }, { Upgrade: 'websocket' });
    if (route === '/api/call') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'invalid_argument', message: 'POST a JSON body {"method", "params"}' } }, { Allow: 'POST' });
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { error: { code: 'invalid_argument', message: 'the body must be application/json' } });
      const body = await readBody(req);
      if (body === null) return sendJson(res, 413, { error: { code: 'invalid_argument', message: `the body is larger than ${MAX_BODY_BYTES} bytes` } });
      const parsed = parseCallBody(body);
      if ('error' in parsed) return sendJson(res, 400, { error: parsed.error });
      const outcome = await callApi(service, parsed.method, parsed.params);
      return 'error' in outcome ? sendJson(res, STATUS_OF[outcome.error.code], outcome) : sendJson(res, 200, outcome);
    }
    return sendJson(res, 404, { error: { code: 'not_found', message: `no API route ${route}; the API is the WebSocket at /api/ws (and POST /api/call)` } });
  }

  // -- WebSocket --------------------------------------------------------------------------------

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const url = requestUrl(req);
    if (!url) return refuseUpgrade(socket, 400, 'Bad Request');
    if (isApiPath(url.pathname) && !authorized(req, url)) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (foreignOrigin(req, allowed)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (url.pathname !== '/api/ws') return refuseUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => undefined);
    const subs = new Map<string, () => void>();
    const send = (msg: WireResponse | WireEvent) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    };
    const push = (e: CuratorEvent) => {
      if (e.type === 'task_processed' && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
      send({ type: 'event', run_id: e.run_id, event: e });
    };
    ws.on('message', (data: RawData) => {
      const parsed = parseWireMessage(rawText(data));
      if ('error' in parsed) return send({ id: parsed.id, error: parsed.error });
      const { id, method, params } = parsed.call;
      if (method === 'subscribe' || method === 'unsubscribe') {
        const p = SubscribeParams.safeParse(params ?? {});
        if (!p.success) return send({ id, error: { code: 'invalid_argument', message: `${method}: expected {"run_id"?: string}`, problems: p.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`) } });
        const runId = p.data.run_id ?? null;
        const key = runId ?? '*';
        subs.get(key)?.();
        subs.delete(key);
        send({ id, result: { [method === 'subscribe' ? 'subscribed' : 'unsubscribed']: runId } });
        if (method === 'subscribe') {
          // With an all-runs subscription open, a run's own one only replays what was missed,
          // so that no live event arrives twice.
          let replaying = true;
          const listener = runId === null ? push : (e: CuratorEvent) => (replaying || !subs.has('*') ? push(e) : undefined);
          subs.set(key, service.subscribe(runId, listener));
          replaying = false;
        }
        return;
      }
      void callApi(service, method, params).then((outcome) => send({ id, ...outcome }));
    });
    ws.on('close', () => {
      for (const off of subs.values()) off();
      subs.clear();
    });
  }

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  // -- listen -----------------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host.replace(/^\[|\]$/g, ''), () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  allowed = allowedHosts(host, port);
  cookieName = tokenCookieName(port);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${hostForUrl(shown)}:${port}/?token=${token}`;

  /** The page's policy: scripts from the app only; styles from the app or carrying this response's nonce. */
  function csp(req: IncomingMessage, nonce: string): string {
    const self = req.headers.host ?? `${hostForUrl(shown)}:${port}`;
    return `default-src 'self'; script-src 'self'; connect-src 'self' ws://${self}; img-src 'self' data:; style-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
  }

  return {
    host,
    port,
    token,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(pinger);
        for (const ws of wss.clients) ws.close(1001, 'server stopping');
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000).unref();
      }),
  };
}

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/** The request target as a URL; null for anything but an origin-form path (`/…`). */
function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://curator.invalid');
  } catch {
    return null;
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Reads a request body up to the size limit; null when it is larger. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...COMMON_HEADERS, ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(text.length), 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  const text = Buffer.from(body);
  res.writeHead(status, { ...COMMON_HEADERS, ...extra, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(text.length) });
  res.end(text);
}

/** Answers a refused WebSocket upgrade with a plain HTTP status and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ error: { code: status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'not_found', message: reason } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${status === 401 ? 'WWW-Authenticate: Bearer\r\n' : ''}\r\n${body}`);
}
