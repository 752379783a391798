import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { DocumentBatch, EmptyTask, type DocumentRecord, type FileGroupTask } from '../../../../../runner/pipeline/tasks.js';
import type { CompositeStage } from '../../../../../runner/pipeline/stage.js';
import { type ParquetFilePartitioningStage, type ParquetReaderStage } from '../../../../../runner/stages/io/parquet-reader.js';
import { type ParquetWriter, codecProblem, writeParquetFile } from '../../../../../runner/stages/io/parquet-writer.js';
import { openParquet } from '../../../../../runner/stages/io/parquet-file.js';
import { build, buildProcessing, check, node, worker, useTempDir } from '../helpers.js';

let dir: string;
useTempDir((d) => (dir = d));

/**
 * Written by pyarrow 25 (zstd pages, 3 row groups of 2 rows, no Arrow schema): columns id (int64
 * above 2^32), text (string), meta (struct of a list of strings), opt (nullable double). Rows:
 * {id: 2^40+i, text: "doc i é", meta: {tags: ["x","y"].slice(0, i % 3)}, opt: i odd ? null : i/2}.
 */
const PYARROW_FIXTURE = 'UEFSMRUEFSAVMkwVBBUAEgAAKLUv/SAQgQAAAAAAAAABAAABAAAAAAEAABUAFRIVJCwVBBUQFQYVBhwAAAAotS/9IAlJAAACAAAABAEBAwIVBBUwFUJMFQQVABIAACi1L/0gGMEAAAgAAABkb2MgMCDDqQgAAABkb2MgMSDDqRUAFRIVJCwVBBUQFQYVBhwAAAAotS/9IAlJAAACAAAABAEBAwIVBBUKFRxMFQIVABIAACi1L/0gBSkAAAEAAAB4FQAVIhU0LBUEFRAVBhUGHAAAACi1L/0gEYkAAAIAAAAEAAQAAAADIgAAAQIAFQQVEBUiTBUCFQASAAAotS/9IAhBAAAAAAAAAAAAABUAFRIVJCwVBBUQFQYVBhwAAAAotS/9IAlJAAACAAAAAwEBAgAVBBUgFTJMFQQVABIAACi1L/0gEIEAAAIAAAAAAQAAAwAAAAABAAAVABUSFSQsFQQVEBUGFQYcAAAAKLUv/SAJSQAAAgAAAAQBAQMCFQQVMBVCTBUEFQASAAAotS/9IBjBAAAIAAAAZG9jIDIgw6kIAAAAZG9jIDMgw6kVABUSFSQsFQQVEBUGFQYcAAAAKLUv/SAJSQAAAgAAAAQBAQMCFQQVFBUmTBUEFQASAAAotS/9IApRAAABAAAAeAEAAAB5FQAVIhU0LBUGFRAVBhUGHAAAACi1L/0gEYkAAAIAAAADAgQAAAADpAAAAQMCFQQVEBUiTBUCFQASAAAotS/9IAhBAAAAAAAAAADwPxUAFRIVJCwVBBUQFQYVBhwAAAAotS/9IAlJAAACAAAAAwEBAgAVBBUgFTJMFQQVABIAACi1L/0gEIEAAAQAAAAAAQAABQAAAAABAAAVABUSFSQsFQQVEBUGFQYcAAAAKLUv/SAJSQAAAgAAAAQBAQMCFQQVMBVCTBUEFQASAAAotS/9IBjBAAAIAAAAZG9jIDQgw6kIAAAAZG9jIDUgw6kVABUSFSQsFQQVEBUGFQYcAAAAKLUv/SAJSQAAAgAAAAQBAQMCFQQVFBUmTBUEFQASAAAotS/9IApRAAABAAAAeAEAAAB5FQAVHhUwLBUGFRAVBhUGHAAAACi1L/0gD3kAAAIAAAADBAIAAAAGBAEDBBUEFRAVIkwVAhUAEgAAKLUv/SAIQQAAAAAAAAAAAEAVABUSFSQsFQQVEBUGFQYcAAAAKLUv/SAJSQAAAgAAAAMBAQIAFQQZjDUAGAZzY2hlbWEVCAAVBCUCGAJpZAAVDCUCGAR0ZXh0JQBMHAAAADUCGARtZXRhFQIANQIYBHRhZ3MVAhUGTDwAAAA1BBgEbGlzdBUCABUMJQIYB2VsZW1lbnQlAEwcAAAAFQolAhgDb3B0ABYMGTwZTCYAHBUEGTUABhAZGAJpZBUMFgQWdBaYASZWJggpLBUEFQAVAgAVABUQFQIAPCkGGSYABAAAACYAHBUMGTUABhAZGAR0ZXh0FQwWBBaEARaoASb+ASagASksFQQVABUCABUAFRAVAgA8FiAZBhkmAAQAAAAmABwVDBk1AAYQGUgEbWV0YQR0YWdzBGxpc3QHZWxlbWVudBUMFgQWbhaSASaAAybIAiksFQQVABUCABUAFRAVAgA8FgIZJgQAGVYAAAIAAgAAACYAHBUKGTUABhAZGANvcHQVDBYEFmQWiAEmmAQm2gMpLBUEFQAVAgAVABUQFQIAPCkGGSYCAgAAABbKAxYEJggW2gQAGUwmABwVBBk1AAYQGRgCaWQVDBYEFnQWmAEmsAUm4gQpLBUEFQAVAgAVABUQFQIAPCkGGSYABAAAACYAHBUMGTUABhAZGAR0ZXh0FQwWBBaEARaoASbYBib6BSksFQQVABUCABUAFRAVAgA8FiAZBhkmAAQAAAAmABwVDBk1AAYQGUgEbWV0YQR0YWdzBGxpc3QHZWxlbWVudBUMFgYWeBacASbkByaiByksFQQVABUCABUAFRAVAgA8FgQZJgQCGVYAAAIABAAAACYAHBUKGTUABhAZGANvcHQVDBYEFmQWiAEm/AgmvggpLBUEFQAVAgAVABUQFQIAPCkGGSYCAgAAABbUAxYEJuIEFuQEABlMJgAcFQQZNQAGEBkYAmlkFQwWBBZ0FpgBJpQKJsYJKSwVBBUAFQIAFQAVEBUCADwpBhkmAAQAAAAmABwVDBk1AAYQGRgEdGV4dBUMFgQWhAEWqAEmvAsm3gopLBUEFQAVAgAVABUQFQIAPBYgGQYZJgAEAAAAJgAcFQwZNQAGEBlIBG1ldGEEdGFncwRsaXN0B2VsZW1lbnQVDBYGFnQWmAEmyAwmhgwpLBUEFQAVAgAVABUQFQIAPBYGGSYEAhlWAAAAAAYAAAAmABwVChk1AAYQGRgDb3B0FQwWBBZkFogBJtwNJp4NKSwVBBUAFQIAFQAVEBUCADwpBhkmAgIAAAAW0AMWBCbGCRbgBAAoIHBhcnF1ZXQtY3BwLWFycm93IHZlcnNpb24gMjUuMC4xGUwcAAAcAAAcAAAcAAAAzwMAAFBBUjE=';

