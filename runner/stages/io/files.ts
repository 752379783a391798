import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * File-system helpers shared by the reader and partitioning stages: byte sizes written as text,
 * extension matching that sees through compression suffixes, and input listing that follows
 * NeMo Curator's rule (a folder given alone is listed recursively, a list of paths is not).
 */

/** Compression suffixes that may follow a data extension: `a.jsonl.gz` counts as `.jsonl`. */
export const COMPRESSION_SUFFIXES = ['.gz', '.zst'] as const;

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 2 ** 10,
  kib: 2 ** 10,
  mi: 2 ** 20,
  mib: 2 ** 20,
  gi: 2 ** 30,
  gib: 2 ** 30,
  ti: 2 ** 40,
  tib: 2 ** 40,
};

/**
 * Bytes of a size given as a number or as text like "256MB", "1.5 GiB" or "4096". Decimal units
 * (kB, MB, GB, TB) are powers of 1000 and binary units (KiB, MiB, GiB, TiB) powers of 1024, as in
 * the size strings NeMo Curator users write. Returns null for anything that is not a size of at
 * least one byte.
 */
export function parseByteSize(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 1 ? Math.floor(value) : null;
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return null;
  const unit = BYTE_UNITS[(m[2] ?? '').toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes >= 1 ? bytes : null;
}

/** Extensions as compared: lower-cased, with a leading dot. */
export function normalizeExtensions(exts: readonly string[]): string[] {
  return exts.map((e) => {
    const lower = e.trim().toLowerCase();
    return lower.startsWith('.') ? lower : `.${lower}`;
  });
}

/**
 * True when the file's name ends in one of the extensions, either directly or before a
 * compression suffix (`.jsonl.gz` matches `.jsonl`). An empty list matches every file.
 */
export function matchesExtension(file: string, exts: readonly string[]): boolean {
  if (exts.length === 0) return true;
  const name = basename(file).toLowerCase();
  const wanted = normalizeExtensions(exts);
  if (wanted.some((e) => name.endsWith(e))) return true;
  const suffix = COMPRESSION_SUFFIXES.find((s) => name.endsWith(s));
  if (!suffix) return false;
  const inner = name.slice(0, -suffix.length);
  return wanted.some((e) => inner.endsWith(e));
}

/** Hidden entries (".git", a writer's ".name.tmp-…" files) are never inputs. */
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** What a path names, or null when nothing is there. */
async function kindOf(p: string): Promise<'file' | 'dir' | 'other' | null> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Yields the matching files under a folder, recursively or not, in no particular order. Symbolic
 * links are followed; a folder reached twice (a link cycle) is listed once.
 */
export async function* walkFiles(dir: string, exts: readonly string[], recursive: boolean, seen = new Set<string>()): AsyncGenerator<string> {
  const id = await stat(dir).then((s) => `${s.dev}:${s.ino}`);
  if (seen.has(id)) return;
  seen.add(id);
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (isHidden(e.name)) continue;
    const full = join(dir, e.name);
    const kind = e.isSymbolicLink() ? await kindOf(full) : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other';
    if (kind === 'dir') {
      if (recursive) yield* walkFiles(full, exts, true, seen);
    } else if (kind === 'file' && matchesExtension(full, exts)) yield full;
  }
}

/** Thrown when an input path is missing; names the path. */
export class InputPathError extends Error {
  override name = 'InputPathError';
}

/**
 * The input files of `file_paths`, sorted by path and without duplicates. A single folder is listed
 * recursively; in a list, files are taken as given and folders contribute only their own files.
 * Files named explicitly are kept whatever their extension; listed folders keep matching files only.
 */
export async function listInputFiles(filePaths: string | readonly string[], exts: readonly string[]): Promise<string[]> {
  const single = typeof filePaths === 'string';
  const paths = single ? [filePaths] : filePaths;
  const found = new Set<string>();
  for (const p of paths) {
    const kind = await kindOf(p);
    if (kind === null) throw new InputPathError(`input path "${p}" does not exist`);
    if (kind === 'dir') for await (const f of walkFiles(p, exts, single)) found.add(f);
    else found.add(p);
  }
  return [...found].sort(comparePaths);
}

/** Code-point order, the same on every machine and locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Plan-time check of `file_paths` (already resolved): every path exists, and every folder holds at
 * least one matching file. One message per problem, each naming the stage and the path.
 */
export async function checkInputPaths(stage: string, filePaths: string | readonly string[], exts: readonly string[]): Promise<string[]> {
  const single = typeof filePaths === 'string';
  const paths = single ? [filePaths] : filePaths;
  const problems: string[] = [];
  for (const p of paths) {
    const kind = await kindOf(p);
    if (kind === null) {
      problems.push(`${stage}: input path "${p}" (file_paths) does not exist`);
      continue;
    }
    if (kind !== 'dir') continue;
    const walk = walkFiles(p, exts, single);
    const first = await walk.next();
    await walk.return(undefined);
    if (first.done) {
      const what = exts.length ? `no files ending in ${normalizeExtensions(exts).join(', ')}` : 'no files';
      problems.push(`${stage}: folder "${p}" has ${what}${single ? ' (searched recursively)' : ''}; check file_paths and file_extensions`);
    }
  }
  return problems;
}
