import { comparePaths } from './files.js';
import type { ByteRange } from './line-ranges.js';

/**
 * How input files become partitions (tasks), as pure functions. NeMo Curator's rules for whole
 * files (`files_per_partition` slices in path order; `blocksize` greedy by size), plus the readers'
 * splitting of large files into pieces: byte ranges of an uncompressed JSON-lines file, runs of row
 * groups of a Parquet file. Splitting keeps the memory of one task bounded by about the piece size.
 */

/** Files larger than this are split when neither files_per_partition nor blocksize says otherwise. */
export const DEFAULT_SPLIT_THRESHOLD = 16 * 2 ** 20;
/** The size of the pieces such a file is split into. */
export const DEFAULT_PIECE_BYTES = 8 * 2 ** 20;

/** A run of row groups `[start, end)` of a Parquet file, with the rows they hold (0-based, half-open). */
export interface RowGroupRange {
  start: number;
  end: number;
  row_start: number;
  row_end: number;
}

/** Part of one file: a byte range or a run of row groups. */
export type FilePiece = { byte_range: ByteRange } | { row_groups: RowGroupRange };

/** One partition: whole files, or one piece of one file. */
export interface Partition {
  files: string[];
  piece?: FilePiece;
}

/** Above what size a file is split, and into pieces of about what size. */
export function splitSizes(blocksize: number | null): { threshold: number; target: number } {
  return blocksize === null ? { threshold: DEFAULT_SPLIT_THRESHOLD, target: DEFAULT_PIECE_BYTES } : { threshold: blocksize, target: blocksize };
}

/** Consecutive slices of `n` files (files already sorted by path). */
export function groupByCount(files: readonly string[], n: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < files.length; i += n) out.push(files.slice(i, i + n));
  return out;
}

/**
 * Greedy grouping by size, NeMo Curator's rule: files sorted by size ascending (ties by path), each
 * added to the current group unless `current + size > blocksize`, which starts a new group. A file
 * larger than the block gets a group of its own.
 */
export function groupBySize(files: ReadonlyArray<{ path: string; size: number }>, blocksize: number): Array<{ files: string[]; bytes: number }> {
  const sorted = [...files].sort((a, b) => a.size - b.size || comparePaths(a.path, b.path));
  const out: Array<{ files: string[]; bytes: number }> = [];
  let current: { files: string[]; bytes: number } | null = null;
  for (const f of sorted) {
    if (current && current.bytes + f.size > blocksize) {
      out.push(current);
      current = null;
    }
    current ??= { files: [], bytes: 0 };
    current.files.push(f.path);
    current.bytes += f.size;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Partitions of files (sorted by path) of which some are split into `pieces` (a file with fewer
 * than two pieces counts as whole). With a blocksize: the whole files grouped greedily by size,
 * then the pieces of each split file in path order. Otherwise: slices of `filesPerPartition` whole
 * files in path order, a split file's pieces taking its place in that order (the slice being filled
 * carries on after them).
 */
export function planPartitions(
  files: ReadonlyArray<{ path: string; size: number }>,
  pieces: ReadonlyMap<string, FilePiece[]>,
  opts: { blocksize: number | null; filesPerPartition: number },
): Partition[] {
  const isSplit = (p: string) => (pieces.get(p)?.length ?? 0) > 1;
  const piecesOf = (p: string): Partition[] => (pieces.get(p) ?? []).map((piece) => ({ files: [p], piece }));
  if (opts.blocksize !== null) {
    const whole = groupBySize(
      files.filter((f) => !isSplit(f.path)),
      opts.blocksize,
    ).map((g): Partition => ({ files: g.files }));
    return [...whole, ...files.filter((f) => isSplit(f.path)).flatMap((f) => piecesOf(f.path))];
  }
  const out: Partition[] = [];
  let current: string[] = [];
  for (const f of files) {
    if (isSplit(f.path)) {
      out.push(...piecesOf(f.path));
      continue;
    }
    current.push(f.path);
    if (current.length === opts.filesPerPartition) {
      out.push({ files: current });
      current = [];
    }
  }
  if (current.length) out.push({ files: current });
  return out;
}

/**
 * Runs of consecutive row groups holding about `target` bytes each (on disk): a run ends when the
 * next group would take it past the target. A row group larger than the target is a run alone.
 */
export function rowGroupRuns(groups: ReadonlyArray<{ bytes: number; rows: number }>, target: number): RowGroupRange[] {
  const out: RowGroupRange[] = [];
  let run: RowGroupRange | null = null;
  let runBytes = 0;
  let row = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as { bytes: number; rows: number };
    if (run && runBytes + g.bytes > target) {
      out.push(run);
      run = null;
      runBytes = 0;
    }
    run ??= { start: i, end: i, row_start: row, row_end: row };
    run.end = i + 1;
    run.row_end = row + g.rows;
    runBytes += g.bytes;
    row += g.rows;
  }
  if (run) out.push(run);
  return out;
}
