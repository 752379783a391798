import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { EmptyTask, FileGroupTask } from '../../../../../runner/pipeline/tasks.js';
import { type CompositeStage } from '../../../../../runner/pipeline/stage.js';
import { getStage } from '../../../../../runner/stages/registry.js';
import { FilePartitioningStage } from '../../../../../runner/stages/io/file-partitioning.js';
import { JsonlReader, JsonlReaderStage } from '../../../../../runner/stages/io/jsonl-reader.js';
import { build, buildProcessing, check, jsonl, makeTempDir, writeText } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(async () => {
  await cleanup();
});

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
    expect(batch.data).toEqual([
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
    expect(batch.data).toEqual([{ id: 1, text: 'x' }, { text: 'y' }]);
    expect(Object.keys(batch.data[1] ?? {})).toEqual(['text']);
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
    expect((await reader().process(group([f]))).data).toEqual([{ id: 1 }]);
  });
});

describe('JsonlReader', () => {
  it('decomposes into file_partitioning and jsonl_reader with matching params', async () => {
    const stage = build('JsonlReader', { file_paths: ['data'], blocksize: '1MB', fields: ['text'], limit: 3 }, dir);
    expect(stage).toBeInstanceOf(JsonlReader);
    const subs = (stage as CompositeStage).decompose_and_apply_with();
    expect(subs.map((s) => s.name)).toEqual(['file_partitioning', 'jsonl_reader']);
    expect(subs[0]).toBeInstanceOf(FilePartitioningStage);
    expect(subs[0]?.params).toEqual({ file_paths: [join(dir, 'data')], blocksize: '1MB', file_extensions: ['.jsonl', '.json'], limit: 3 });
    expect(subs[1]).toBeInstanceOf(JsonlReaderStage);
    expect(subs[1]?.params).toEqual({ fields: ['text'] });
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
    expect(batches.map((b) => b.data)).toEqual([[{ id: 'a1' }, { id: 'a2' }, { id: 'b1' }]]);
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

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
