import { join } from 'node:path';
import { open, type FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { ByteWriter, ParquetWriter as HyparquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { CompressionCodec } from 'hyparquet';
import { z } from 'zod';
import { ValidationError } from '../../pipeline/errors.js';
import { estimateBytes, type DocumentRecord } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { definedOnly } from './file-partitioning.js';
import { FolderWriter } from './folder-writer.js';
import { writeAtomically } from '../../engine/atomic-write.js';
import { checkOutputFolder, writerModeParam } from './output-folder.js';
import { columnData, fieldNames, planColumns } from './parquet-columns.js';
import { isInternalField, writerFieldsParam } from './record-fields.js';

/** Uncompressed bytes per row group, about: large enough for good compression, small enough to read a group at a time. */
export const ROW_GROUP_BYTES = 64 * 2 ** 20;

export type Codec = 'snappy' | 'gzip' | 'brotli' | 'zstd' | 'none';

/** Page compressors besides hyparquet-writer's built-in snappy: Node's zlib. */
function compressorFor(codec: Codec): ((input: Uint8Array) => Uint8Array) | null {
  switch (codec) {
    case 'gzip':
      return (input) => zlib.gzipSync(input);
    case 'brotli':
      return (input) => zlib.brotliCompressSync(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
    case 'zstd': {
      const fn = (zlib as unknown as Record<string, unknown>)['zstdCompressSync'];
      return typeof fn === 'function' ? (input) => (fn as (b: Uint8Array) => Uint8Array)(input) : null;
    }
    case 'snappy':
    case 'none':
      return null;
  }
}

/** Why a codec cannot be written by this Node, or null when it can. */
export function codecProblem(codec: Codec): string | null {
  return codec === 'zstd' && !compressorFor('zstd') ? `compression "zstd" needs Node 22.15 or newer (this is ${process.version}); choose "snappy", "gzip" or "brotli"` : null;
}

const params = z
  .object({
    path: z.string().min(1).describe('Output folder; one .parquet file is written per batch. Relative paths are relative to the pipeline file.'),
    mode: writerModeParam,
    fields: writerFieldsParam,
    compression: z
      .enum(['snappy', 'gzip', 'brotli', 'zstd', 'none'])
      .default('snappy')
      .describe('Page compression: "snappy" (the default, as pandas), "gzip", "brotli", "zstd" (needs Node 22.15 or newer) or "none". LZ4 is readable but not writable.'),
  })
  .strict();

/** Parameters of ParquetWriter, `path` already absolute. */
export type ParquetWriterParams = z.output<typeof params>;

/** hyparquet-writer's byte writer, flushed to an open file after every row group instead of growing in memory. */
class FileSink extends ByteWriter {
  constructor(private readonly fh: FileHandle) {
    super(1 << 20);
  }
  async flush(): Promise<void> {
    if (this.index === 0) return;
    await this.fh.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}

/** Rows per row group for records of this average size. */
export function rowsPerGroup(records: readonly DocumentRecord[]): number {
  if (records.length === 0) return 1;
  const sample = records.length > 1000 ? records.filter((_, i) => i % Math.ceil(records.length / 1000) === 0) : records;
  const avg = Math.max(1, estimateBytes(sample) / sample.length);
  return Math.max(1, Math.min(records.length, Math.floor(ROW_GROUP_BYTES / avg)));
}

/**
 * Writes records to a Parquet file at `file` (a temporary name; the caller renames it): columns and
 * types from planColumns, row groups of `groupRows` rows (by default about ROW_GROUP_BYTES), each
 * encoded and flushed to disk before the next, then the footer. The handle is synced before it is
 * closed.
 */
export async function writeParquetFile(file: string, records: readonly DocumentRecord[], names: readonly string[], codec: Codec, groupRows = rowsPerGroup(records)): Promise<void> {
  const plans = planColumns(records, names);
  const compress = compressorFor(codec);
  if (codec === 'zstd' && !compress) throw new Error(codecProblem(codec) ?? 'zstd unavailable');
  const fh = await open(file, 'wx');
  try {
    const schema = schemaFromColumnData({ columnData: plans.map((p) => ({ name: p.name, type: p.type, nullable: true, data: [] })) });
    const parquetCodec = (codec === 'none' ? 'UNCOMPRESSED' : codec.toUpperCase()) as CompressionCodec;
    const sink = new FileSink(fh);
    const writer = new HyparquetWriter({ writer: sink, schema, codec: parquetCodec, ...(compress ? { compressors: { [parquetCodec]: compress } } : {}), createdBy: 'curator' });
    const step = Math.max(1, groupRows);
    for (let from = 0; from < records.length; from += step) {
      const to = Math.min(records.length, from + step);
      await writer.write({ columnData: plans.map((p) => columnData(records, from, to, p)), rowGroupSize: to - from });
    }
    await writer.finish();
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Writes each DocumentBatch to one Parquet file, NeMo Curator's `ParquetWriter`:
 * `DocumentBatch → FileGroupTask([written file])` with the batch's metadata plus `format: "parquet"`.
 * Files are written under a temporary name and renamed, never left partial under their own name.
 * Fields whose name starts with `_curator_` are left out unless `fields` names them.
 */
export class ParquetWriter extends FolderWriter<ParquetWriterParams> {
  readonly type = 'ParquetWriter';
  protected readonly format = 'parquet';
  protected readonly extension = '.parquet';

  constructor(p: ParquetWriterParams, name = 'parquet_writer') {
    super(p, name);
    const problem = codecProblem(p.compression);
    if (problem) throw new ValidationError([`stage "${name}": ${problem}`]);
  }

  protected writeFile(dir: string, name: string, records: readonly DocumentRecord[]): Promise<string> {
    const names = this.opts.fields ?? fieldNames(records, (k) => !isInternalField(k));
    return writeAtomically(join(dir, name), (tmp) => writeParquetFile(tmp, records, names, this.opts.compression));
  }
}

registerStage({
  type: 'ParquetWriter',
  category: 'io',
  description: 'Writes each batch of documents to one Parquet file in a folder (snappy by default; atomic writes, deterministic names).',
  params,
  create: (p, ctx) => new ParquetWriter(definedOnly({ ...p, path: ctx.resolvePath(p.path) })),
  async check(p, ctx) {
    const problem = codecProblem(p.compression);
    return [...(problem ? [`ParquetWriter: ${problem}`] : []), ...(await checkOutputFolder('ParquetWriter', ctx.resolvePath(p.path), p.mode))];
  },
});
