/**
 * The main process's IPC handlers, the only place that touches `ipcMain`. Every handler first
 * checks its sender (sender.ts: the app window's top frame at `app://curator`), then answers with
 * an envelope `{result}` or `{error}`, so nothing thrown in the main process reaches the page as
 * an Electron error string. API calls and event feeds go through `ApiHost`; the shell features go
 * to the native dialogs and the system browser.
 */
import { ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ApiErrorInfo } from '../runner/service/contract.js';
import { toApiError } from '../runner/service/errors.js';
import type { CuratorService } from '../runner/service/service.js';
import { ApiHost } from './api-host.js';
import type { Envelope } from './bridge.js';
import { CHANNELS, type EventMessage } from './channels.js';
import { openText, pickPath, saveText } from './dialogs.js';
import { isAllowedExternal } from './security.js';
import { refuseSender, senderUrl } from './sender.js';

/** What the handlers need. */
export interface IpcOptions {
  service: CuratorService;
  /** The app window (null before it exists or after it closed). */
  window(): BrowserWindow | null;
  log(message: string): void;
}

/** Registers every handler; returns the function that removes them. */
export function registerIpc(o: IpcOptions): () => void {
  let host: { contentsId: number; api: ApiHost } | null = null;

  // One ApiHost per page load of the window: a reload or a closed window ends its event feeds.
  const hostFor = (win: BrowserWindow): ApiHost => {
    const contents = win.webContents;
    if (host?.contentsId === contents.id) return host.api;
    host?.api.clear();
    const api = new ApiHost(o.service, (key, event) => {
      if (!contents.isDestroyed()) contents.send(CHANNELS.event, { key, event } satisfies EventMessage);
    });
    const reset = (): void => api.clear();
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) reset();
    });
    contents.on('render-process-gone', reset);
    contents.once('destroyed', reset);
    host = { contentsId: contents.id, api };
    return api;
  };

  /** Registers a handler; `fn` answers a value (wrapped as `{result}`), or an envelope when `envelope` is set. */
  const handle = (channel: string, fn: (win: BrowserWindow, ...args: unknown[]) => Promise<unknown>, envelope = false): void => {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Envelope> => {
      const win = o.window();
      const why = refuseSender(event, win && !win.isDestroyed() ? win.webContents.id : null) ?? (win ? null : 'no window');
      if (why || !win) {
        o.log(`refused an IPC call from ${senderUrl(event)}: ${why}`);
        return { error: { code: 'invalid_argument', message: `refused: ${why}` } satisfies ApiErrorInfo };
      }
      try {
        const out = await fn(win, ...args);
        return envelope ? (out as Envelope) : { result: out ?? null };
      } catch (e: unknown) {
        return { error: toApiError(e) };
      }
    });
  };

  handle(CHANNELS.call, async (win, method, args) => hostFor(win).call(method, args), true);
  handle(CHANNELS.subscribe, async (win, key, on) => hostFor(win).feed(key, on), true);
  handle(CHANNELS.pickPath, (win, args) => pickPath(win, args));
  handle(CHANNELS.saveText, (win, args) => saveText(win, args));
  handle(CHANNELS.openText, (win, args) => openText(win, args));
  handle(CHANNELS.openExternal, async (_win, url) => {
    if (typeof url !== 'string' || !isAllowedExternal(url)) throw new Error('only http and https links open in the browser');
    await shell.openExternal(url);
    return null;
  });

  return () => {
    for (const channel of Object.values(CHANNELS)) ipcMain.removeHandler(channel);
    host?.api.clear();
    host = null;
  };
}
