import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline, type Readable, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { z } from 'zod';
import { CompositeStage, ProcessingStage } from '../../pipeline/stage.js';
import { DocumentBatch, type DocumentRecord, type FileGroupTask } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { checkInputPaths } from './files.js';
import {
  FilePartitioningStage,
  blocksizeParam,
  definedOnly,
  fileExtensionsParam,
  filePathsParam,
  filesPerPartitionParam,
  limitParam,
  rejectBothPartitionSizes,
  resolveFilePaths,
} from './file-partitioning.js';

/** `fields`: a column selection shared by readers and writers. */
export const fieldsParam = z.array(z.string().min(1)).min(1).optional().describe('Keep only these fields of each record (a record without one simply lacks it). Leave out for all fields.');

const readerParams = z.object({ fields: fieldsParam }).strict();

/** Parameters of JsonlReaderStage. */
export type JsonlReaderStageParams = z.output<typeof readerParams>;

/** Keeps only the selected fields, in the selection's order; missing fields are left out. */
export function selectFields(record: DocumentRecord, fields: readonly string[] | undefined): DocumentRecord {
  if (!fields) return record;
  const out: DocumentRecord = {};
  for (const f of fields) if (Object.prototype.hasOwnProperty.call(record, f)) out[f] = record[f];
  return out;
}

/** The decompressor for a file name, or null for plain text. zstd needs a Node with zlib zstd support. */
function decompressorFor(file: string): Transform | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.gz')) return zlib.createGunzip();
  if (lower.endsWith('.zst')) {
    const make = (zlib as unknown as Record<string, unknown>)['createZstdDecompress'];
    if (typeof make !== 'function') throw new Error(`${file}: zstd-compressed input needs Node 22.15 or newer; decompress it first or use .gz`);
    return (make as () => Transform)();
  }
  return null;
}

/** Describes a parsed JSON value that is not an object, for error messages. */
function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/**
 * Reads one JSON-lines file line by line (gzip through zlib), skipping blank lines, and appends its
 * records to `out`. A line that is not JSON, or not a JSON object, throws
 * `<file>:<line>: invalid JSON (<why>)`. Returns the number of records read.
 */
export async function readJsonlFile(file: string, out: DocumentRecord[], fields?: readonly string[]): Promise<number> {
  const input = createReadStream(file);
  let source: Readable = input;
  try {
    const decompress = decompressorFor(file);
    if (decompress) source = pipeline(input, decompress, () => undefined);
  } catch (err: unknown) {
    input.destroy();
    throw err;
  }
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNo = 0;
  let count = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err: unknown) {
        throw new Error(`${file}:${lineNo}: invalid JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new Error(`${file}:${lineNo}: invalid JSON (expected an object per line, got ${jsonKind(value)})`);
      }
      out.push(selectFields(value as DocumentRecord, fields));
      count++;
    }
  } finally {
    lines.close();
    source.destroy();
    input.destroy();
  }
  return count;
}

/**
 * Reads the files of a FileGroupTask into one DocumentBatch, NeMo Curator's `JsonlReaderStage`:
 * records in file order, files in task order. The task's metadata (with `source_files`) and
 * dataset name pass through. Internal: pipelines use the `JsonlReader` composite.
 */
export class JsonlReaderStage extends ProcessingStage<FileGroupTask, DocumentBatch> {
  readonly type = 'JsonlReaderStage';
  private readonly fields: string[] | undefined;

  constructor(p: JsonlReaderStageParams, name = 'jsonl_reader') {
    super(p, name);
    this.fields = p.fields;
  }

  async process(task: FileGroupTask): Promise<DocumentBatch> {
    const records: DocumentRecord[] = [];
    for (const file of task.data) await readJsonlFile(file, records, this.fields);
    this.logMetric('num_files_read', task.data.length);
    return new DocumentBatch({
      dataset_name: task.dataset_name,
      data: records,
      _metadata: { ...task._metadata, source_files: [...task.data] },
      _stage_perf: task._stage_perf,
    });
  }
}

const compositeParams = z
  .object({
    file_paths: filePathsParam,
    files_per_partition: filesPerPartitionParam,
    blocksize: blocksizeParam,
    fields: fieldsParam,
    file_extensions: fileExtensionsParam(['.jsonl', '.json']),
    limit: limitParam,
  })
  .strict()
  .superRefine(rejectBothPartitionSizes);

/** Parameters of JsonlReader, paths already absolute. */
export type JsonlReaderParams = z.output<typeof compositeParams>;

/**
 * Reads JSON-lines files into DocumentBatches, NeMo Curator's `JsonlReader`: a composite of
 * `FilePartitioningStage` (`file_partitioning`) and `JsonlReaderStage` (`jsonl_reader`).
 */
export class JsonlReader extends CompositeStage {
  readonly type = 'JsonlReader';
  private readonly opts: JsonlReaderParams;

  constructor(p: JsonlReaderParams, name = 'jsonl_reader') {
    super(p, name);
    this.opts = p;
  }

  decompose(): ProcessingStage[] {
    const { file_paths, files_per_partition, blocksize, file_extensions, limit, fields } = this.opts;
    return [new FilePartitioningStage(definedOnly({ file_paths, files_per_partition, blocksize, file_extensions, limit })), new JsonlReaderStage(definedOnly({ fields }))];
  }
}

registerStage({
  type: 'JsonlReaderStage',
  category: 'io',
  description: 'Reads the files of a FileGroupTask (JSON lines, optionally gzip) into one DocumentBatch.',
  params: readerParams,
  internal: true,
  create: (p) => new JsonlReaderStage(definedOnly(p)),
});

registerStage({
  type: 'JsonlReader',
  category: 'io',
  description: 'Reads JSON-lines files (.jsonl, .json, optionally .gz) into batches of documents, one batch per partition of files.',
  params: compositeParams,
  create: (p, ctx) => new JsonlReader(definedOnly({ ...p, file_paths: resolveFilePaths(p.file_paths, ctx) })),
  check: (p, ctx) => checkInputPaths('JsonlReader', resolveFilePaths(p.file_paths, ctx), p.file_extensions),
});
