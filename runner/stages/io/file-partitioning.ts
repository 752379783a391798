import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import { Resources } from '../../pipeline/resources.js';
import { ValidationError } from '../../pipeline/errors.js';
import { FileGroupTask, type EmptyTask } from '../../pipeline/tasks.js';
import { registerStage, type CreateContext } from '../registry.js';
import { checkInputPaths, comparePaths, listInputFiles, parseByteSize } from './files.js';

/** `file_paths`: one path or a list; shared with the readers. */
export const filePathsParam = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe('A file or folder (listed recursively), or a list of files and folders (folders in a list are not listed recursively). Relative paths are relative to the pipeline file.');

/** `files_per_partition`; shared with the readers. */
export const filesPerPartitionParam = z.number().int().min(1).optional().describe('Number of files per partition (task). Leave out, with blocksize, for one file per partition.');

/** `blocksize`; shared with the readers. */
export const blocksizeParam = z
  .union([z.number().int().min(1), z.string().refine((s) => parseByteSize(s) !== null, { message: 'expected a size such as 134217728, "256MB" or "1GiB"' })])
  .optional()
  .describe('Target bytes per partition (on disk), as a number or a size like "256MB" or "1GiB"; files are grouped smallest first. Cannot be combined with files_per_partition.');

/** `limit`; shared with the readers. */
export const limitParam = z.number().int().min(1).optional().describe('Maximum number of partitions to produce (the first ones in order); leave out for all.');

/** `file_extensions` with the given default; shared with the readers. */
export function fileExtensionsParam(defaults: string[]): z.ZodDefault<z.ZodArray<z.ZodString>> {
  return z
    .array(z.string().min(1))
    .default(defaults)
    .describe('Extensions of the files to take from folders; compressed variants (".jsonl.gz", ".jsonl.zst") match too. An empty list takes every file.');
}

/** Rejects files_per_partition together with blocksize, naming the parameter (NeMo Curator raises ValueError). */
export function rejectBothPartitionSizes(p: { files_per_partition?: number | undefined; blocksize?: number | string | undefined }, ctx: z.RefinementCtx): void {
  if (p.files_per_partition !== undefined && p.blocksize !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['blocksize'], message: 'set either files_per_partition or blocksize, not both' });
  }
}

const params = z
  .object({
    file_paths: filePathsParam,
    files_per_partition: filesPerPartitionParam,
    blocksize: blocksizeParam,
    file_extensions: fileExtensionsParam(['.jsonl', '.json', '.parquet']),
    limit: limitParam,
  })
  .strict()
  .superRefine(rejectBothPartitionSizes);

/** Parameters of FilePartitioningStage, paths already absolute. */
export type FilePartitioningParams = z.output<typeof params>;

/**
 * Lists the input files and groups them into partitions, NeMo Curator's `FilePartitioningStage`:
 * `EmptyTask → FileGroupTask[]`. By count (`files_per_partition`), by size (`blocksize`: files
 * sorted by size ascending, a new group when the next file would overflow the current one), or one
 * file per partition. Runs on a single worker.
 */
export class FilePartitioningStage extends ProcessingStage<EmptyTask, FileGroupTask> {
  readonly type = 'FilePartitioningStage';
  private readonly opts: FilePartitioningParams;
  private readonly blocksizeBytes: number | null;

  constructor(p: FilePartitioningParams, name = 'file_partitioning') {
    super(p, name);
    if (p.files_per_partition !== undefined && p.blocksize !== undefined) {
      throw new ValidationError([`stage "${name}": set either files_per_partition or blocksize, not both`]);
    }
    this.opts = p;
    this.blocksizeBytes = p.blocksize === undefined ? null : parseByteSize(p.blocksize);
    if (p.blocksize !== undefined && this.blocksizeBytes === null) throw new ValidationError([`stage "${name}": blocksize ${JSON.stringify(p.blocksize)} is not a size`]);
    this.resources = new Resources({ cpus: 0.5 });
    this._num_workers = 1;
  }

  async process(_task: EmptyTask): Promise<FileGroupTask[]> {
    const files = await listInputFiles(this.opts.file_paths, this.opts.file_extensions);
    if (files.length === 0) {
      this.log('warn', `${this.name}: no input files found in ${JSON.stringify(this.opts.file_paths)}`);
      return [];
    }
    let groups = this.blocksizeBytes === null ? groupByCount(files, this.opts.files_per_partition ?? 1) : await this.groupBySize(files, this.blocksizeBytes);
    if (this.opts.limit !== undefined && groups.length > this.opts.limit) {
      this.log('info', `${this.name}: limit ${this.opts.limit} keeps ${this.opts.limit} of ${groups.length} partitions`);
      groups = groups.slice(0, this.opts.limit);
    }
    this.logMetric('num_files', groups.reduce((n, g) => n + g.length, 0));
    this.logMetric('num_partitions', groups.length);
    return groups.map(
      (group, i) =>
        new FileGroupTask({
          dataset_name: datasetNameOf(group),
          data: group,
          _metadata: { partition_index: i, total_partitions: groups.length, source_files: [...group] },
        }),
    );
  }

  private async groupBySize(files: string[], blocksize: number): Promise<string[][]> {
    const sized = await Promise.all(files.map(async (path) => ({ path, size: (await stat(path)).size })));
    const groups = groupBySize(sized, blocksize);
    for (const g of groups) {
      if (g.bytes > blocksize) this.log('warn', `${this.name}: partition of ${g.files.length} file(s) holds ${g.bytes} bytes, above blocksize ${blocksize} (first file "${g.files[0]}")`);
    }
    return groups.map((g) => g.files);
  }
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

/** The lower-cased name of the folder holding the group's first file. */
function datasetNameOf(group: readonly string[]): string {
  const first = group[0];
  return first === undefined ? '' : basename(dirname(first)).toLowerCase();
}

/** `file_paths` resolved against the pipeline file's folder, so that the stage stores absolute paths. */
export function resolveFilePaths(paths: string | string[], ctx: CreateContext): string | string[] {
  return typeof paths === 'string' ? ctx.resolvePath(paths) : paths.map((p) => ctx.resolvePath(p));
}

/** Drops keys whose value is undefined, so stored params re-parse with the strict schema unchanged. */
export function definedOnly<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

registerStage({
  type: 'FilePartitioningStage',
  category: 'io',
  description: 'Lists input files and groups them into partitions (one FileGroupTask each), by file count or by bytes.',
  params,
  create: (p, ctx) => new FilePartitioningStage(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
  check: (p, ctx) => checkInputPaths('FilePartitioningStage', resolveFilePaths(p.file_paths, ctx), p.file_extensions),
});
