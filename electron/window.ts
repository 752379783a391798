/**
 * The app's one window and the guards every web contents gets: it loads only `app://curator/`,
 * cannot navigate or be redirected anywhere else, opens no new windows (http and https links go to
 * the system browser instead), attaches no webviews, and is granted no permission but the
 * clipboard write of its Copy buttons.
 */
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { APP_INDEX_URL, isAllowedExternal, isAppUrl, isPermissionGranted, windowWebPreferences } from './security.js';

/** Creates the main window and loads the app; it shows when its first paint is ready. */
export function createMainWindow(preload: string, icon: string | undefined): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Curator Desktop',
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    autoHideMenuBar: true,
    ...(icon ? { icon } : {}),
    webPreferences: windowWebPreferences(preload),
  });
  win.once('ready-to-show', () => win.show());
  // A page that fails to load never becomes ready to show; the window must still appear.
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    // -3 is ERR_ABORTED: a navigation replaced or refused (will-navigate), not a failed page.
    if (!isMainFrame || code === -3) return;
    process.stderr.write(`curator desktop: ${url} did not load: ${description} (${code})\n`);
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  });
  // The failure itself is reported by did-fail-load above.
  win.loadURL(APP_INDEX_URL).catch(() => undefined);
  return win;
}

/** Navigation, popup and webview guards; main.ts applies them to every web contents created. */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Denies every permission request and check (camera, notifications, geolocation, …) but those of `isPermissionGranted`. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
}

/** Shows and focuses a window, restoring it when minimised. */
export function bringToFront(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
