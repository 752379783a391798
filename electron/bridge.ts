/**
 * What the preload exposes, built over a minimal IPC interface so that tests can drive it with a
 * fake: `window.curator` is exactly the service's `CuratorClient` (every API method, plus
 * `subscribe`), and `window.curatorShell` the shell features. Channel names stay in this closure;
 * errors arrive as plain `{code, message, problems}` objects, because Error subclasses lose their
 * fields when they cross the context bridge.
 */
import type { ApiErrorInfo, CuratorClient, CuratorEventListener } from '../runner/service/contract.js';
import { API_METHOD_NAMES } from '../runner/service/method-names.js';
import { ALL_RUNS_KEY, CHANNELS, type EventMessage } from './channels.js';
import { isAllowedExternal } from './security.js';

/** The part of `ipcRenderer` the bridge uses; `on` listeners get the payload only, never the event. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): void;
}

/** A filter of a native file dialog. */
export interface FileFilter {
  name: string;
  extensions: string[];
}

/** `window.curatorShell`: the renderer's `ShellApi` (renderer/src/shell/types.ts) in Electron. */
export interface ShellBridge<F> {
  readonly kind: 'electron';
  pickPath(args: { kind: 'file' | 'folder'; title?: string; defaultPath?: string; filters?: FileFilter[] }): Promise<string | null>;
  pathForFile(file: F): string | null;
  saveText(args: { suggestedName: string; text: string; filters?: FileFilter[] }): Promise<string | null>;
  openText(args: { filters?: FileFilter[] }): Promise<{ name: string; path: string | null; text: string } | null>;
  openExternal(url: string): Promise<void>;
}

/** The answer of every invoke: a result or a typed error. */
export type Envelope = { result: unknown } | { error: ApiErrorInfo };

/** Throws the error of an envelope as a plain object, or returns its result. */
export function unwrap(reply: unknown): unknown {
  if (reply && typeof reply === 'object') {
    if ('error' in reply) {
      const e = (reply as { error: Partial<ApiErrorInfo> | null }).error;
      const plain: ApiErrorInfo = {
        code: e?.code ?? 'internal',
        message: typeof e?.message === 'string' ? e.message : 'the Curator service failed without a message',
      };
      if (Array.isArray(e?.problems)) plain.problems = e.problems.map(String);
      throw plain;
    }
    if ('result' in reply) return (reply as { result: unknown }).result;
  }
  throw { code: 'internal', message: 'the Curator service gave an answer the app does not understand' } satisfies ApiErrorInfo;
}

/** Builds `window.curator`. */
export function createBridge(ipc: BridgeIpc): CuratorClient {
  const listeners = new Map<string, Set<{ fn: CuratorEventListener }>>();
  ipc.on(CHANNELS.event, (payload) => {
    const m = payload as Partial<EventMessage> | null;
    if (!m || typeof m.key !== 'string') return;
    const set = listeners.get(m.key);
    if (!set) return;
    for (const entry of [...set]) {
      try {
        entry.fn(m.event as Parameters<CuratorEventListener>[0]);
      } catch (e: unknown) {
        console.error('a Curator event listener failed:', e);
      }
    }
  });
  const feed = (key: string, on: boolean): void => {
    ipc.invoke(CHANNELS.subscribe, key, on).then(unwrap).catch((e: unknown) => console.error(`Curator events for ${key}:`, e));
  };

  const client: Record<string, unknown> = {};
  for (const method of API_METHOD_NAMES) {
    client[method] = async (args?: unknown) => unwrap(await ipc.invoke(CHANNELS.call, method, args));
  }
  client.subscribe = (runId: string | null, listener: CuratorEventListener): (() => void) => {
    if (runId !== null && (typeof runId !== 'string' || runId === ALL_RUNS_KEY || runId === '')) throw new TypeError('subscribe: runId must be a run id or null');
    if (typeof listener !== 'function') throw new TypeError('subscribe: listener must be a function');
    const key = runId ?? ALL_RUNS_KEY;
    let set = listeners.get(key);
    if (!set) {
      set = new Set();
      listeners.set(key, set);
      feed(key, true);
    }
    const entry = { fn: listener };
    set.add(entry);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const s = listeners.get(key);
      if (!s) return;
      s.delete(entry);
      if (s.size === 0) {
        listeners.delete(key);
        feed(key, false);
      }
    };
  };
  return client as unknown as CuratorClient;
}

/** Builds `window.curatorShell`; `pathOf` is Electron's `webUtils.getPathForFile`. */
export function createShellBridge<F>(ipc: BridgeIpc, pathOf: (file: F) => string): ShellBridge<F> {
  const call = async (channel: string, args: unknown): Promise<unknown> => unwrap(await ipc.invoke(channel, args));
  return {
    kind: 'electron',
    pickPath: async (args) => (await call(CHANNELS.pickPath, args)) as string | null,
    pathForFile: (file) => {
      try {
        return pathOf(file) || null;
      } catch {
        return null;
      }
    },
    saveText: async (args) => (await call(CHANNELS.saveText, args)) as string | null,
    openText: async (args) => (await call(CHANNELS.openText, args)) as { name: string; path: string | null; text: string } | null,
    openExternal: async (url) => {
      if (typeof url !== 'string' || !isAllowedExternal(url)) throw { code: 'invalid_argument', message: `only http and https links open in the browser, not "${String(url)}"` } satisfies ApiErrorInfo;
      await call(CHANNELS.openExternal, url);
    },
  };
}
