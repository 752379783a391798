/**
 * The Electron main process: one instance, one window, the Curator service hosted in-process with
 * its stage workers in utility processes. Closing the window while runs are going asks whether to
 * keep them running in the background (tray) or cancel them; quitting leaves no worker behind.
 * The decisions live in pure modules (lifecycle, app-paths, security, sender, utility-launcher);
 * this file wires them to Electron.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, session, Tray, utilityProcess, type BrowserWindow } from 'electron';
import { HistoryStore } from '../runner/history/store.js';
import { createCuratorService, type CuratorService } from '../runner/service/service.js';
import { appFolders, rendererDirOf, resourcesDirOf, unpackedPath } from './app-paths.js';
import { askLeave } from './dialogs.js';
import { registerIpc } from './ipc.js';
import { Lifecycle } from './lifecycle.js';
import { registerAppScheme, serveApp } from './protocol.js';
import { UtilityWorkerLauncher } from './utility-launcher.js';
import { bringToFront, createMainWindow, denyPermissions, guardContents } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (m: string): void => void process.stderr.write(`curator desktop: ${m}\n`);

let win: BrowserWindow | null = null;
let tray: Tray | null = null;

// Both must run before the app is ready. They do: Electron emits `ready` only after this module
// (an ES module, loaded asynchronously) has finished evaluating.
registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  // Another instance owns the history and the window; it comes to the front instead.
  app.exit(0);
} else {
  app.on('second-instance', () => {
    if (win && !win.isDestroyed()) bringToFront(win);
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  // macOS: clicking the Dock icon brings back a window hidden in background mode.
  app.on('activate', () => {
    if (win && !win.isDestroyed()) bringToFront(win);
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => fatal('Curator Desktop could not start', e));
}

function fatal(title: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  log(`${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

function iconPath(appPath: string): string | undefined {
  const icon = path.join(appPath, 'resources', 'icons', 'icon.png');
  return existsSync(icon) ? icon : undefined;
}

async function start(): Promise<void> {
  const appPath = app.getAppPath();
  denyPermissions(session.defaultSession);
  serveApp(session.defaultSession, rendererDirOf(appPath), log);

  const { home, locationFile } = appFolders(process.env, app.getPath('userData'));
  let history: HistoryStore;
  try {
    history = HistoryStore.open({ home });
  } catch (e: unknown) {
    return fatal('Curator Desktop cannot open its run history', e);
  }
  const launcher = new UtilityWorkerLauncher({
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    shimPath: path.join(here, 'utility-worker.js'),
    onChildGone: (listener) => app.on('child-process-gone', (_event, details) => listener(details)),
  });
  // Templates name their sample data relative to themselves: from app.asar.unpacked those are real
  // paths, which worker processes and external programs can open.
  const resourcesDir = unpackedPath(resourcesDirOf(appPath));
  const service: CuratorService = createCuratorService({ history, launcher, source: 'app', resourcesDir, home, locationFile, log });
  const disposeIpc = registerIpc({ service, window: () => win, log });

  const lifecycle = new Lifecycle({
    activeRuns: async () => (await service.listRuns({ status: ['queued', 'running'], limit: 1 })).total,
    ask: (count) => askLeave(win, count),
    toBackground: () => {
      tray ??= createTray(appPath, lifecycle);
      // Without a tray icon to bring it back, the window only minimises.
      if (tray) win?.hide();
      else win?.minimize();
    },
    closeService: () => service.close(),
    killWorkers: (ms) => launcher.killAll(ms),
    closeHistory: () => {
      disposeIpc();
      history.close();
    },
    exit: (code) => {
      tray?.destroy();
      app.exit(code);
    },
    log,
  });

  app.on('before-quit', (event) => {
    if (lifecycle.exiting) return;
    event.preventDefault();
    void lifecycle.requestQuit(true);
  });
  app.on('window-all-closed', () => void lifecycle.requestQuit(false));

  win = createMainWindow(path.join(here, 'preload.cjs'), iconPath(appPath));
  win.on('close', (event) => {
    if (lifecycle.exiting) return;
    event.preventDefault();
    void lifecycle.requestQuit(true);
  });
  win.on('closed', () => (win = null));
}

/** The tray icon of background mode: Show brings the window back, Quit cancels the runs and quits. */
function createTray(appPath: string, lifecycle: Lifecycle): Tray | null {
  const icon = iconPath(appPath);
  if (!icon) return null;
  const t = new Tray(icon);
  t.setToolTip('Curator Desktop: runs continue in the background');
  const show = (): void => {
    if (win && !win.isDestroyed()) bringToFront(win);
  };
  t.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Curator Desktop', click: show },
      { type: 'separator' },
      { label: 'Quit (cancels running runs)', click: () => void lifecycle.requestQuit(false) },
    ]),
  );
  t.on('click', show);
  return t;
}
