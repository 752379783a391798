/**
 * The app's one window and the guards every web contents gets: it loads only `app://curator/`,
 * cannot navigate or be redirected anywhere else, opens no new windows (http and https links go to
 * the system browser instead), attaches no webviews, and is granted no permission.
 */
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { APP_INDEX_URL, isAllowedExternal, isAppUrl, windowWebPreferences } from './security.js';

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
  void win.loadURL(APP_INDEX_URL);
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

/** Denies every permission request and check (camera, notifications, geolocation, …). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Shows and focuses a window, restoring it when minimised. */
export function bringToFront(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
