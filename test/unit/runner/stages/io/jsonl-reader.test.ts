import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { EmptyTask, FileGroupTask } from '../../../../../runner/pipeline/tasks.js';
import { type CompositeStage } from '../../../../../runner/pipeline/stage.js';
import { getStage } from '../../../../../runner/stages/registry.js';
import { type FilePartitioningStage } from '../../../../../runner/stages/io/file-partitioning.js';
import { JsonlFilePartitioningStage, JsonlReader, JsonlReaderStage } from '../../../../../runner/stages/io/jsonl-reader.js';
import { build, buildProcessing, check, jsonl, writeText, useTempDir } from '../helpers.js';

let dir: string;
useTempDir((d) => (dir = d));

function reader(raw: Record<string, unknown> = {}): JsonlReaderStage {
  return buildProcessing<JsonlReaderStage>('JsonlReaderStage', raw, dir).stage;
}

function group(files: string[], dataset = 'ds'): FileGroupTask {
  return new FileGroupTask({ dataset_name: dataset, data: files, _metadata: { partition_index: 0, total_partitions: 1, source_files: files } });
}

describe('JsonlReaderStage', () => {
  it('reads plain and gzip files into one batch, in file order, skipping blank lines', async () => {
    const a = await writeText(join(dir, 'a.jsonl'), jsonl([{ id: 1, text: 'één' }]) + '\n   \n' + jsonl([{ id: 2, text: 'two' }]));
    const b = await writeText(join(dir, 'b.jsonl.gz'), jsonl([{ id: 3, text: 'three' }]) + '\r\n' + JSON.stringify({ id: 4, text: 'four' }));
    const stage = reader();
    expect(stage.name).toBe('jsonl_reader');
    const batch = await stage.process(group([b, a], 'mail'));
    expect(batch.data.map((r) => r['_curator_origin'])).toEqual([`${b}:1`, `${b}:3`, `${a}:1`, `${a}:4`]);
    expect(batch.data.map(withoutOrigin)).toEqual([
      { id: 3, text: 'three' },
      { id: 4, text: 'four' },
      { id: 1, text: 'één' },
      { id: 2, text: 'two' },
    ]);
    expect(batch.dataset_name).toBe('mail');
    expect(batch._metadata['source_files']).toEqual([b, a]);
    expect(batch._metadata['partition_index']).toBe(0);
  });

  it('keeps only the selected fields, leaving out those a record lacks', async () => {
    const f = await writeText(join(dir, 'a.jsonl'), jsonl([{ id: 1, text: 'x', meta: { k: 1 } }, { text: 'y', other: true }]));
    const batch = await reader({ fields: ['id', 'text'] }).process(group([f]));
    expect(batch.data.map(withoutOrigin)).toEqual([{ id: 1, text: 'x' }, { text: 'y' }]);
    expect(Object.keys(batch.data[1] ?? {})).toEqual(['text', '_curator_origin']);
  });

  it('names the file and line number of a malformed line', async () => {
    const f = await writeText(join(dir, 'bad.jsonl'), jsonl([{ id: 1 }]) + '\n' + '{"id": 2,\n');
    await expect(reader().process(group([f]))).rejects.toThrow(new RegExp(`^${escape(f)}:3: invalid JSON \\(.+\\)$`));
  });

  it('names the file and line of a gzip line that is JSON but not an object', async () => {
    const f = await writeText(join(dir, 'arr.jsonl.gz'), jsonl([{ id: 1 }, [1, 2]]));
    await expect(reader().process(group([f]))).rejects.toThrow(`${f}:2: invalid JSON (expected an object per line, got an array)`);
  });

  it('fails with the path of a missing or corrupt file', async () => {
    await expect(reader().process(group([join(dir, 'missing.jsonl')]))).rejects.toThrow(/missing\.jsonl/);
    const corrupt = join(dir, 'corrupt.jsonl.gz');
    await writeFile(corrupt, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7]));
    await expect(reader().process(group([corrupt]))).rejects.toThrow();
  });

  it('strips a byte-order mark at the start of a file', async () => {
    const f = await writeText(join(dir, 'bom.jsonl'), '\ufeff' + jsonl([{ id: 1 }]));
    expect((await reader().process(group([f]))).data).toEqual([{ id: 1, _curator_origin: `${f}:1` }]);
  });
});

