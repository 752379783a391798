import { open, type FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type Compressors, type FileMetaData } from 'hyparquet';
import { compressors as packagedCompressors } from 'hyparquet-compressors';
import { ORIGIN_FIELD, lineOrigin } from './origin.js';
import type { DocumentRecord } from '../../pipeline/tasks.js';

/**
 * Reading Parquet files with hyparquet, a row group at a time, from a file handle: only the footer
 * and the byte ranges of the row groups and columns asked for are read, never the whole file.
 */

/** Thrown when a Parquet file cannot be read; names the file. */
export class ParquetReadError extends Error {
  override name = 'ParquetReadError';
}

/**
 * Page decompressors: hyparquet's own snappy, hyparquet-compressors for LZ4 (and the rest), and
 * Node's native zlib for gzip, brotli and (where Node has it) zstd, which is faster than JavaScript.
 */
export const readCompressors: Compressors = {
  ...packagedCompressors,
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...zlibZstdDecompressor(),
};

function zlibZstdDecompressor(): Compressors {
  const fn = (zlib as unknown as Record<string, unknown>)['zstdDecompressSync'];
  return typeof fn === 'function' ? { ZSTD: (input) => (fn as (b: Uint8Array) => Uint8Array)(input) } : {};
}

/** An open Parquet file: an AsyncBuffer over its handle (positional reads), and its metadata. */
export interface ParquetSource {
  file: AsyncBuffer;
  metadata: FileMetaData;
  close(): Promise<void>;
}

/** An AsyncBuffer that reads byte ranges of an open file on demand. */
export function fileAsyncBuffer(fh: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const out = new ArrayBuffer(Math.max(0, end - start));
      const view = new Uint8Array(out);
      let done = 0;
      while (done < view.length) {
        const { bytesRead } = await fh.read(view, done, view.length - done, start + done);
        if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${start + done} of ${size}`);
        done += bytesRead;
      }
      return out;
    },
  };
}

/** Opens a Parquet file and reads its footer. The caller closes it. */
export async function openParquet(path: string): Promise<ParquetSource> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const file = fileAsyncBuffer(fh, size);
    const metadata = await parquetMetadataAsync(file);
    return { file, metadata, close: () => fh.close() };
  } catch (err: unknown) {
    await fh.close();
    throw new ParquetReadError(`${path}: not a readable Parquet file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** The top-level column names of a file, in schema order. */
export function columnNames(metadata: FileMetaData): string[] {
  return parquetSchema(metadata).children.map((c) => c.element.name);
}

/** Rows and bytes on disk of each row group. */
export function rowGroupSizes(metadata: FileMetaData): Array<{ rows: number; bytes: number }> {
  return metadata.row_groups.map((rg) => {
    const onDisk = rg.total_compressed_size ?? rg.columns.reduce((n, c) => n + (c.meta_data?.total_compressed_size ?? 0n), 0n);
    return { rows: Number(rg.num_rows), bytes: Number(onDisk || rg.total_byte_size) };
  });
}

/**
 * A value as documents hold it: INT64 (bigint) becomes a number (rounded beyond 2^53, as
 * `JSON.parse` rounds such a number in a JSON-lines file); lists and structs are walked.
 * Strings, numbers, booleans, null, Date (timestamps) and Uint8Array (binary) stay as they are.
 */
export function toDocumentValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object' || v instanceof Date || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map(toDocumentValue);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toDocumentValue(x);
  return out;
}

/**
 * Appends the rows of row groups `[first, last)` of an open file to `out`, one row group at a time
 * (so at most one decoded row group is held besides the records), each with `_curator_origin`
 * `<path>:<row number in the file, 1-based>`. `columns` must exist in the file (null for all).
 */
export async function readRowGroups(path: string, src: ParquetSource, first: number, last: number, columns: string[] | null, out: DocumentRecord[]): Promise<number> {
  const sizes = rowGroupSizes(src.metadata);
  let rowStart = 0;
  for (let g = 0; g < first; g++) rowStart += sizes[g]?.rows ?? 0;
  let count = 0;
  for (let g = first; g < last; g++) {
    const rows = sizes[g]?.rows ?? 0;
    let objects: Array<Record<string, unknown>>;
    try {
      objects = await parquetReadObjects({ file: src.file, metadata: src.metadata, compressors: readCompressors, rowStart, rowEnd: rowStart + rows, ...(columns ? { columns } : {}) });
    } catch (err: unknown) {
      throw new ParquetReadError(`${path}: cannot read row group ${g} (rows ${rowStart + 1}-${rowStart + rows}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (let i = 0; i < objects.length; i++) {
      const row = objects[i] as Record<string, unknown>;
      const record: DocumentRecord = {};
      for (const k of columns ?? Object.keys(row)) record[k] = toDocumentValue(row[k]);
      record[ORIGIN_FIELD] = lineOrigin(path, rowStart + i + 1);
      out.push(record);
    }
    count += objects.length;
    rowStart += rows;
  }
  return count;
}