/** Documents as a reader gives them, without the origin. */
function withoutOrigin(rows: DocumentRecord[]): DocumentRecord[] {
  return rows.map(({ _curator_origin: _o, ...r }) => r);
}

async function readAll(raw: Record<string, unknown>): Promise<{ tasks: FileGroupTask[]; rows: DocumentRecord[] }> {
  const stage = build('ParquetReader', raw, dir) as CompositeStage;
  const [part, read] = stage.decompose() as [ParquetFilePartitioningStage, ParquetReaderStage];
  const tasks = await part.process(new EmptyTask());
  const rows: DocumentRecord[] = [];
  for (const t of tasks) rows.push(...(await read.process(t)).data);
  return { tasks, rows };
}

function writer(raw: Record<string, unknown>): ParquetWriter {
  return buildProcessing<ParquetWriter>('ParquetWriter', { path: 'out', ...raw }, dir).stage;
}

function batch(data: DocumentRecord[], taskId = '0_0', sources: string[] = ['/in/a.jsonl']): DocumentBatch {
  return new DocumentBatch({ dataset_name: 'ds', data, task_id: taskId, _metadata: { source_files: sources } });
}

const DOCS: DocumentRecord[] = [
  { id: 1, text: 'naïve café — 東京 😀', score: 0.5, ok: true, meta: { lang: 'en', tags: ['a', 'b'] }, mixed: 'str', big: 2 ** 40, _curator_origin: '/in/a.jsonl:1' },
  { id: 2, text: '', score: 2, ok: false, meta: null, mixed: 7, list: [1, { x: null }], _curator_origin: '/in/a.jsonl:2' },
  { id: 3, text: null, ok: null, mixed: { deep: [true] }, big: -5, _curator_origin: '/in/a.jsonl:3' },
];