describe('JsonlReaderStage on_error and counters', () => {
  it('skip: leaves malformed lines out, adds invalid_json_lines_skipped, logs the first five with file:line', async () => {
    const lines = ['{"id":0}'];
    for (let i = 1; i <= 8; i++) lines.push(`{"id":${i}`, `{"id":${i}}`);
    const f = await writeText(join(dir, 'bad.jsonl'), lines.join('\n') + '\n');
    const { stage, counters, logs } = buildProcessing<JsonlReaderStage>('JsonlReaderStage', { on_error: 'skip' }, dir);
    const batch = await stage.process(group([f]));
    expect(batch.data.map((r) => r['id'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(counters).toEqual({ invalid_json_lines_skipped: 8 });
    const warnings = logs.filter(([level]) => level === 'warn').map(([, m]) => m);
    expect(warnings.filter((m) => m.includes('skipped a malformed line'))).toHaveLength(5);
    expect(warnings[0]).toContain(`${f}:2: `);
    expect(warnings.some((m) => m.includes('skipped 8 malformed lines'))).toBe(true);
  });

  it('fail (the default) stops at the first malformed line and counts nothing', async () => {
    const f = await writeText(join(dir, 'bad.jsonl'), '{"id":1}\n{"id":\n');
    const { stage, counters } = buildProcessing<JsonlReaderStage>('JsonlReaderStage', {}, dir);
    await expect(stage.process(group([f]))).rejects.toThrow(`${f}:2: invalid JSON`);
    expect(counters).toEqual({});
  });

  it('counts lines whose invalid UTF-8 was replaced, in invalid_utf8_lines_replaced', async () => {
    const f = join(dir, 'latin1.jsonl');
    await writeFile(f, Buffer.concat([Buffer.from('{"t":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"t":"ok"}\n')]));
    const { stage, counters } = buildProcessing<JsonlReaderStage>('JsonlReaderStage', {}, dir);
    const batch = await stage.process(group([f]));
    expect(batch.data.map((r) => r['t'])).toEqual(['caf\ufffd', 'ok']);
    expect(counters).toEqual({ invalid_utf8_lines_replaced: 1 });
  });
});

describe('JsonlFilePartitioningStage: splitting large files into byte ranges', () => {
  async function plan(raw: Record<string, unknown>): Promise<{ tasks: FileGroupTask[]; logs: Array<[string, string]> }> {
    const { stage, logs } = buildProcessing<JsonlFilePartitioningStage>('JsonlFilePartitioningStage', { file_extensions: ['.jsonl', '.json'], ...raw }, dir);
    return { tasks: await stage.process(new EmptyTask()), logs };
  }

  it('splits a file over blocksize into ranges with distinct task ids, and the ranges read back to the whole file', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => ({ i, t: 'ünïcödé '.repeat(i % 9) }));
    const big = await writeText(join(dir, 'data/big.jsonl'), jsonl(lines));
    const small = await writeText(join(dir, 'data/small.jsonl'), jsonl([{ i: -1 }]));
    const { tasks, logs } = await plan({ file_paths: 'data', blocksize: 10_000 });
    const ranges = tasks.filter((t) => t._metadata['byte_range']);
    expect(ranges.length).toBeGreaterThan(5);
    expect(tasks[0]?.data).toEqual([small]);
    expect(logs.some(([, m]) => m.includes('split 1 large file(s)'))).toBe(true);
    const ids = new Set(tasks.map((t) => t.getDeterministicId()));
    expect(ids.size).toBe(tasks.length);
    for (const t of ranges) expect(t._metadata).toMatchObject({ source_files: [big], byte_range: { start: expect.any(Number), end: expect.any(Number) } });
    const read = reader();
    const docs: Array<Record<string, unknown>> = [];
    for (const t of ranges) docs.push(...(await read.process(t)).data);
    expect(docs.map(withoutOrigin)).toEqual(lines);
    expect(docs.every((d) => typeof d['_curator_origin'] === 'string' && (d['_curator_origin'] as string).startsWith(`${big}@`))).toBe(true);
  });

  it('never splits compressed files, and says so', async () => {
    await writeText(join(dir, 'data/big.jsonl.gz'), jsonl(Array.from({ length: 3000 }, (_, i) => ({ i, r: Math.sin(i) }))));
    const { tasks, logs } = await plan({ file_paths: 'data', blocksize: 1000 });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?._metadata['byte_range']).toBeUndefined();
    expect(logs.some(([level, m]) => level === 'warn' && m.includes('cannot be split'))).toBe(true);
  });

  it('keeps small files whole and in NeMo Curator groups (files_per_partition, blocksize)', async () => {
    const files = [];
    for (const n of ['a', 'b', 'c']) files.push(await writeText(join(dir, `data/${n}.jsonl`), jsonl([{ n }])));
    expect((await plan({ file_paths: 'data', files_per_partition: 2 })).tasks.map((t) => t.data)).toEqual([files.slice(0, 2), files.slice(2)]);
    expect((await plan({ file_paths: 'data' })).tasks.map((t) => t.data)).toEqual(files.map((f) => [f]));
    expect((await plan({ file_paths: 'data', blocksize: '1MB' })).tasks.map((t) => t.data)).toEqual([files]);
  });
});

