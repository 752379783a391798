/**
 * Byte ranges of a JSON-lines file and the Buffer-level line splitter that reads them.
 *
 * The rule that lets ranges be read in parallel without coordination: a range `[start, end)` owns
 * the lines that START inside it. A line starts at byte 0 or right after a line feed (0x0A, which
 * never occurs inside a multi-byte UTF-8 character, so ranges may cut characters anywhere). A reader
 * of a range that does not start at 0 begins one byte early, at `start - 1`, and drops everything
 * up to and including the first line feed: that is the tail of a line owned by the previous range
 * (when byte `start - 1` is itself a line feed, nothing is dropped). It then reads past `end` to
 * finish its last line. Every line is read exactly once across the ranges of a file.
 */

/** A half-open byte range `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Splits `size` bytes into about `size / target` ranges of nearly equal length (never more ranges
 * than bytes). The ranges cover `[0, size)` without gaps or overlaps.
 */
export function byteRanges(size: number, target: number): ByteRange[] {
  if (size <= 0) return [{ start: 0, end: 0 }];
  const n = Math.max(1, Math.min(size, Math.ceil(size / Math.max(1, target))));
  const out: ByteRange[] = [];
  for (let i = 0; i < n; i++) out.push({ start: Math.floor((size * i) / n), end: Math.floor((size * (i + 1)) / n) });
  return out;
}

/**
 * Receives one line: bytes `[from, to)` of `buf`, without its line feed and without a trailing
 * carriage return, and the byte offset in the file at which the line starts.
 */
export type LineHandler = (buf: Buffer, from: number, to: number, offset: number) => void;

/** Calls `onLine` for bytes `[from, to)` of `buf`, minus a trailing CR. */
function emit(onLine: LineHandler, buf: Buffer, from: number, to: number, offset: number): void {
  onLine(buf, from, to > from && buf[to - 1] === 13 ? to - 1 : to, offset);
}

/**
 * Splits the bytes of `chunks` into lines and hands each line the range owns to `onLine`, in order.
 * `chunks` must begin at file offset `range.start - 1` when `range.start > 0` (the one byte before
 * the range, see the module comment), else at 0. Stops reading once a line starts at or after
 * `range.end`; a last line without a final line feed is still a line. Returns the number of lines
 * handed over.
 */
export async function splitLines(chunks: AsyncIterable<Buffer>, range: ByteRange | null, onLine: LineHandler): Promise<number> {
  const start = range?.start ?? 0;
  const end = range?.end ?? Infinity;
  let base = start > 0 ? start - 1 : 0; // file offset of the current chunk's first byte
  let skipping = start > 0; // still inside the previous range's line
  let pending: Buffer[] = []; // pieces of a line that spans chunks
  let pendingOffset = 0;
  let lines = 0;
  for await (const chunk of chunks) {
    let pos = 0;
    if (skipping) {
      const lf = chunk.indexOf(10);
      if (lf === -1) {
        base += chunk.length;
        continue;
      }
      skipping = false;
      pos = lf + 1;
    }
    if (pending.length === 0 && base + pos >= end) return lines;
    let lf = chunk.indexOf(10, pos);
    while (lf !== -1) {
      if (pending.length) {
        pending.push(chunk.subarray(pos, lf));
        const line = Buffer.concat(pending);
        pending = [];
        emit(onLine, line, 0, line.length, pendingOffset);
      } else {
        emit(onLine, chunk, pos, lf, base + pos);
      }
      lines++;
      pos = lf + 1;
      if (base + pos >= end) return lines;
      lf = chunk.indexOf(10, pos);
    }
    if (pos < chunk.length) {
      if (pending.length === 0) pendingOffset = base + pos;
      pending.push(chunk.subarray(pos));
    }
    base += chunk.length;
  }
  if (pending.length) {
    const line = Buffer.concat(pending);
    emit(onLine, line, 0, line.length, pendingOffset);
    lines++;
  }
  return lines;
}
