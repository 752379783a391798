import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { runCli, tempDir, readOutput, writePipeline } from './helpers.js';

/**
 * The readers and writers through the real CLI: a JSON-lines file split into byte ranges read in
 * parallel on every backend gives exactly the documents of reading it whole; Parquet round trips
 * through ParquetReader and ParquetWriter; skipped malformed lines reach the run summary.
 */

type Summary = { status: string; stages: Array<{ name: string; tasks_in: number; tasks_out: number; items_in: number; items_out: number; counters?: Record<string, number> }> };

let tmp: { dir: string; cleanup: () => void };
let docs: Array<Record<string, unknown>>;

beforeAll(() => {
  tmp = tempDir('curator-io-');
  // About 150 kB of varied lines: multi-byte text, CRLF ends, blank lines, no final newline.
  docs = Array.from({ length: 1500 }, (_, i) => ({ id: `d${i}`, text: `document ${i}: ${'été ✓ 東京 '.repeat(i % 9)}`, n: i, nested: i % 5 ? { k: i } : null }));
  const lines = docs.map((d, i) => JSON.stringify(d) + (i % 7 === 0 ? '\r\n' : '\n') + (i % 100 === 0 ? '\n' : ''));
  writeFileSync(path.join(tmp.dir, 'big.jsonl'), lines.join('').replace(/\n$/, ''));
});
afterAll(() => tmp.cleanup());

async function run(name: string, stages: unknown[], args: string[] = []): Promise<Summary> {
  const file = writePipeline(path.join(tmp.dir, `${name}.yaml`), { name, stages });
  const r = await runCli(['run', file, '--json', '--cpus', '4', ...args]);
  expect(r.code, r.stderr).toBe(0);
  const s = r.json as Summary;
  expect(s.status).toBe('succeeded');
  return s;
}

const stage = (s: Summary, name: string) => s.stages.find((x) => x.name === name);
const canon = (rs: Array<Record<string, unknown>>) => rs.map((r) => JSON.stringify(r)).sort();

describe('a JSON-lines file split into byte ranges', () => {
  let whole: string[];

  it('read whole, it gives every document once', async () => {
    const s = await run('whole', [
      { stage: 'JsonlReader', params: { file_paths: './big.jsonl' } },
      { stage: 'JsonlWriter', params: { path: './out-whole' } },
    ]);
    expect(stage(s, 'jsonl_reader')).toMatchObject({ tasks_in: 1, items_out: docs.length });
    const out = readOutput(path.join(tmp.dir, 'out-whole'));
    whole = canon(out.records);
    expect(whole).toEqual(canon(docs));
  });

  for (const backend of ['xenna', 'ray_data', 'ray_actor_pool']) {
    it(`read as ranges in parallel on ${backend}, it gives exactly the same documents`, async () => {
      expect(whole).toBeDefined();
      const out = `./out-${backend}`;
      const s = await run(`split-${backend}`, [
        { stage: 'JsonlReader', params: { file_paths: './big.jsonl', blocksize: '16kB' } },
        { stage: 'JsonlWriter', params: { path: out } },
      ], ['--backend', backend]);
      const ranges = stage(s, 'file_partitioning')?.tasks_out ?? 0;
      expect(ranges).toBeGreaterThanOrEqual(8);
      expect(stage(s, 'jsonl_reader')).toMatchObject({ tasks_in: ranges, items_out: docs.length });
      const written = readOutput(path.join(tmp.dir, out));
      expect(written.files).toHaveLength(ranges);
      expect(canon(written.records)).toEqual(whole);
    });
  }
});

describe('Parquet through the CLI', () => {
  it('JSON lines → Parquet → Parquet (gzip, two files a task) → JSON lines keeps every document', async () => {
    await run('to-parquet', [
      { stage: 'JsonlReader', params: { file_paths: './big.jsonl', blocksize: '40kB' } },
      { stage: 'ParquetWriter', params: { path: './pq1' } },
    ]);
    expect(readdirSync(path.join(tmp.dir, 'pq1')).every((f) => /^[0-9a-f]{16}\.parquet$/.test(f))).toBe(true);
    const s2 = await run('parquet-to-parquet', [
      { stage: 'ParquetReader', params: { file_paths: './pq1', files_per_partition: 2 } },
      { stage: 'ParquetWriter', params: { path: './pq2', compression: 'gzip' } },
    ]);
    expect(stage(s2, 'parquet_reader')).toMatchObject({ items_out: docs.length });
    const s3 = await run('from-parquet', [
      { stage: 'ParquetReader', params: { file_paths: './pq2', fields: ['id', 'text', 'n', 'nested'] } },
      { stage: 'JsonlWriter', params: { path: './out-parquet' } },
    ]);
    expect(stage(s3, 'parquet_reader')).toMatchObject({ items_out: docs.length });
    expect(canon(readOutput(path.join(tmp.dir, 'out-parquet')).records)).toEqual(canon(docs));
  });
});

describe('Parquet on every backend', () => {
  for (const backend of ['xenna', 'ray_data', 'ray_actor_pool']) {
    it(`writes and reads back every document on ${backend}`, async () => {
      await run(`pq-write-${backend}`, [
        { stage: 'JsonlReader', params: { file_paths: './big.jsonl', blocksize: '60kB' } },
        { stage: 'ParquetWriter', params: { path: `./pq-${backend}`, mode: 'overwrite' } },
      ], ['--backend', backend]);
      const s = await run(`pq-read-${backend}`, [
        { stage: 'ParquetReader', params: { file_paths: `./pq-${backend}` } },
        { stage: 'JsonlWriter', params: { path: `./pq-out-${backend}`, mode: 'overwrite' } },
      ], ['--backend', backend]);
      expect(stage(s, 'parquet_reader')).toMatchObject({ items_out: docs.length });
      expect(canon(readOutput(path.join(tmp.dir, `pq-out-${backend}`)).records)).toEqual(canon(docs));
    });
  }
});

describe('bad input', () => {
  it('on_error skip: the count of skipped lines is in the reader stage\u2019s counters of the --json summary', async () => {
    const dir = path.join(tmp.dir, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a.jsonl'), ['{"id":1}', '{"id":', '{"id":2}', 'nope', '[3]'].join('\n') + '\n');
    writeFileSync(path.join(dir, 'b.jsonl'), Buffer.concat([Buffer.from('{"t":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"broken\n')]));
    const s = await run('skip', [
      { stage: 'JsonlReader', params: { file_paths: './bad', on_error: 'skip' } },
      { stage: 'JsonlWriter', params: { path: './out-bad' } },
    ]);
    expect(stage(s, 'jsonl_reader')?.counters).toEqual({ invalid_json_lines_skipped: 4, invalid_utf8_lines_replaced: 1 });
    expect(readOutput(path.join(tmp.dir, 'out-bad')).records).toHaveLength(3);
  });

  it('an input folder without matching files is refused before the run, naming the folder and the extensions', async () => {
    const dir = path.join(tmp.dir, 'empty-input');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    const file = writePipeline(path.join(tmp.dir, 'empty.yaml'), { name: 'empty', stages: [{ stage: 'ParquetReader', params: { file_paths: './empty-input' } }, { stage: 'JsonlWriter', params: { path: './out-empty' } }] });
    const r = await runCli(['run', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(dir);
    expect(r.stderr).toContain('.parquet');
  });
});