describe('JsonlReader', () => {
  it('decomposes into file_partitioning and jsonl_reader with matching params', async () => {
    const stage = build('JsonlReader', { file_paths: ['data'], blocksize: '1MB', fields: ['text'], limit: 3 }, dir);
    expect(stage).toBeInstanceOf(JsonlReader);
    const subs = (stage as CompositeStage).decompose_and_apply_with();
    expect(subs.map((s) => s.name)).toEqual(['file_partitioning', 'jsonl_reader']);
    expect(subs[0]).toBeInstanceOf(JsonlFilePartitioningStage);
    expect(subs[0]?.type).toBe('JsonlFilePartitioningStage');
    expect(subs[0]?.params).toEqual({ file_paths: [join(dir, 'data')], blocksize: '1MB', file_extensions: ['.jsonl', '.json'], limit: 3 });
    expect(subs[1]).toBeInstanceOf(JsonlReaderStage);
    expect(subs[1]?.params).toEqual({ fields: ['text'], on_error: 'fail' });
  });

  it('sub-stage params re-create the same stages, as a worker does', async () => {
    const stage = build('JsonlReader', { file_paths: 'data', files_per_partition: 2 }, dir) as CompositeStage;
    for (const sub of stage.decompose()) {
      const spec = sub.toSpec();
      const def = getStage(spec.type);
      const again = def.create(def.params.parse(spec.params), { resolvePath: (p) => p });
      expect(again.params).toEqual(sub.params);
    }
  });

  it('reads a folder end to end through its sub-stages', async () => {
    await writeText(join(dir, 'data/a.jsonl'), jsonl([{ id: 'a1' }, { id: 'a2' }]));
    await writeText(join(dir, 'data/sub/b.jsonl.gz'), jsonl([{ id: 'b1' }]));
    await writeText(join(dir, 'data/c.parquet'), 'not json');
    const [part, read] = (build('JsonlReader', { file_paths: 'data', files_per_partition: 5 }, dir) as CompositeStage).decompose() as [FilePartitioningStage, JsonlReaderStage];
    const groups = await part.process(new EmptyTask());
    const batches = await Promise.all(groups.map((g) => read.process(g)));
    expect(batches.map((b) => b.data.map(withoutOrigin))).toEqual([[{ id: 'a1' }, { id: 'a2' }, { id: 'b1' }]]);
    expect(batches[0]?.dataset_name).toBe('data');
  });

  it('check() delegates to the partitioning check with its own extensions', async () => {
    await writeText(join(dir, 'data/a.parquet'), '');
    const problems = await check('JsonlReader', { file_paths: 'data' }, dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^JsonlReader: folder ".*data" has no files ending in \.jsonl, \.json/);
    expect(await check('JsonlReader', { file_paths: 'nothing-here' }, dir)).toEqual([expect.stringContaining(join(dir, 'nothing-here'))]);
  });

  it('rejects unknown parameters', () => {
    expect(getStage('JsonlReader').params.safeParse({ file_paths: 'x', feilds: ['text'] }).success).toBe(false);
  });
});

/** A record without the origin the reader adds. */
function withoutOrigin(r: Record<string, unknown>): Record<string, unknown> {
  const { _curator_origin: _o, ...rest } = r;
  return rest;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
