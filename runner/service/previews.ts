/**
 * Document previews: the first documents of an input file or folder, and a page of what a
 * finished run wrote. Files are streamed line by line and reading stops as soon as the page is
 * full, so previewing a large corpus costs little.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { listInputFiles } from '../stages/io/files.js';
import type { DocumentPage, FieldInfo, InputPreview } from './contract.js';
import { CuratorApiError } from './errors.js';

/** Extensions of JSON-lines inputs taken from folders. */
const JSONL_EXTENSIONS = ['.jsonl', '.json'];
/** Files listed in an input preview. */
const MAX_LISTED_FILES = 1000;

/** Collects a page of documents and the union of their fields. */
export class PageCollector {
  readonly documents: Array<Record<string, unknown>> = [];
  readonly problems: string[] = [];
  clipped = false;
  private readonly fields = new Map<string, { types: Set<string>; present: number }>();

  constructor(private readonly maxValueChars: number) {}

  add(doc: Record<string, unknown>): void {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      let f = this.fields.get(k);
      if (!f) this.fields.set(k, (f = { types: new Set(), present: 0 }));
      f.types.add(jsonType(v));
      f.present++;
      if (this.maxValueChars > 0 && typeof v === 'string' && v.length > this.maxValueChars) {
        out[k] = `${v.slice(0, this.maxValueChars)}\u2026`;
        this.clipped = true;
      } else out[k] = v;
    }
    this.documents.push(out);
  }

  page(): DocumentPage {
    const fields: FieldInfo[] = [...this.fields].map(([name, f]) => ({ name, types: [...f.types].sort(), present: f.present }));
    return { documents: this.documents, fields, clipped: this.clipped, problems: this.problems };
  }
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
}

/**
 * Streams the JSON objects of a JSON-lines file (gzip when the name ends in .gz). `visit` returns
 * false to stop reading. Bad lines are reported through `problem` with file and line and skipped.
 * The first `skipLines` lines are passed over unread (so that line `skipLines + 1` comes first).
 */
export async function forEachRecord(file: string, visit: (doc: Record<string, unknown>) => boolean, problem: (msg: string) => void, skipLines = 0): Promise<void> {
  const input = createReadStream(file);
  const source: Readable = file.toLowerCase().endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const failed = new Promise<never>((_, reject) => {
    input.once('error', reject);
    source.once('error', reject);
  });
  failed.catch(() => undefined);
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    const iterator = lines[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), failed]);
      if (next.done) break;
      lineNo++;
      if (lineNo <= skipLines) continue;
      const line = lineNo === 1 && next.value.charCodeAt(0) === 0xfeff ? next.value.slice(1) : next.value;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e: unknown) {
        problem(`${file}:${lineNo}: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problem(`${file}:${lineNo}: expected a JSON object per line`);
        continue;
      }
      if (!visit(value as Record<string, unknown>)) break;
    }
  } catch (e: unknown) {
    problem(`${file}: cannot read (${e instanceof Error ? e.message : String(e)})`);
  } finally {
    lines.close();
    source.destroy();
    input.destroy();
  }
}

/**
 * `limit` documents of a JSON-lines file or of a folder of them, with their fields, after skipping
 * `offset`: for one file, its first `offset` lines (so a `file:line` reference, such as a
 * duplicate's `duplicate_of`, is `offset: line - 1`); for a folder, its first `offset` documents.
 */
export async function previewInput(target: string, offset: number, limit: number, maxValueChars: number): Promise<InputPreview> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new CuratorApiError('not_found', `input path "${target}" does not exist`);
  let files: string[];
  if (info.isDirectory()) files = await listInputFiles(target, JSONL_EXTENSIONS);
  else if (info.isFile()) files = [target];
  else throw new CuratorApiError('invalid_argument', `input path "${target}" is neither a file nor a folder`);
  const page = new PageCollector(maxValueChars);
  const single = files.length === 1 && files[0] === target;
  let truncated = false;
  let skipped = 0;
  for (const file of files) {
    if (/\.parquet$/i.test(file)) {
      page.problems.push(`${file}: Parquet files cannot be previewed yet; preview a JSON-lines file`);
      continue;
    }
    await forEachRecord(
      file,
      (doc) => {
        if (!single && skipped < offset) {
          skipped++;
          return true;
        }
        if (page.documents.length >= limit) {
          truncated = true;
          return false;
        }
        page.add(doc);
        return true;
      },
      (msg) => page.problems.push(msg),
      single ? offset : 0,
    );
    if (truncated) break;
  }
  if (!truncated && page.documents.length >= limit && files.length > 0) truncated = true;
  const listed = await Promise.all(files.slice(0, MAX_LISTED_FILES).map(async (f) => ({ path: f, size: (await stat(f).catch(() => null))?.size ?? 0 })));
  return { path: target, files: listed, truncated, ...page.page() };
}

/** The written files of a JsonlWriter folder, in name order (hidden and temporary files skipped). */
export async function writerFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => !n.startsWith('.') && /\.jsonl(\.gz)?$/i.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Reads the page `[offset, offset + limit)` across `files` in order, and counts every record. */
export async function readPage(files: readonly string[], offset: number, limit: number, maxValueChars: number): Promise<DocumentPage & { total: number }> {
  const page = new PageCollector(maxValueChars);
  let seen = 0;
  for (const file of files) {
    await forEachRecord(
      file,
      (doc) => {
        if (seen >= offset && seen < offset + limit) page.add(doc);
        seen++;
        return true;
      },
      (msg) => page.problems.push(msg),
    );
  }
  return { ...page.page(), total: seen };
}
