/**
 * The API over `curator serve`'s WebSocket (`/api/ws`), as the same `CuratorClient` the Electron
 * preload gives, so pages never know which host they have. Wire protocol (contract.ts):
 * `{id, method, params}` → `{id, result}` | `{id, error}`, and `{type: 'event', run_id, event}`
 * for subscribed runs. The token travels as the HttpOnly cookie the server set when the page was
 * opened with `?token=`. A dropped connection rejects the calls in flight and reconnects with
 * backoff (0.5 s doubling to 5 s), subscribing again to every key that still has listeners.
 */
import type { ApiErrorInfo, ApiMethod, CuratorClient, CuratorEvent, CuratorEventListener } from '../../../runner/service/contract';
import { ALL_RUNS, EventRouter } from './event-router';
import { CONNECTION_LOST, CuratorClientError } from './errors';
import { API_METHOD_NAMES } from './methods';

/** Where the connection stands: the frame shows a banner unless 'connected'. */
export type ConnectionStatus = 'connected' | 'connecting' | 'reconnecting';

/** The part of a WebSocket the client uses (the browser's, or the `ws` package's in Node). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: never) => unknown) | null;
  onclose: ((ev: never) => unknown) | null;
  onerror: ((ev: never) => unknown) | null;
  onmessage: ((ev: never) => unknown) | null;
}

/** A WebSocket constructor. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WsClientOptions {
  /** Default: `ws(s)://<this page's host>/api/ws`. */
  url?: string;
  /** Default: the global WebSocket (Node 20 has none: pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /** First reconnect delay (ms); doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** The client, plus what only a WebSocket connection has. */
export type WsClient = CuratorClient & {
  /** Closes the connection for good; calls in flight and later calls reject. */
  close(): void;
  /** Calls `fn` with every status change (and at once with the current one); returns the unsubscribe function. */
  onStatus(fn: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
};

const OPEN = 1;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** `ws://host/api/ws` for this page. */
export function defaultWsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
}

/** Builds the client and starts connecting. */
export function createWsClient(options: WsClientOptions = {}): WsClient {
  const url = options.url ?? defaultWsUrl();
  const Ctor = options.WebSocket ?? (globalThis as unknown as { WebSocket: WebSocketConstructor }).WebSocket;
  const retryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const router = new EventRouter((err) => console.error('a Curator event listener failed', err));
  const pending = new Map<number, Pending>();
  /** Calls made while not connected, sent once the connection opens. */
  const outbox: Array<{ send: () => void; p: Pending }> = [];
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocketLike | null = null;
  let nextId = 0;
  let delay = retryMs;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const setStatus = (s: ConnectionStatus) => {
    if (s === status) return;
    status = s;
    for (const fn of [...statusListeners]) fn(s);
  };

  const rawSend = (msg: object) => {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(msg));
  };

  /** Sends a request now when connected, else when the connection opens. */
  const request = (method: string, params: unknown, p: Pending | null) => {
    const send = () => {
      const id = ++nextId;
      if (p) pending.set(id, p);
      rawSend(params === undefined ? { id, method } : { id, method, params });
    };
    if (socket && socket.readyState === OPEN) send();
    else if (p) outbox.push({ send, p });
  };

  const subscribeKey = (key: string, method: 'subscribe' | 'unsubscribe') => request(method, key === ALL_RUNS ? {} : { run_id: key }, null);

  const onMessage = (data: unknown) => {
    let msg: unknown;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const m = msg as { type?: unknown; event?: CuratorEvent; id?: unknown; result?: unknown; error?: ApiErrorInfo };
    if (m.type === 'event' && m.event) return router.dispatch(m.event);
    if (typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new CuratorClientError(m.error));
    else p.resolve(m.result);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    let ws: WebSocketLike;
    try {
      ws = new Ctor(url);
    } catch {
      return scheduleReconnect();
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      delay = retryMs;
      setStatus('connected');
      for (const key of router.keys()) subscribeKey(key, 'subscribe');
      for (const queued of outbox.splice(0)) queued.send();
    };
    ws.onmessage = ((ev: { data: unknown }) => {
      if (socket === ws) onMessage(ev.data);
    }) as (ev: never) => unknown;
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failPending(CONNECTION_LOST);
      if (closed) return;
      setStatus(status === 'connecting' ? 'connecting' : 'reconnecting');
      scheduleReconnect();
    };
  };

  const scheduleReconnect = () => {
    if (closed || timer) return;
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, maxRetryMs);
  };

  const failPending = (message: string) => {
    const err = () => new CuratorClientError({ code: 'internal', message });
    for (const p of pending.values()) p.reject(err());
    pending.clear();
  };

  const call = (method: ApiMethod, args: unknown): Promise<unknown> => {
    if (closed) return Promise.reject(new CuratorClientError({ code: 'internal', message: `${CONNECTION_LOST} (the client was closed)` }));
    return new Promise((resolve, reject) => request(method, args, { resolve, reject }));
  };

  const api: Record<string, unknown> = {};
  for (const method of API_METHOD_NAMES) api[method] = (args?: unknown) => call(method, args);

  const client = Object.assign(api, {
    subscribe(runId: string | null, listener: CuratorEventListener): () => void {
      const key = runId ?? ALL_RUNS;
      const { isNewKey, remove } = router.add(key, listener);
      if (isNewKey) subscribeKey(key, 'subscribe');
      return () => {
        if (remove()) subscribeKey(key, 'unsubscribe');
      };
    },
    close(): void {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      failPending(CONNECTION_LOST);
      for (const queued of outbox.splice(0)) queued.p.reject(new CuratorClientError({ code: 'internal', message: CONNECTION_LOST }));
    },
    onStatus(fn: (s: ConnectionStatus) => void): () => void {
      statusListeners.add(fn);
      fn(status);
      return () => void statusListeners.delete(fn);
    },
  });
  Object.defineProperty(client, 'status', { get: () => status, enumerable: false });
  connect();
  return client as unknown as WsClient;
}

/** Removes `?token=` from the address bar once the page has loaded (the cookie holds the token now). */
export function stripTokenFromAddress(): void {
  const u = new URL(window.location.href);
  if (!u.searchParams.has('token')) return;
  u.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${u.pathname}${u.search}${u.hash}`);
}
