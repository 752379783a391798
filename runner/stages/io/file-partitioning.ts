import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import { Resources } from '../../pipeline/resources.js';
import { ValidationError } from '../../pipeline/errors.js';
import { FileGroupTask, type EmptyTask } from '../../pipeline/tasks.js';
import { registerStage, type CreateContext } from '../registry.js';
import { checkInputPaths, listInputFiles, parseByteSize } from './files.js';
import { groupByCount, groupBySize, planPartitions, splitSizes, type FilePiece, type Partition } from './partition-plan.js';

export { groupByCount, groupBySize } from './partition-plan.js';

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

/** The schema of FilePartitioningStage; the readers' partitioning stages share it. */
export const filePartitioningParams = z
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
export type FilePartitioningParams = z.output<typeof filePartitioningParams>;

/**
 * Lists the input files and groups them into partitions, NeMo Curator's `FilePartitioningStage`:
 * `EmptyTask → FileGroupTask[]`. By count (`files_per_partition`), by size (`blocksize`: files
 * sorted by size ascending, a new group when the next file would overflow the current one), or one
 * file per partition. Runs on a single worker.
 */
export class FilePartitioningStage extends ProcessingStage<EmptyTask, FileGroupTask> {
  readonly type: string = 'FilePartitioningStage';
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
    let groups = await this.partition(files);
    if (this.opts.limit !== undefined && groups.length > this.opts.limit) {
      this.log('info', `${this.name}: limit ${this.opts.limit} keeps ${this.opts.limit} of ${groups.length} partitions`);
      groups = groups.slice(0, this.opts.limit);
    }
    this.logMetric('num_files', new Set(groups.flatMap((g) => g.files)).size);
    this.logMetric('num_partitions', groups.length);
    return groups.map((group, i) => {
      const init = {
        dataset_name: datasetNameOf(group.files),
        data: group.files,
        _metadata: { partition_index: i, total_partitions: groups.length, source_files: [...group.files], ...group.piece },
      };
      return group.piece ? new FilePieceTask(init) : new FileGroupTask(init);
    });
  }

  /**
   * Pieces of a large file, for readers that can read part of a file; null (the default) keeps
   * every file whole, as NeMo Curator's stage does. Called only for files above the split threshold.
   */
  protected splitFile(_path: string, _size: number, _target: number): Promise<FilePiece[] | null> {
    return Promise.resolve(null);
  }

  /** True when this stage may split files (a reader's partitioning stage). */
  protected splitsFiles(): boolean {
    return false;
  }

  private async partition(files: string[]): Promise<Partition[]> {
    const blocksize = this.blocksizeBytes;
    if (!this.splitsFiles()) {
      if (blocksize === null) return groupByCount(files, this.opts.files_per_partition ?? 1).map((g) => ({ files: g }));
      return (await this.groupBySize(files, blocksize)).map((g) => ({ files: g }));
    }
    const sized = await Promise.all(files.map(async (path) => ({ path, size: (await stat(path)).size })));
    const { threshold, target } = splitSizes(blocksize);
    const pieces = new Map<string, FilePiece[]>();
    for (const f of sized) {
      if (f.size <= threshold) continue;
      const split = await this.splitFile(f.path, f.size, target);
      if (split && split.length > 1) pieces.set(f.path, split);
      else if (blocksize !== null) this.log('warn', `${this.name}: "${f.path}" holds ${f.size} bytes, above blocksize ${blocksize}, and cannot be split; it is read as one partition`);
    }
    if (pieces.size) this.log('info', `${this.name}: split ${pieces.size} large file(s) into ${[...pieces.values()].reduce((n, p) => n + p.length, 0)} pieces of about ${target} bytes`);
    return planPartitions(sized, pieces, { blocksize, filesPerPartition: this.opts.files_per_partition ?? 1 });
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

/**
 * A FileGroupTask for one piece of one file (`byte_range` or `row_groups` in its metadata). Its
 * content id, which becomes its task id at the source stage, includes the piece, so the pieces of a
 * file get distinct ids (and the writers distinct output names).
 */
export class FilePieceTask extends FileGroupTask {
  override getDeterministicId(): string {
    const m = this._metadata;
    const piece = m['byte_range'] ? `bytes=${JSON.stringify(m['byte_range'])}` : `row_groups=${JSON.stringify(m['row_groups'])}`;
    return createHash('sha256')
      .update([...this.data].sort().join('|') + '|' + piece)
      .digest('hex')
      .slice(0, 12);
  }
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
  params: filePartitioningParams,
  create: (p, ctx) => new FilePartitioningStage(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
  check: (p, ctx) => checkInputPaths('FilePartitioningStage', resolveFilePaths(p.file_paths, ctx), p.file_extensions),
});
