import { z } from 'zod';
import { ProcessingStage } from '../../pipeline/stage.js';
import type { DocumentBatch, DocumentRecord, FileGroupTask } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { compressionOf } from './byte-source.js';
import { checkInputPaths } from './files.js';
import { FilePartitioningStage, definedOnly, filePartitioningParams, rejectBothPartitionSizes, resolveFilePaths } from './file-partitioning.js';
import { FileReaderComposite, pieceOf, readBatch, readerCompositeShape } from './file-reader.js';
import { readJsonlFile, type JsonlReadStats } from './jsonl-file.js';
import { byteRanges } from './line-ranges.js';
import type { FilePiece } from './partition-plan.js';
import { fieldsParam } from './record-fields.js';

export { fieldsParam, selectFields } from './record-fields.js';
export { readJsonlFile } from './jsonl-file.js';

/** `on_error`: what a reader does with a malformed line. */
export const onErrorParam = z
  .enum(['fail', 'skip'])
  .default('fail')
  .describe('What to do with a line that is not a JSON object: "fail" stops the run naming the file and line; "skip" leaves it out and counts it (counter invalid_json_lines_skipped), logging the first few.');

const readerParams = z.object({ fields: fieldsParam, on_error: onErrorParam }).strict();

/** Parameters of JsonlReaderStage. */
export type JsonlReaderStageParams = z.input<typeof readerParams>;

/** Skipped lines described in the log per task; the rest are only counted. */
const SAMPLES_PER_TASK = 5;

/**
 * Reads the files of a FileGroupTask into one DocumentBatch, NeMo Curator's `JsonlReaderStage`:
 * records in file order, files in task order, each with `_curator_origin`. A task for one byte
 * range of a split file (`byte_range` in its metadata) reads the lines that start in that range.
 * The task's metadata and dataset name pass through. Internal: pipelines use the `JsonlReader`
 * composite.
 */
export class JsonlReaderStage extends ProcessingStage<FileGroupTask, DocumentBatch> {
  readonly type = 'JsonlReaderStage';
  private readonly fields: string[] | undefined;
  private readonly onError: 'fail' | 'skip';

  constructor(p: JsonlReaderStageParams, name = 'jsonl_reader') {
    super(p, name);
    this.fields = p.fields;
    this.onError = p.on_error ?? 'fail';
  }

  async process(task: FileGroupTask): Promise<DocumentBatch> {
    const records: DocumentRecord[] = [];
    const range = pieceOf(task, 'byte_range');
    const total: JsonlReadStats = { records: 0, invalidJsonLines: 0, invalidUtf8Lines: 0, skippedSamples: [] };
    for (const file of task.data) {
      const s = await readJsonlFile(file, records, { fields: this.fields, onError: this.onError, range, maxSamples: SAMPLES_PER_TASK - total.skippedSamples.length });
      total.invalidJsonLines += s.invalidJsonLines;
      total.invalidUtf8Lines += s.invalidUtf8Lines;
      total.skippedSamples.push(...s.skippedSamples);
    }
    for (const sample of total.skippedSamples) this.log('warn', `${this.name}: skipped a malformed line: ${sample}`);
    if (total.invalidJsonLines > total.skippedSamples.length) this.log('warn', `${this.name}: skipped ${total.invalidJsonLines} malformed lines in task ${task.task_id} (the first ${total.skippedSamples.length} are shown)`);
    if (total.invalidJsonLines) this.addCount('invalid_json_lines_skipped', total.invalidJsonLines);
    if (total.invalidUtf8Lines) {
      this.addCount('invalid_utf8_lines_replaced', total.invalidUtf8Lines);
      this.log('warn', `${this.name}: ${total.invalidUtf8Lines} line(s) of ${task.data.join(', ')} held bytes that are not UTF-8; each bad sequence was replaced by U+FFFD`);
    }
    this.logMetric('num_files_read', task.data.length);
    return readBatch(task, records);
  }
}

/**
 * FilePartitioningStage for JSON-lines input: as NeMo Curator's, and an uncompressed file above
 * the split threshold (see partition-plan.ts) becomes several byte-range partitions.
 */
export class JsonlFilePartitioningStage extends FilePartitioningStage {
  override readonly type: string = 'JsonlFilePartitioningStage';

  protected override splitsFiles(): boolean {
    return true;
  }

  protected override splitFile(path: string, size: number, target: number): Promise<FilePiece[] | null> {
    if (compressionOf(path)) return Promise.resolve(null);
    return Promise.resolve(byteRanges(size, target).map((byte_range) => ({ byte_range })));
  }
}

const compositeParams = z
  .object({
    ...readerCompositeShape({
      filesPerPartition:
        'Number of files per partition (task). An uncompressed file over 16 MiB is still split into byte ranges of about 8 MiB, each its own partition. Leave out, with blocksize, for one file per partition (with the same splitting).',
      blocksize:
        'Target bytes per partition (on disk), as a number or a size like "256MB" or "1GiB". Files are grouped smallest first (NeMo Curator\u2019s rule); an uncompressed file larger than blocksize is split into byte ranges of about blocksize, read in parallel. Compressed files (.gz, .zst) cannot be split: each larger one is one partition. Leave out for one file per partition, with uncompressed files over 16 MiB split into ranges of about 8 MiB. Cannot be combined with files_per_partition.',
      fields: fieldsParam,
      extensions: ['.jsonl', '.json'],
    }),
    on_error: onErrorParam,
  })
  .strict()
  .superRefine(rejectBothPartitionSizes);

/** Parameters of JsonlReader, paths already absolute. */
export type JsonlReaderParams = z.input<typeof compositeParams>;

/**
 * Reads JSON-lines files into DocumentBatches, NeMo Curator's `JsonlReader`: a composite of a
 * partitioning stage (`file_partitioning`, which also splits large uncompressed files into byte
 * ranges) and `JsonlReaderStage` (`jsonl_reader`).
 */
export class JsonlReader extends FileReaderComposite<JsonlReaderParams> {
  readonly type = 'JsonlReader';

  constructor(p: JsonlReaderParams, name = 'jsonl_reader') {
    super(p, name);
  }

  decompose(): ProcessingStage[] {
    const { fields, on_error } = this.opts;
    return [new JsonlFilePartitioningStage(this.partitioningParams(['.jsonl', '.json'])), new JsonlReaderStage(definedOnly({ fields, on_error: on_error ?? 'fail' }))];
  }
}

registerStage({
  type: 'JsonlFilePartitioningStage',
  category: 'io',
  description: 'Lists JSON-lines files and groups them into partitions, splitting large uncompressed files into byte ranges.',
  params: filePartitioningParams,
  internal: true,
  create: (p, ctx) => new JsonlFilePartitioningStage(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
});

registerStage({
  type: 'JsonlReaderStage',
  category: 'io',
  description: 'Reads the files (or one byte range of a file) of a FileGroupTask, JSON lines optionally .gz or .zst, into one DocumentBatch.',
  params: readerParams,
  internal: true,
  create: (p) => new JsonlReaderStage(definedOnly(p)),
});

registerStage({
  type: 'JsonlReader',
  category: 'io',
  description: 'Reads JSON-lines files (.jsonl, .json, optionally .gz or .zst) into batches of documents; large uncompressed files are split into byte ranges read in parallel.',
  params: compositeParams,
  create: (p, ctx) => new JsonlReader(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
  check: (p, ctx) => checkInputPaths('JsonlReader', resolveFilePaths(p.file_paths, ctx), p.file_extensions),
});
