import { describe, expect, it } from 'vitest';
import { buildListQuery, likeContains, MAX_PAGE } from '../../../../runner/history/queries.js';
import { configDiff, flatten, pairStages } from '../../../../runner/history/compare.js';
import type { RunDetail } from '../../../../runner/history/store.js';
import { stageRow } from './helpers.js';

describe('buildListQuery', () => {
  it('binds every filter as a parameter', () => {
    const q = buildListQuery({ status: ['failed', ''], backend: ['xenna'], name: 'a_b', text: "it's", from: '2025-01-01', to: '2025-02-01T00:00:00+02:00' });
    expect(q.where).toBe(
      "WHERE status IN (?) AND backend IN (?) AND name LIKE ? ESCAPE '\\' AND (name LIKE ? ESCAPE '\\' OR error_message LIKE ? ESCAPE '\\' OR run_id LIKE ? ESCAPE '\\') AND coalesce(started_at, created_at) >= ? AND coalesce(started_at, created_at) <= ?",
    );
    expect(q.params).toEqual(['failed', 'xenna', '%a\\_b%', "%it's%", "%it's%", "it's%", '2025-01-01T00:00:00.000Z', '2025-01-31T22:00:00.000Z']);
  });

  it('defaults to the newest 50 and clamps the page', () => {
    expect(buildListQuery()).toMatchObject({ where: '', params: [], limit: 50, offset: 0 });
    expect(buildListQuery().orderBy).toMatch(/^coalesce\(started_at, created_at\) DESC NULLS LAST/);
    expect(buildListQuery({ limit: 10_000, offset: -3 })).toMatchObject({ limit: MAX_PAGE, offset: 0 });
    expect(buildListQuery({ sort: 'duration', order: 'asc' }).orderBy).toMatch(/^duration_s ASC NULLS LAST/);
  });

  it('refuses an unknown sort key', () => {
    expect(() => buildListQuery({ sort: 'size' as never })).toThrow(/unknown sort "size"/);
  });

  it('escapes LIKE wildcards', () => {
    expect(likeContains('50%_\\')).toBe('%50\\%\\_\\\\%');
  });
});

describe('comparing runs', () => {
  const run = (): RunDetail => ({ backend: 'xenna', config: {}, pipeline: { name: 'p', stages: [] }, stages: [] }) as unknown as RunDetail;

  it('flattens nested settings into paths', () => {
    expect([...flatten({ a: { b: [1, { c: 2 }], d: {} }, e: [] }, 'x')]).toEqual([
      ['x.a.b[0]', 1],
      ['x.a.b[1].c', 2],
      ['x.a.d', {}],
      ['x.e', []],
    ]);
  });

  it('diffs backend, config and pipeline, ignoring the pipeline\u2019s executor section', () => {
    const a = { ...run(), config: { mode: 'batch' }, pipeline: { name: 'p', stages: [{ stage: 'A' }], executor: { backend: 'xenna' } } } as unknown as RunDetail;
    const b = { ...run(), backend: 'ray_data', config: { mode: 'batch' }, pipeline: { name: 'q', stages: [{ stage: 'A' }], executor: { backend: 'ray_data' } } } as unknown as RunDetail;
    expect(configDiff(a, b)).toEqual([
      { key: 'backend', a: 'xenna', b: 'ray_data' },
      { key: 'pipeline.name', a: 'p', b: 'q' },
    ]);
    expect(configDiff(a, a)).toEqual([]);
  });

  it('pairs stages by name, keeping a\u2019s order and appending b\u2019s extras', () => {
    const rows = pairStages([stageRow('x', 1, 1), stageRow('y', 1, 1)], [stageRow('y', 2, 2), stageRow('z', 3, 3)]);
    expect(rows.map((r) => [r.name, r.a?.items_in ?? null, r.b?.items_in ?? null])).toEqual([
      ['x', 1, null],
      ['y', 1, 2],
      ['z', null, 3],
    ]);
  });
});
