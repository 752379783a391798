import { isUtf8 } from 'node:buffer';
import type { DocumentRecord } from '../../pipeline/tasks.js';
import { countLineFeeds, fileChunks } from './byte-source.js';
import { splitLines, type ByteRange } from './line-ranges.js';
import { ORIGIN_FIELD, byteOrigin, lineOrigin } from './origin.js';
import { selectFields } from './record-fields.js';

/**
 * Reading one JSON-lines file, or one byte range of it, into records: a Buffer-level line splitter
 * (faster than `readline`, and it knows each line's byte offset), UTF-8 checked per line, blank
 * lines skipped, a byte-order mark at the start of the file dropped, and malformed lines either
 * failing the read with their file and line or skipped and counted.
 */

/** What to do with a line that is not a JSON object: fail the task, or skip it and count it. */
export type OnError = 'fail' | 'skip';

/** Options of one read. */
export interface JsonlReadOptions {
  /** Keep only these fields (the origin is always added). */
  fields?: readonly string[] | undefined;
  onError?: OnError;
  /** A byte range of a split plain file, or null/absent for the whole file. */
  range?: ByteRange | null | undefined;
  /** How many skipped lines to describe in `skippedSamples`. */
  maxSamples?: number;
}

/** What one read found besides its records. */
export interface JsonlReadStats {
  records: number;
  /** Lines that were not a JSON object and were skipped (mode "skip"). */
  invalidJsonLines: number;
  /** Lines holding bytes that are not UTF-8; each bad sequence became U+FFFD. */
  invalidUtf8Lines: number;
  /** The first few skipped lines: where (`file:line`, or a byte offset in a split file) and why. */
  skippedSamples: string[];
}

/** A line that is not a JSON object, in mode "fail". Names the file and the line. */
export class InvalidJsonLineError extends Error {
  override name = 'InvalidJsonLineError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly byteOffset: number,
  ) {
    super(message);
  }
}

/** Describes a parsed JSON value that is not an object, for error messages. */
function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/** Raised inside the line callback to stop reading; turned into an InvalidJsonLineError. */
class LineFailure {
  constructor(
    readonly line: number,
    readonly offset: number,
    readonly why: string,
  ) {}
}

/** Space, tab, CR, LF: a line made only of these is blank. */
function isBlank(text: string): boolean {
  return text.trim() === '';
}

/**
 * Appends the records of `file` (or of one byte range of it) to `out`, each with its origin:
 * `<file>:<line>` when read whole, `<file>@<byte offset>` for a range (see origin.ts). Blank lines
 * count as lines but give no record. In mode "fail" a line that is not a JSON object throws
 * `InvalidJsonLineError` with its true line number (for a range, found by counting the line feeds
 * before it, which is done only then) and its byte offset.
 */
export async function readJsonlFile(file: string, out: DocumentRecord[], opts: JsonlReadOptions = {}): Promise<JsonlReadStats> {
  const { fields, onError = 'fail', range = null, maxSamples = 5 } = opts;
  const stats: JsonlReadStats = { records: 0, invalidJsonLines: 0, invalidUtf8Lines: 0, skippedSamples: [] };
  let lineNo = 0; // lines seen in this read: the line number itself when reading whole
  const where = (line: number, offset: number) => (range ? `${file} at byte offset ${offset} (line number not counted in a split file)` : `${file}:${line}`);

  const onLine = (buf: Buffer, from: number, to: number, offset: number): void => {
    lineNo++;
    if (offset === 0 && to - from >= 3 && buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf) from += 3;
    if (from === to) return;
    if (!isUtf8(buf.subarray(from, to))) stats.invalidUtf8Lines++;
    const text = buf.toString('utf8', from, to);
    let value: unknown;
    let why: string | null = null;
    try {
      value = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) why = `expected an object per line, got ${jsonKind(value)}`;
    } catch (err: unknown) {
      if (isBlank(text)) return;
      why = err instanceof Error ? err.message : String(err);
    }
    if (why !== null) {
      if (onError === 'fail') throw new LineFailure(lineNo, offset, why);
      stats.invalidJsonLines++;
      if (stats.skippedSamples.length < maxSamples) stats.skippedSamples.push(`${where(lineNo, offset)}: ${why}`);
      return;
    }
    const record = selectFields(value as DocumentRecord, fields);
    record[ORIGIN_FIELD] = range ? byteOrigin(file, offset) : lineOrigin(file, lineNo);
    out.push(record);
    stats.records++;
  };

  try {
    await splitLines(fileChunks(file, range && range.start > 0 ? range.start - 1 : 0), range, onLine);
  } catch (err: unknown) {
    if (!(err instanceof LineFailure)) throw err;
    const line = range ? (await countLineFeeds(file, err.offset)) + 1 : err.line;
    const at = range ? `${file}:${line} (byte offset ${err.offset})` : `${file}:${line}`;
    throw new InvalidJsonLineError(`${at}: invalid JSON (${err.why})`, file, line, err.offset);
  }
  return stats;
}
