/**
 * Where the run history lives. The desktop app keeps it in Electron's `userData` folder; the CLI
 * and `curator serve` compute the same folder without Electron, so every run lands in one
 * database whichever host started it. `CURATOR_HOME` overrides the folder (tests use a temporary one).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The product name Electron derives `userData` from (package.json `productName`). */
export const PRODUCT_NAME = 'Curator Desktop';

/** The history database's file name inside the Curator home folder. */
export const HISTORY_FILE = 'history.db';

/**
 * The Curator home folder: `CURATOR_HOME` when set, else Electron's `userData` for "Curator Desktop":
 * `$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS,
 * `%APPDATA%` on Windows, each followed by the product name.
 */
export function defaultCuratorHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (env.CURATOR_HOME) return p.resolve(env.CURATOR_HOME);
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) || os.homedir();
  switch (platform) {
    case 'darwin':
      return p.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      // Electron's appData on Linux and the BSDs follows the XDG base-directory rule.
      return p.join(env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : p.join(home, '.config'), PRODUCT_NAME);
  }
}

/** The file in the default app-data folder that names a data folder the user chose instead. */
export const LOCATION_FILE = 'location.json';

/**
 * The data folder in use: `CURATOR_HOME` when set, else the folder `location.json` in the default
 * app-data folder names (chosen in the app's settings), else the default app-data folder. Every
 * host (CLI, `curator serve`, the desktop app) opens the history here.
 */
export function curatorHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, appData: string = defaultAppDataDir(env, platform)): string {
  if (env.CURATOR_HOME) return defaultCuratorHome(env, platform);
  return chosenDataDir(path.join(appData, LOCATION_FILE)) ?? appData;
}

/** The default app-data folder, CURATOR_HOME ignored (Electron's `userData`): where location.json lives. */
export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return defaultCuratorHome({ ...env, CURATOR_HOME: '' }, platform);
}

/** Where a newly chosen data folder is recorded; null when CURATOR_HOME chooses the folder instead. */
export function locationFile(env: NodeJS.ProcessEnv = process.env, appData: string = defaultAppDataDir(env)): string | null {
  return env.CURATOR_HOME ? null : path.join(appData, LOCATION_FILE);
}

/** The absolute data folder a location file names, or null (no file, unreadable, or not absolute). */
export function chosenDataDir(file: string): string | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { data_dir?: unknown } | null;
    return v && typeof v.data_dir === 'string' && path.isAbsolute(v.data_dir) ? path.resolve(v.data_dir) : null;
  } catch {
    return null;
  }
}

/** The history database inside a Curator home folder. */
export function historyDbPath(home: string): string {
  return path.join(home, HISTORY_FILE);
}
