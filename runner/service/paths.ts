/**
 * Where the bundled files are: the project folder holds `resources/` (templates, sample data)
 * and `renderer/dist/` (the built UI). Found by walking up from this module, so the same code
 * works from the sources and from `dist/`; the Electron shell passes its own folders instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'curator-desktop';

/** The folder whose package.json is this project's, or null (a bundled build without one). */
export function projectRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; ) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The bundled `resources/` folder, or null. */
export function defaultResourcesDir(): string | null {
  const root = projectRoot();
  return root ? path.join(root, 'resources') : null;
}

/** The built renderer (`renderer/dist/`), or null when the project folder is unknown. */
export function defaultRendererDir(): string | null {
  const root = projectRoot();
  return root ? path.join(root, 'renderer', 'dist') : null;
}
