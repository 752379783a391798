import type { z } from 'zod';
import { CompositeStage } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord, type FileGroupTask } from '../../pipeline/tasks.js';
import { blocksizeParam, definedOnly, fileExtensionsParam, filePathsParam, filesPerPartitionParam, limitParam, type FilePartitioningParams } from './file-partitioning.js';

/**
 * What the JSONL and Parquet readers share: the composite's partitioning parameters, the composite
 * itself (a partitioning stage, then a reader stage), the piece a split file's task covers, and
 * the DocumentBatch a task becomes.
 */

/** How a reader describes its partitioning parameters (how it splits large files) and its defaults. */
export interface ReaderShapeOptions<F extends z.ZodType> {
  filesPerPartition: string;
  blocksize: string;
  fields: F;
  extensions: string[];
}

/**
 * The parameters every reader composite starts with, in the order they are documented:
 * `file_paths`, `files_per_partition`, `blocksize`, `fields`, `file_extensions`, `limit`.
 */
export function readerCompositeShape<F extends z.ZodType>(o: ReaderShapeOptions<F>) {
  return {
    file_paths: filePathsParam,
    files_per_partition: filesPerPartitionParam.describe(o.filesPerPartition),
    blocksize: blocksizeParam.describe(o.blocksize),
    fields: o.fields,
    file_extensions: fileExtensionsParam(o.extensions),
    limit: limitParam,
  };
}

/** The partitioning parameters a reader composite is given (paths already absolute). */
export type ReaderCompositeParams = {
  file_paths: string | string[];
  files_per_partition?: number | undefined;
  blocksize?: number | string | undefined;
  file_extensions?: string[] | undefined;
  limit?: number | undefined;
};

/**
 * A reader composite, as NeMo Curator's `JsonlReader` and `ParquetReader`: a partitioning stage
 * (`file_partitioning`) followed by the format's reader stage.
 */
export abstract class FileReaderComposite<P extends ReaderCompositeParams> extends CompositeStage {
  protected readonly opts: P;

  constructor(p: P, name: string) {
    super(p, name);
    this.opts = p;
  }

  /** The parameters of the partitioning stage, with the format's default extensions. */
  protected partitioningParams(defaultExtensions: string[]): FilePartitioningParams {
    const { file_paths, files_per_partition, blocksize, file_extensions, limit } = this.opts;
    return definedOnly({ file_paths, files_per_partition, blocksize, file_extensions: file_extensions ?? defaultExtensions, limit });
  }
}

/**
 * The `{start, end}` of a piece task (`byte_range` or `row_groups` in its metadata), checked; null
 * for a task of whole files.
 */
export function pieceOf(task: FileGroupTask, key: 'byte_range' | 'row_groups'): { start: number; end: number } | null {
  const r = task._metadata[key] as Partial<{ start: number; end: number }> | undefined;
  if (r === undefined) return null;
  if (typeof r?.start !== 'number' || typeof r.end !== 'number' || task.data.length !== 1) {
    throw new Error(`task ${task.task_id}: ${key} ${JSON.stringify(r)} must be {start, end} over exactly one file (got ${task.data.length})`);
  }
  return { start: r.start, end: r.end };
}

/** The DocumentBatch a reader makes of a task's records: its dataset name and metadata, plus `source_files`. */
export function readBatch(task: FileGroupTask, records: DocumentRecord[]): DocumentBatch {
  return new DocumentBatch({
    dataset_name: task.dataset_name,
    data: records,
    _metadata: { ...task._metadata, source_files: [...task.data] },
    _stage_perf: task._stage_perf,
  });
}
