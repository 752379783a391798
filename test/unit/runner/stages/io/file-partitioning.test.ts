import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { getStage } from '../../../../../runner/stages/registry.js';
import { EmptyTask, type FileGroupTask } from '../../../../../runner/pipeline/tasks.js';
import { type FilePartitioningStage, groupBySize } from '../../../../../runner/stages/io/file-partitioning.js';
import { buildProcessing, check, writeText, useTempDir } from '../helpers.js';

let dir: string;
useTempDir((d) => (dir = d));

async function partitions(raw: Record<string, unknown>): Promise<FileGroupTask[]> {
  const { stage } = buildProcessing<FilePartitioningStage>('FilePartitioningStage', raw, dir);
  return stage.process(new EmptyTask());
}

/** Writes small files with the given names under `sub`, in reverse order so that path order is not creation order. */
async function makeFiles(sub: string, names: string[], bytes = 10): Promise<string[]> {
  const out: string[] = [];
  for (const n of [...names].reverse()) out.unshift(await writeText(join(dir, sub, n), 'x'.repeat(bytes)));
  return out;
}

describe('FilePartitioningStage', () => {
  it('has NeMo Curator defaults: name, half a CPU, one worker', async () => {
    await makeFiles('data', ['a.jsonl']);
    const { stage } = buildProcessing<FilePartitioningStage>('FilePartitioningStage', { file_paths: 'data' }, dir);
    expect(stage.name).toBe('file_partitioning');
    expect(stage.resources.cpus).toBe(0.5);
    expect(stage.num_workers()).toBe(1);
    expect(stage.params['file_paths']).toBe(join(dir, 'data'));
    expect(stage.params['file_extensions']).toEqual(['.jsonl', '.json', '.parquet']);
  });

  it('makes one partition per file by default, sorted by path', async () => {
    await makeFiles('data', ['c.jsonl', 'a.jsonl', 'b.json']);
    const tasks = await partitions({ file_paths: 'data' });
    expect(tasks.map((t) => t.data)).toEqual([[join(dir, 'data/a.jsonl')], [join(dir, 'data/b.json')], [join(dir, 'data/c.jsonl')]]);
  });

  it('groups by count in path order, with partition metadata', async () => {
    const files = await makeFiles('data', ['p0.jsonl', 'p1.jsonl', 'p2.jsonl', 'p3.jsonl', 'p4.jsonl']);
    const tasks = await partitions({ file_paths: 'data', files_per_partition: 2 });
    expect(tasks.map((t) => t.data)).toEqual([files.slice(0, 2), files.slice(2, 4), files.slice(4)]);
    expect(tasks.map((t) => t._metadata)).toEqual([
      { partition_index: 0, total_partitions: 3, source_files: files.slice(0, 2) },
      { partition_index: 1, total_partitions: 3, source_files: files.slice(2, 4) },
      { partition_index: 2, total_partitions: 3, source_files: files.slice(4) },
    ]);
  });

  it('groups by blocksize: smallest first, new group when the next file would overflow', async () => {
    const big = await writeText(join(dir, 'data/big.jsonl'), 'x'.repeat(70));
    const a = await writeText(join(dir, 'data/a.jsonl'), 'x'.repeat(40));
    const b = await writeText(join(dir, 'data/b.jsonl'), 'x'.repeat(30));
    const c = await writeText(join(dir, 'data/c.jsonl'), 'x'.repeat(20));
    const huge = await writeText(join(dir, 'data/huge.jsonl'), 'x'.repeat(150));
    const { stage, logs } = buildProcessing<FilePartitioningStage>('FilePartitioningStage', { file_paths: 'data', blocksize: 100 }, dir);
    const tasks = await stage.process(new EmptyTask());
    // sizes ascending: c20 b30 a40 | big70 | huge150 (on its own, with a warning)
    expect(tasks.map((t) => t.data)).toEqual([[c, b, a], [big], [huge]]);
    expect(logs.some(([level, m]) => level === 'warn' && m.includes(huge))).toBe(true);
    // NeMo Curator's stage never splits a file: only the readers' partitioning stages do.
    expect(tasks.every((t) => t._metadata['byte_range'] === undefined)).toBe(true);
  });

  it('accepts blocksize as a size string', async () => {
    await makeFiles('data', ['a.jsonl', 'b.jsonl', 'c.jsonl'], 600);
    expect((await partitions({ file_paths: 'data', blocksize: '1kB' })).map((t) => t.num_items)).toEqual([1, 1, 1]);
    expect((await partitions({ file_paths: 'data', blocksize: '2KiB' })).map((t) => t.num_items)).toEqual([3]);
  });

  it('lists a folder recursively but not the folders of a list', async () => {
    const top = await writeText(join(dir, 'data/top.jsonl'), '{}');
    const deep = await writeText(join(dir, 'data/x/y/deep.jsonl'), '{}');
    const single = await partitions({ file_paths: 'data' });
    expect(single.flatMap((t) => t.data)).toEqual([top, deep]);
    const listed = await partitions({ file_paths: ['data'] });
    expect(listed.flatMap((t) => t.data)).toEqual([top]);
  });

  it('keeps explicitly listed files and sorts them by path', async () => {
    const [a, b] = await makeFiles('data', ['a.txt', 'b.jsonl']);
    const tasks = await partitions({ file_paths: ['data/b.jsonl', 'data/a.txt'], files_per_partition: 5 });
    expect(tasks.map((t) => t.data)).toEqual([[a, b]]);
  });

  it('filters by extension, matching compressed variants and skipping hidden files', async () => {
    await makeFiles('data', ['a.jsonl.gz', 'b.JSONL', 'c.json.zst', 'd.txt', 'e.parquet', 'f.gz', '.hidden.jsonl']);
    const tasks = await partitions({ file_paths: 'data', file_extensions: ['.jsonl', 'json'] });
    expect(tasks.flatMap((t) => t.data).map((p) => p.slice(dir.length + 6))).toEqual(['a.jsonl.gz', 'b.JSONL', 'c.json.zst']);
    const all = await partitions({ file_paths: 'data', file_extensions: [] });
    expect(all).toHaveLength(6);
  });

  it('limit caps the number of partitions, keeping the first', async () => {
    const files = await makeFiles('data', ['a.jsonl', 'b.jsonl', 'c.jsonl', 'd.jsonl']);
    const tasks = await partitions({ file_paths: 'data', limit: 2 });
    expect(tasks.map((t) => t.data)).toEqual([[files[0]], [files[1]]]);
    expect(tasks.map((t) => t._metadata['total_partitions'])).toEqual([2, 2]);
  });

  it('names the dataset after the lower-cased folder of the first file', async () => {
    await makeFiles('Mail_Corpus', ['a.jsonl']);
    await makeFiles('Other', ['b.jsonl']);
    const tasks = await partitions({ file_paths: ['Mail_Corpus/a.jsonl', 'Other/b.jsonl'], files_per_partition: 2 });
    expect(tasks.map((t) => t.dataset_name)).toEqual(['mail_corpus']);
  });

  it('returns no partitions, with a warning, when a folder holds no input files', async () => {
    await makeFiles('data', ['a.txt']);
    const { stage, logs } = buildProcessing<FilePartitioningStage>('FilePartitioningStage', { file_paths: 'data' }, dir);
    expect(await stage.process(new EmptyTask())).toEqual([]);
    expect(logs.map(([l]) => l)).toContain('warn');
  });

  it('rejects files_per_partition together with blocksize, naming blocksize', () => {
    const r = getStage('FilePartitioningStage').params.safeParse({ file_paths: 'x', files_per_partition: 2, blocksize: '1MB' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['blocksize']);
  });

  it('rejects a blocksize that is not a size', () => {
    const schema = getStage('FilePartitioningStage').params;
    expect(schema.safeParse({ file_paths: 'x', blocksize: '12 parsecs' }).success).toBe(false);
    expect(schema.safeParse({ file_paths: 'x', blocksize: 0 }).success).toBe(false);
    expect(schema.safeParse({ file_paths: 'x', blocksize: '64MiB' }).success).toBe(true);
  });
});

describe('FilePartitioningStage check()', () => {
  it('passes for existing inputs', async () => {
    await makeFiles('data', ['a.jsonl']);
    expect(await check('FilePartitioningStage', { file_paths: 'data' }, dir)).toEqual([]);
    expect(await check('FilePartitioningStage', { file_paths: ['data/a.jsonl'] }, dir)).toEqual([]);
  });

  it('names every missing path and the stage', async () => {
    await makeFiles('data', ['a.jsonl']);
    const problems = await check('FilePartitioningStage', { file_paths: ['data/a.jsonl', 'nope.jsonl', 'gone'] }, dir);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(join(dir, 'nope.jsonl'));
    expect(problems[1]).toContain(join(dir, 'gone'));
    for (const p of problems) expect(p).toMatch(/^FilePartitioningStage: .*does not exist/);
  });

  it('reports a folder without matching files, naming the folder and the extensions', async () => {
    await makeFiles('data', ['a.txt', 'b.csv']);
    const problems = await check('FilePartitioningStage', { file_paths: 'data', file_extensions: ['.jsonl', '.json'] }, dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(join(dir, 'data'));
    expect(problems[0]).toContain('.jsonl, .json');
  });
});

describe('groupBySize', () => {
  it('breaks size ties by path so that grouping is deterministic', () => {
    const groups = groupBySize(
      [
        { path: '/b', size: 5 },
        { path: '/a', size: 5 },
        { path: '/c', size: 5 },
      ],
      10,
    );
    expect(groups).toEqual([
      { files: ['/a', '/b'], bytes: 10 },
      { files: ['/c'], bytes: 5 },
    ]);
  });
});
