import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';

/**
 * The bytes of an input file as a stream of chunks, never the whole file in memory: plain files
 * from a byte offset (for a range of a split file), `.gz` through zlib and `.zst` through zlib's
 * zstd where the Node in use has it (22.15 and newer) and through the pure-JavaScript `fzstd`
 * streaming decoder otherwise. Compressed files can only be read from their start.
 */

/** Bytes read per call from a plain file. 1 MiB keeps the number of reads low and the buffers small. */
export const READ_CHUNK_BYTES = 1 << 20;

/** The compression a file name says it has. */
export type Compression = 'gzip' | 'zstd' | null;

/** `.gz` → gzip, `.zst` → zstd, anything else plain. */
export function compressionOf(file: string): Compression {
  const lower = file.toLowerCase();
  if (lower.endsWith('.gz')) return 'gzip';
  if (lower.endsWith('.zst')) return 'zstd';
  return null;
}

/** zlib's zstd decompressor where Node has one (22.15+), else null. */
function zlibZstd(): (() => Transform) | null {
  const make = (zlib as unknown as Record<string, unknown>)['createZstdDecompress'];
  return typeof make === 'function' ? (make as () => Transform) : null;
}

/** Which zstd decoder this process uses, for logs and docs. */
export function zstdDecoder(): 'zlib' | 'fzstd' {
  return zlibZstd() ? 'zlib' : 'fzstd';
}

/** Thrown when an input file cannot be read or decompressed; names the file. */
export class InputReadError extends Error {
  override name = 'InputReadError';
}

/**
 * Chunks of a plain file from byte `start` to its end. The consumer stops early by leaving its
 * `for await` loop, which closes the file.
 */
export async function* plainChunks(file: string, start = 0, chunkBytes = READ_CHUNK_BYTES): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    let position = start;
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === chunkBytes ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** Decompressed chunks of a zstd stream through fzstd, which decodes frame after frame as bytes arrive. */
async function* fzstdChunks(input: Readable): AsyncGenerator<Buffer> {
  let out: Uint8Array[] = [];
  const decoder = new ZstdStream((data) => {
    if (data.length) out.push(data);
  });
  for await (const chunk of input) {
    decoder.push(chunk as Buffer);
    if (out.length) {
      const ready = out;
      out = [];
      for (const c of ready) yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    }
  }
  decoder.push(new Uint8Array(0), true);
  for (const c of out) yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

/** Decompressed chunks of a `.gz` or `.zst` file, from its start. */
export async function* decompressedChunks(file: string, compression: 'gzip' | 'zstd'): AsyncGenerator<Buffer> {
  const input = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  try {
    if (compression === 'zstd' && !zlibZstd()) {
      yield* fzstdChunks(input);
      return;
    }
    const make = compression === 'gzip' ? zlib.createGunzip : (zlibZstd() as () => Transform);
    const decompress = make();
    input.on('error', (err) => decompress.destroy(err));
    for await (const chunk of input.pipe(decompress)) yield chunk as Buffer;
  } catch (err: unknown) {
    if (typeof (err as NodeJS.ErrnoException).syscall === 'string') throw err; // a file-system error already names the file
    throw new InputReadError(`${file}: cannot read ${compression} data (${err instanceof Error ? err.message : String(err)}); is the file complete and really ${compression}-compressed?`, { cause: err });
  } finally {
    input.destroy();
  }
}

/** The bytes of a file as chunks: decompressed from the start, or plain from `start`. */
export function fileChunks(file: string, start = 0): AsyncGenerator<Buffer> {
  const compression = compressionOf(file);
  if (compression && start > 0) throw new InputReadError(`${file}: a ${compression}-compressed file cannot be read from byte ${start}; compressed files are read whole`);
  return compression ? decompressedChunks(file, compression) : plainChunks(file, start);
}

/**
 * Number of line feeds in the first `end` bytes of a plain file: the line number of the line at
 * byte `end` is this plus one. One sequential read of that prefix; used only to put the true line
 * number into an error message for a range of a split file.
 */
export async function countLineFeeds(file: string, end: number): Promise<number> {
  let n = 0;
  let seen = 0;
  for await (const chunk of plainChunks(file, 0)) {
    const stop = Math.min(chunk.length, end - seen);
    let i = chunk.indexOf(10);
    while (i !== -1 && i < stop) {
      n++;
      i = chunk.indexOf(10, i + 1);
    }
    seen += chunk.length;
    if (seen >= end) break;
  }
  return n;
}
