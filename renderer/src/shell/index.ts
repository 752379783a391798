/** The desktop shell's extras for pages: the provider, the hook, the host's shell and the types. */
import { createBrowserShell } from './browser-shell';
import type { ShellApi } from './types';

export { ShellProvider, useShell } from './context';
export { createBrowserShell } from './browser-shell';
export type { FileFilter, ShellApi } from './types';

/** The Electron preload's `window.curatorShell` when it is there, otherwise the browser's. */
export function createShell(): ShellApi {
  return (typeof window !== 'undefined' && window.curatorShell) || createBrowserShell();
}
