import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createCuratorService } from '../../../../runner/service/service.js';
import { MemoryHistory } from './memory-history.js';
import { apiError, tempDir } from './helpers.js';

describe('CuratorService: input and output previews', () => {
  const history = new MemoryHistory();
  const service = createCuratorService({ history, resourcesDir: null, log: () => undefined });
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(path.join(dir, 'corpus/nested'), { recursive: true });
    const lines = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    await writeFile(path.join(dir, 'corpus/a.jsonl'), `${JSON.stringify({ id: 1, text: 'first' })}\n{not json\n${lines([{ id: 2, text: 'second', tags: ['x'] }])}`);
    await writeFile(path.join(dir, 'corpus/nested/b.jsonl.gz'), gzipSync(lines([{ id: 3, score: 0.5 }, { id: 4, score: null }, { id: 5, score: 1 }])));
    await writeFile(path.join(dir, 'corpus/notes.txt'), 'not an input\n');
    await mkdir(path.join(dir, 'written'));
    await writeFile(path.join(dir, 'written/0001.jsonl'), lines([{ id: 'w1' }, { id: 'w2' }]));
    await writeFile(path.join(dir, 'written/.0002.jsonl.tmp-1'), lines([{ id: 'half' }]));
  });
  afterAll(async () => {
    await service.close();
    await cleanup();
  });

  it('reads the first documents of a folder (recursively, .gz too) with the union of their fields', async () => {
    const p = await service.previewInput({ path: path.join(dir, 'corpus'), limit: 4 });
    expect(p.files.map((f) => path.relative(dir, f.path))).toEqual(['corpus/a.jsonl', 'corpus/nested/b.jsonl.gz']);
    expect(p.documents.map((d) => d.id)).toEqual([1, 2, 3, 4]);
    expect(p.truncated).toBe(true);
    expect(p.fields).toEqual([
      { name: 'id', types: ['number'], present: 4 },
      { name: 'text', types: ['string'], present: 2 },
      { name: 'tags', types: ['array'], present: 1 },
      { name: 'score', types: ['null', 'number'], present: 2 },
    ]);
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatch(/a\.jsonl:2: invalid JSON/);
  });

  it('previews one file given relative to a base folder, and says when everything was read', async () => {
    const p = await service.previewInput({ path: 'corpus/nested/b.jsonl.gz', base_dir: dir, limit: 10 });
    expect(p.documents).toHaveLength(3);
    expect(p.truncated).toBe(false);
  });

  it('refuses a missing input path as not_found and a relative path without base_dir as invalid', async () => {
    expect((await apiError(service.previewInput({ path: path.join(dir, 'nope') }))).code).toBe('not_found');
    expect((await apiError(service.previewInput({ path: 'corpus' }))).problems).toEqual(['previewInput: path: expected an absolute path, or base_dir for a relative one']);
  });

  it('falls back to the writer folder of a run that recorded no output files, skipping temporary files', async () => {
    const runId = 'run-without-outputs';
    history.createRun({
      run_id: runId,
      name: 'old',
      pipeline: { name: 'old', stages: [{ stage: 'SyntheticDocuments', params: {} }, { stage: 'JsonlWriter', name: 'save', params: { path: path.join(dir, 'written') } }] },
      backend: 'xenna',
      config: {},
      hardware: null,
      inputs: [],
      source: 'cli',
    });
    history.recorder(runId).finish({ run_id: runId, status: 'succeeded', backend: 'xenna', execution_mode: 'streaming', duration_s: 1, output_tasks: 1, stages: [], warnings: [], error: null });
    const p = await service.previewOutput({ run_id: runId, limit: 1, offset: 1 });
    expect(p.source).toBe('writer_folders');
    expect(p.total).toBe(2);
    expect(p.documents).toEqual([{ id: 'w2' }]);
    expect((await service.previewOutput({ run_id: runId, stage: 'save' })).total).toBe(2);
  });

  it('lists removed documents by reason from the history', async () => {
    const r = await service.removedDocuments({ run_id: 'run-without-outputs' });
    expect(r).toEqual({ reasons: [], total: 0, samples: [] });
  });
});
