import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { DocumentBatch, FileGroupTask } from '../../../../../runner/pipeline/tasks.js';
import { type JsonlWriter, outputFileName, writeJsonlAtomic } from '../../../../../runner/stages/io/jsonl-writer.js';
import { type JsonlReaderStage } from '../../../../../runner/stages/io/jsonl-reader.js';
import { buildProcessing, check, node, worker, writeText, useTempDir } from '../helpers.js';

let dir: string;
useTempDir((d) => (dir = d));

function writer(raw: Record<string, unknown>): JsonlWriter {
  return buildProcessing<JsonlWriter>('JsonlWriter', raw, dir).stage;
}

function batch(data: Array<Record<string, unknown>>, taskId: string, sources?: string[]): DocumentBatch {
  const b = new DocumentBatch({ dataset_name: 'mail', data, _metadata: sources ? { partition_index: 0, source_files: sources } : {} });
  b.task_id = taskId;
  return b;
}

const records = [
  { id: 1, text: 'naïve café — 東京', score: 0.5 },
  { id: 2, text: 'line\nbreak "quoted"', nested: { a: [1, 2] } },
];

describe('JsonlWriter', () => {
  it('writes records that read back equal, UTF-8 without ASCII escaping', async () => {
    const w = writer({ path: 'out' });
    expect(w.name).toBe('jsonl_writer');
    const out = await w.process(batch(records, '0_0_0', ['/in/a.jsonl']));
    expect(out).toBeInstanceOf(FileGroupTask);
    expect(out.data).toHaveLength(1);
    const file = out.data[0] as string;
    expect(file.startsWith(join(dir, 'out') + '/')).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(records.map((r) => JSON.stringify(r) + '\n').join(''));
    expect(text).toContain('東京');
    const back = await buildProcessing<JsonlReaderStage>('JsonlReaderStage', {}, dir).stage.process(out);
    expect(back.data).toEqual(records.map((r, i) => ({ ...r, _curator_origin: `${file}:${i + 1}` })));
    expect(out._metadata).toEqual({ partition_index: 0, source_files: ['/in/a.jsonl'], format: 'jsonl' });
    expect(out.dataset_name).toBe('mail');
  });

  it('writes only the selected fields', async () => {
    const out = await writer({ path: 'out', fields: ['text', 'id'] }).process(batch(records, '0_1'));
    const lines = (await readFile(out.data[0] as string, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(records.map((r) => ({ text: r.text, id: r.id })));
  });

  it('drops the engine\u2019s _curator_ fields unless fields names them', async () => {
    const tagged = records.map((r, i) => ({ ...r, _curator_origin: `/in/a.jsonl:${i + 1}`, _curator_dedup_id: i }));
    const plain = await writer({ path: 'out' }).process(batch(tagged, '0_2'));
    expect(await readFile(plain.data[0] as string, 'utf8')).toBe(records.map((r) => JSON.stringify(r) + '\n').join(''));
    const kept = await writer({ path: 'out', fields: ['id', '_curator_origin'] }).process(batch(tagged, '0_3'));
    const lines = (await readFile(kept.data[0] as string, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { id: 1, _curator_origin: '/in/a.jsonl:1' },
      { id: 2, _curator_origin: '/in/a.jsonl:2' },
    ]);
  });

  it('names files deterministically from the sorted source files and the task id', async () => {
    const w = writer({ path: 'out' });
    const first = await w.process(batch(records, '0_a', ['/in/b.jsonl', '/in/a.jsonl']));
    const again = await w.process(batch(records, '0_a', ['/in/a.jsonl', '/in/b.jsonl']));
    const other = await w.process(batch(records, '0_b', ['/in/a.jsonl', '/in/b.jsonl']));
    expect(again.data).toEqual(first.data);
    expect(other.data).not.toEqual(first.data);
    expect(first.data[0]).toBe(join(dir, 'out', outputFileName(['/in/a.jsonl', '/in/b.jsonl'], '0_a')));
    expect(outputFileName(['/in/b.jsonl', '/in/a.jsonl'], '0_a')).toMatch(/^[0-9a-f]{16}\.jsonl$/);
    // The same input written twice replaces the file: one file per distinct (sources, task id).
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([first.data[0], other.data[0]].map((p) => (p as string).slice(join(dir, 'out').length + 1)).sort());
  });

  it('uses the task id alone, deterministically, when there are no source files', async () => {
    const w = writer({ path: 'out' });
    const a = await w.process(batch(records, '0_3'));
    const b = await w.process(batch(records, '0_3'));
    expect(a.data).toEqual(b.data);
    expect(a.data[0]).toBe(join(dir, 'out', outputFileName(null, '0_3')));
    expect(outputFileName(null, '0_3')).not.toBe(outputFileName(null, '0_4'));
  });

  it('leaves no temporary files behind, after success and after a failure', async () => {
    const w = writer({ path: 'out' });
    await w.process(batch(records, '0_0'));
    expect(await readdir(join(dir, 'out'))).toEqual([outputFileName(null, '0_0')]);
    const bad = batch([{ id: 1 }, { big: BigInt(1) }], '0_1');
    await expect(w.process(bad)).rejects.toThrow(/BigInt/);
    expect(await readdir(join(dir, 'out'))).toEqual([outputFileName(null, '0_0')]);
  });

  it('a write that fails part-way leaves neither the final file nor a temporary one', async () => {
    const w = writer({ path: 'out' });
    // About 2 MB are streamed to disk before the bad record is reached.
    const data: Array<Record<string, unknown>> = Array.from({ length: 20000 }, (_, i) => ({ i, text: 'y'.repeat(100) }));
    data.push({ bad: BigInt(1) });
    await expect(w.process(batch(data, '0_9'))).rejects.toThrow(/BigInt/);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });

  it('never shows the final name before the file is whole', async () => {
    const out = join(dir, 'atomic');
    await mkdir(out);
    const final = join(out, 'x.jsonl');
    const many = Array.from({ length: 50000 }, (_, i) => ({ i, text: 'y'.repeat(100) }));
    let done = false;
    const pending = writeJsonlAtomic(final, out, 'x.jsonl', many).then(() => (done = true));
    while (!done) {
      const names = await readdir(out);
      expect(names.every((n) => n === 'x.jsonl' || n.startsWith('.x.jsonl.tmp-'))).toBe(true);
      if (names.includes('x.jsonl')) expect((await readFile(final, 'utf8')).split('\n')).toHaveLength(50001);
    }
    await pending;
    expect(await readdir(out)).toEqual(['x.jsonl']);
    expect((await readFile(final, 'utf8')).split('\n')).toHaveLength(50001);
  });
});

describe('JsonlWriter modes', () => {
  it('error: check() fails on a non-empty folder, naming it and the ways out', async () => {
    await writeText(join(dir, 'out/old.jsonl'), '{}\n');
    const problems = await check('JsonlWriter', { path: 'out', mode: 'error' }, dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(join(dir, 'out'));
    expect(problems[0]).toMatch(/overwrite/);
    expect(problems[0]).toMatch(/another path/);
    expect(await check('JsonlWriter', { path: 'fresh', mode: 'error' }, dir)).toEqual([]);
    await mkdir(join(dir, 'empty'));
    expect(await check('JsonlWriter', { path: 'empty', mode: 'error' }, dir)).toEqual([]);
  });

  it('overwrite: check() leaves the folder alone; setup_on_node empties it', async () => {
    await writeText(join(dir, 'out/old.jsonl'), '{}\n');
    await writeText(join(dir, 'out/sub/older.jsonl'), '{}\n');
    expect(await check('JsonlWriter', { path: 'out', mode: 'overwrite' }, dir)).toEqual([]);
    const w = writer({ path: 'out', mode: 'overwrite' });
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['old.jsonl', 'sub']);
    await w.setup_on_node(node, worker);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
    const out = await w.process(batch(records, '0_0'));
    expect(await readdir(join(dir, 'out'))).toEqual([outputFileName(null, '0_0')]);
    expect(out.data).toHaveLength(1);
  });

  it('ignore: writes alongside existing files', async () => {
    await writeText(join(dir, 'out/old.jsonl'), '{}\n');
    expect(await check('JsonlWriter', { path: 'out' }, dir)).toEqual([]);
    const w = writer({ path: 'out' });
    await w.setup_on_node(node, worker);
    await w.process(batch(records, '0_0'));
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([outputFileName(null, '0_0'), 'old.jsonl'].sort());
  });

  it('setup_on_node creates a missing folder', async () => {
    await writer({ path: 'new/deep', mode: 'overwrite' }).setup_on_node(node, worker);
    expect(await readdir(join(dir, 'new/deep'))).toEqual([]);
  });

  it('check() refuses an output path that is a file', async () => {
    await writeFile(join(dir, 'taken'), 'x');
    expect(await check('JsonlWriter', { path: 'taken' }, dir)).toEqual([expect.stringContaining('is a file')]);
  });
});