describe('ParquetWriter → ParquetReader round trip', () => {
  it('keeps numbers, strings, booleans, nulls and nested values; drops _curator_ fields; absent fields read back as null', async () => {
    const w = writer({});
    await w.setup_on_node(node, worker);
    const out = await w.process(batch(DOCS));
    expect(out._metadata).toMatchObject({ format: 'parquet', source_files: ['/in/a.jsonl'] });
    const file = out.data[0] as string;
    expect(file).toMatch(/[0-9a-f]{16}\.parquet$/);
    const { rows } = await readAll({ file_paths: file });
    expect(withoutOrigin(rows)).toEqual([
      { id: 1, text: 'naïve café — 東京 😀', score: 0.5, ok: true, meta: { lang: 'en', tags: ['a', 'b'] }, mixed: 'str', big: 2 ** 40, list: null },
      { id: 2, text: '', score: 2, ok: false, meta: null, mixed: 7, big: null, list: [1, { x: null }] },
      { id: 3, text: null, score: null, ok: null, meta: null, mixed: { deep: [true] }, big: -5, list: null },
    ]);
    expect(rows.map((r) => r['_curator_origin'])).toEqual([1, 2, 3].map((n) => `${file}:${n}`));
    const src = await openParquet(file);
    const types = Object.fromEntries(src.metadata.schema.slice(1).map((e) => [e.name, e.converted_type ?? e.type]));
    await src.close();
    expect(types).toEqual({ id: 'INT64', text: 'UTF8', score: 'DOUBLE', ok: 'BOOLEAN', meta: 'JSON', mixed: 'JSON', big: 'INT64', list: 'JSON' });
  });

  it('writes only the fields named, a _curator_ field included when named', async () => {
    const out = await writer({ fields: ['text', '_curator_origin'] }).process(batch(DOCS));
    const { rows } = await readAll({ file_paths: out.data[0] as string, fields: ['_curator_origin', 'text', 'id'] });
    // The file's own origin replaces the stored one on reading; the column order is the reader's selection.
    expect(Object.keys(rows[0] ?? {})).toEqual(['_curator_origin', 'text']);
    expect(rows.map((r) => r['text'])).toEqual([DOCS[0]?.['text'], '', null]);
  });

  for (const codec of ['snappy', 'gzip', 'brotli', 'none', 'zstd'] as const) {
    it(`compression "${codec}" is recorded in the file and reads back`, async () => {
      if (codecProblem(codec)) {
        expect(await check('ParquetWriter', { path: 'out', compression: codec }, dir)).toEqual([expect.stringContaining('Node 22.15')]);
        return;
      }
      const out = await writer({ compression: codec }).process(batch(DOCS));
      const src = await openParquet(out.data[0] as string);
      const codecs = new Set(src.metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
      await src.close();
      expect([...codecs]).toEqual([codec === 'none' ? 'UNCOMPRESSED' : codec.toUpperCase()]);
      const { rows } = await readAll({ file_paths: out.data[0] as string });
      expect(rows.map((r) => r['text'])).toEqual(DOCS.map((d) => d['text']));
    });
  }
});

describe('ParquetReader', () => {
  it('reads a pyarrow file: zstd pages, int64, nested struct and list, nulls', async () => {
    const f = join(dir, 'pa.parquet');
    await writeFile(f, Buffer.from(PYARROW_FIXTURE, 'base64'));
    const { rows, tasks } = await readAll({ file_paths: f });
    expect(tasks).toHaveLength(1);
    expect(withoutOrigin(rows)).toEqual(
      Array.from({ length: 6 }, (_, i) => ({ id: 2 ** 40 + i, text: `doc ${i} é`, meta: { tags: ['x', 'y'].slice(0, i % 3) }, opt: i % 2 ? null : i * 0.5 })),
    );
  });

  it('splits a file by row groups into several tasks that read only their rows, with file row numbers', async () => {
    const f = join(dir, 'data', 'rg.parquet');
    const docs = Array.from({ length: 50 }, (_, i) => ({ i, t: 'x'.repeat(i) }));
    await mkdir(join(dir, 'data'));
    await writeParquetFile(f, docs, ['i', 't'], 'snappy', 10);
    const { tasks, rows } = await readAll({ file_paths: 'data', blocksize: 200 });
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    const groups = tasks.map((t) => t._metadata['row_groups'] as { start: number; end: number; row_start: number; row_end: number });
    expect(groups[0]?.start).toBe(0);
    expect(groups.at(-1)?.end).toBe(5);
    for (let k = 1; k < groups.length; k++) expect(groups[k]?.start).toBe(groups[k - 1]?.end);
    expect(new Set(tasks.map((t) => t.getDeterministicId())).size).toBe(tasks.length);
    expect(withoutOrigin(rows)).toEqual(docs);
    expect(rows.map((r) => r['_curator_origin'])).toEqual(docs.map((_, i) => `${f}:${i + 1}`));
    // One task alone: only its rows.
    const { stage } = buildProcessing<ParquetReaderStage>('ParquetReaderStage', { fields: ['i'] }, dir);
    const second = await stage.process(tasks[1] as FileGroupTask);
    const g = groups[1] as { row_start: number; row_end: number };
    expect(second.data).toEqual(docs.slice(g.row_start, g.row_end).map((d) => ({ i: d.i, _curator_origin: `${f}:${d.i + 1}` })));
  });

  it('names the file that is not Parquet', async () => {
    const f = join(dir, 'bad.parquet');
    await writeFile(f, 'not a parquet file at all');
    await expect(readAll({ file_paths: f })).rejects.toThrow(f);
  });

  it('check() names a folder without .parquet files', async () => {
    await writeFile(join(dir, 'x.jsonl'), '{}\n');
    expect(await check('ParquetReader', { file_paths: '.' }, dir)).toEqual([expect.stringContaining('no files ending in .parquet')]);
  });
});

describe('ParquetWriter modes and atomic files', () => {
  it('mode overwrite empties the folder; error refuses a non-empty one; ignore writes alongside', async () => {
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out', 'old.parquet'), 'x');
    expect(await check('ParquetWriter', { path: 'out', mode: 'error' }, dir)).toEqual([expect.stringContaining('already exists and is not empty')]);
    await expect(writer({ mode: 'error' }).setup_on_node(node, worker)).rejects.toThrow('mode "overwrite"');
    const ignore = writer({});
    await ignore.setup_on_node(node, worker);
    await ignore.process(batch(DOCS));
    expect((await readdir(join(dir, 'out'))).length).toBe(2);
    const over = writer({ mode: 'overwrite' });
    await over.setup_on_node(node, worker);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('leaves no file, final or temporary, when a write fails', async () => {
    const circular: DocumentRecord = { id: 1 };
    circular['self'] = { back: circular };
    await expect(writer({}).process(batch([{ id: 0, self: { ok: 1 } }, circular]))).rejects.toThrow();
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('writes an empty batch as a readable file with no rows', async () => {
    const out = await writer({}).process(batch([]));
    expect((await readAll({ file_paths: out.data[0] as string })).rows).toEqual([]);
  });
});
