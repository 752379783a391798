/**
 * The shell's security policy as plain data and pure checks, so tests can read exactly what the
 * window is created with: the `webPreferences`, the Content-Security-Policy of every page, which
 * URLs belong to the app and which links may open in the system browser. No runtime imports at
 * all: the unit tests run it under plain Node, and the sandboxed preload bundles it.
 */
import type { WebPreferences } from 'electron';

/** The custom scheme the renderer is served from (registered as standard and secure). */
export const APP_SCHEME = 'app';
/** The one host of the scheme. */
export const APP_HOST = 'curator';
/** The renderer's origin, as a frame reports it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The window's web preferences: an isolated, sandboxed renderer with no Node, no webviews and
 * no way to navigate by dropping a file. The preload is the only bridge.
 */
export function windowWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * The Content-Security-Policy of every HTML response: scripts only from the app's own files, no
 * inline script, styles from the app's files or `<style>` elements carrying this response's nonce
 * (Mantine and CodeMirror inject those), no plugins, frames, forms or base-URL changes.
 */
export function buildCsp(nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error(`not a nonce: "${nonce}"`);
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of the app itself (`app://curator/…`), the only place the window may go. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * The permissions the app's own page is granted: writing text to the clipboard (the Copy buttons;
 * Chromium asks for `clipboard-sanitized-write` before every `navigator.clipboard.writeText`).
 * Everything else, and any request from another origin, is denied.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

/** Whether `permission`, asked by the page at `requester` (an origin or a URL), is granted. */
export function isPermissionGranted(permission: string, requester: string | undefined): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && requester !== undefined && isAppUrl(requester);
}

/** True for a link the system browser may open: http or https with a host, nothing else. */
export function isAllowedExternal(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
}
