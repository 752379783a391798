/**
 * What only the desktop shell can do (native dialogs, paths of dropped files, the system browser).
 * The Electron preload exposes it as `window.curatorShell`; in a browser (`curator serve`)
 * `browser-shell.ts` gives the same interface with what a web page can do. `window.curator`
 * stays exactly the service's `CuratorClient`, identical in both hosts.
 */
import type { CuratorClient } from '../../../runner/service/contract';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface ShellApi {
  /** Which host this is: native dialogs exist only in 'electron'. */
  readonly kind: 'electron' | 'browser';
  /** A native open dialog; null when cancelled or when the host has no dialogs (the user types a path). */
  pickPath(args: { kind: 'file' | 'folder'; title?: string; defaultPath?: string; filters?: FileFilter[] }): Promise<string | null>;
  /** The absolute path of a dropped or chosen file; null when the host cannot know it (browsers). */
  pathForFile(file: File): string | null;
  /** Saves text: a native save dialog (answers the path, or null when cancelled) or a browser download (answers the file name). */
  saveText(args: { suggestedName: string; text: string; filters?: FileFilter[] }): Promise<string | null>;
  /** Opens a text file: a native dialog or the browser's file chooser; null when cancelled. */
  openText(args: { filters?: FileFilter[] }): Promise<{ name: string; path: string | null; text: string } | null>;
  /** Opens an http(s) link in the system browser (a new tab in a browser). */
  openExternal(url: string): Promise<void>;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the WebSocket client is used. */
    curator?: CuratorClient;
    curatorShell?: ShellApi;
  }
}
