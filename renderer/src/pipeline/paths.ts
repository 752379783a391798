/**
 * Path text helpers for the browser, where `node:path` is not available: joining a relative path to
 * a folder and folding `.` and `..`, for POSIX and Windows paths alike (the service's machine may be
 * either). Display only: the service resolves paths itself.
 */

/** True for `/x`, `C:\x`, `C:/x` and `\\server\share`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** The separator a path uses: `\` for Windows-looking paths, `/` otherwise. */
export function separatorOf(p: string): '/' | '\\' {
  return /^[A-Za-z]:\\/.test(p) || (p.includes('\\') && !p.includes('/')) ? '\\' : '/';
}

/** Joins `rel` to `base` (unless `rel` is absolute) and folds `.` and `..` segments. */
export function joinPath(base: string, rel: string): string {
  if (isAbsolutePath(rel) || !base) return normalizePath(rel);
  const sep = separatorOf(base);
  return normalizePath(`${base.replace(/[\\/]+$/, '')}${sep}${rel}`);
}

/** Folds `.` and `..` and repeated separators, keeping the root. */
export function normalizePath(p: string): string {
  const sep = separatorOf(p);
  const root = /^[A-Za-z]:[\\/]/.test(p) ? p.slice(0, 3) : p.startsWith('/') ? '/' : '';
  const out: string[] = [];
  for (const part of p.slice(root.length).split(/[\\/]+/)) {
    if (!part || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !root) out.push(part);
  }
  return root + out.join(sep) || '.';
}

/** The folder part of a file path (`/a/b.yaml` → `/a`); null without a folder. */
export function dirnameOf(p: string): string | null {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) return null;
  return i === 0 ? p.slice(0, 1) : p.slice(0, i);
}

/** A folder path with a child appended. */
export function childPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}${separatorOf(dir)}${name}`;
}
