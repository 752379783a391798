/**
 * Where the desktop app keeps and finds things, decided without Electron: the data folder
 * (CURATOR_HOME, else the folder the settings moved it to, else Electron's `userData`), the
 * bundled resources, and the unpacked twin of a file inside `app.asar` (a worker process cannot
 * resolve its dependencies from inside the archive, so workers start from `app.asar.unpacked`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { curatorHome, locationFile } from '../runner/history/paths.js';

/** The folders the app starts with. */
export interface AppFolders {
  /** The data folder: the history, settings and run outputs. */
  home: string;
  /** Where a newly chosen data folder is recorded for the next start; null under CURATOR_HOME. */
  locationFile: string | null;
}

/** The data folder to open: CURATOR_HOME, else the one location.json in `userData` names, else `userData`. */
export function appFolders(env: NodeJS.ProcessEnv, userData: string): AppFolders {
  return { home: curatorHome(env, process.platform, userData), locationFile: locationFile(env, userData) };
}

/** The same file in `app.asar.unpacked` when it is packed and its unpacked copy exists; else `file`. */
export function unpackedPath(file: string, exists: (p: string) => boolean = existsSync): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  const at = file.indexOf(marker);
  if (at < 0) return file;
  const candidate = `${file.slice(0, at)}${path.sep}app.asar.unpacked${path.sep}${file.slice(at + marker.length)}`;
  return exists(candidate) ? candidate : file;
}

/** The bundled `resources/` folder (templates and sample data) of the app at `appPath`. */
export function resourcesDirOf(appPath: string): string {
  return path.join(appPath, 'resources');
}

/** The built renderer of the app at `appPath`. */
export function rendererDirOf(appPath: string): string {
  return path.join(appPath, 'renderer', 'dist');
}
