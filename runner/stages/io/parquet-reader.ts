import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import type { DocumentBatch, DocumentRecord, FileGroupTask } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { checkInputPaths } from './files.js';
import { FilePartitioningStage, definedOnly, filePartitioningParams, rejectBothPartitionSizes, resolveFilePaths } from './file-partitioning.js';
import { FileReaderComposite, pieceOf, readBatch, readerCompositeShape } from './file-reader.js';
import { columnNames, openParquet, readRowGroups, rowGroupSizes } from './parquet-file.js';
import { rowGroupRuns, type FilePiece } from './partition-plan.js';
import { fieldsParam } from './record-fields.js';

const readerParams = z
  .object({
    fields: fieldsParam.describe('Read only these columns (top-level names; a name the file lacks is left out). Leave out for all columns.'),
  })
  .strict();

/** Parameters of ParquetReaderStage. */
export type ParquetReaderStageParams = z.input<typeof readerParams>;

/**
 * Reads the Parquet files of a FileGroupTask into one DocumentBatch, NeMo Curator's
 * `ParquetReaderStage`: rows in file order, files in task order, each with `_curator_origin`
 * `<path>:<row>`. A task for some row groups of a large file (`row_groups` in its metadata) reads
 * only those. Internal: pipelines use the `ParquetReader` composite.
 */
export class ParquetReaderStage extends ProcessingStage<FileGroupTask, DocumentBatch> {
  readonly type = 'ParquetReaderStage';
  private readonly fields: string[] | undefined;

  constructor(p: ParquetReaderStageParams, name = 'parquet_reader') {
    super(p, name);
    this.fields = p.fields;
  }

  async process(task: FileGroupTask): Promise<DocumentBatch> {
    const records: DocumentRecord[] = [];
    const piece = pieceOf(task, 'row_groups');
    for (const file of task.data) {
      const src = await openParquet(file);
      try {
        const present = new Set(columnNames(src.metadata));
        const columns = this.fields ? this.fields.filter((f) => present.has(f)) : null;
        const first = piece?.start ?? 0;
        const last = piece?.end ?? src.metadata.row_groups.length;
        if (last > src.metadata.row_groups.length) throw new Error(`${file}: task ${task.task_id} asks for row groups ${first}-${last - 1}, but the file has ${src.metadata.row_groups.length}; did it change since the run was planned?`);
        await readRowGroups(file, src, first, last, columns, records);
      } finally {
        await src.close();
      }
    }
    this.logMetric('num_files_read', task.data.length);
    return readBatch(task, records);
  }
}

/**
 * FilePartitioningStage for Parquet input: as NeMo Curator's, and a file above the split threshold
 * (see partition-plan.ts) with several row groups becomes several partitions, each a run of whole
 * row groups of about the target size. Reads only the footers of those large files.
 */
export class ParquetFilePartitioningStage extends FilePartitioningStage {
  override readonly type: string = 'ParquetFilePartitioningStage';

  protected override splitsFiles(): boolean {
    return true;
  }

  protected override async splitFile(path: string, _size: number, target: number): Promise<FilePiece[] | null> {
    const src = await openParquet(path);
    try {
      return rowGroupRuns(rowGroupSizes(src.metadata), target).map((row_groups) => ({ row_groups }));
    } finally {
      await src.close();
    }
  }
}

const compositeParams = z
  .object({
    ...readerCompositeShape({
      filesPerPartition:
        'Number of files per partition (task). A file over 16 MiB with several row groups is still split into runs of row groups of about 8 MiB, each its own partition. Leave out, with blocksize, for one file per partition (with the same splitting).',
      blocksize:
        'Target bytes per partition (on disk), as a number or a size like "256MB" or "1GiB". Files are grouped smallest first (NeMo Curator\u2019s rule); a file larger than blocksize is split into runs of whole row groups of about blocksize (a single row group is never split). Leave out for one file per partition, with files over 16 MiB split into runs of about 8 MiB. Cannot be combined with files_per_partition.',
      fields: readerParams.shape.fields,
      extensions: ['.parquet'],
    }),
  })
  .strict()
  .superRefine(rejectBothPartitionSizes);

/** Parameters of ParquetReader, paths already absolute. */
export type ParquetReaderParams = z.input<typeof compositeParams>;

/**
 * Reads Parquet files into DocumentBatches, NeMo Curator's `ParquetReader`: a composite of a
 * partitioning stage (`file_partitioning`, which also splits large files by row groups) and
 * `ParquetReaderStage` (`parquet_reader`).
 */
export class ParquetReader extends FileReaderComposite<ParquetReaderParams> {
  readonly type = 'ParquetReader';

  constructor(p: ParquetReaderParams, name = 'parquet_reader') {
    super(p, name);
  }

  decompose(): ProcessingStage[] {
    const { fields } = this.opts;
    return [new ParquetFilePartitioningStage(this.partitioningParams(['.parquet'])), new ParquetReaderStage(definedOnly({ fields }))];
  }
}

registerStage({
  type: 'ParquetFilePartitioningStage',
  category: 'io',
  description: 'Lists Parquet files and groups them into partitions, splitting large files by row groups.',
  params: filePartitioningParams,
  internal: true,
  create: (p, ctx) => new ParquetFilePartitioningStage(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
});

registerStage({
  type: 'ParquetReaderStage',
  category: 'io',
  description: 'Reads the Parquet files (or some row groups of one file) of a FileGroupTask into one DocumentBatch.',
  params: readerParams,
  internal: true,
  create: (p) => new ParquetReaderStage(definedOnly(p)),
});

registerStage({
  type: 'ParquetReader',
  category: 'io',
  description: 'Reads Parquet files (any codec: snappy, gzip, zstd, brotli, lz4) into batches of documents; large files are split by row groups read in parallel.',
  params: compositeParams,
  create: (p, ctx) => new ParquetReader(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
  check: (p, ctx) => checkInputPaths('ParquetReader', resolveFilePaths(p.file_paths, ctx), p.file_extensions),
});
