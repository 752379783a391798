/**
 * Where a document came from: the readers add `_curator_origin` to every document they emit, and
 * the dedup stages order documents by it (path, then position), so that "keep the first copy" means
 * the same document on every backend and in every run.
 *
 * Forms, all 1-based or byte-exact and all increasing in file order:
 * - `<absolute path>:<line>`: a JSON-lines file read whole (the line number counts blank lines);
 * - `<absolute path>@<byte offset>`: a JSON-lines file split into byte ranges, read in parallel. No
 *   range knows how many lines precede it without scanning the file up to its start, so every
 *   document of a split file carries the byte offset (0-based) at which its line starts. A file is
 *   either read whole or split in one run, so the positions of one file are always comparable;
 * - `<absolute path>:<row>`: a Parquet file (row number in the file, 1-based, also for a task that
 *   reads only some of its row groups).
 */

/** The field every reader adds; writers drop it (and every other `_curator_` field) by default. */
export const ORIGIN_FIELD = '_curator_origin';

/** Fields whose name starts with this are the engine's own, never user data. */
export const INTERNAL_FIELD_PREFIX = '_curator_';

/** `<path>:<n>`, for a line or row number (1-based). */
export function lineOrigin(path: string, n: number): string {
  return `${path}:${n}`;
}

/** `<path>@<offset>`, for the byte offset at which a line of a split file starts. */
export function byteOrigin(path: string, offset: number): string {
  return `${path}@${offset}`;
}

/**
 * Splits an origin into its path and its position (the number after the last ":" or "@"). Position
 * increases in file order within one file for every form the readers write; null when the text has
 * no trailing number.
 */
export function parseOrigin(origin: string): { path: string; position: number } | null {
  const m = /^(.+)[:@](\d+)$/s.exec(origin);
  if (!m) return null;
  const position = Number(m[2]);
  return Number.isSafeInteger(position) ? { path: m[1] as string, position } : null;
}
