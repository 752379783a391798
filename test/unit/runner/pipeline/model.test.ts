import { describe, it, expect } from 'vitest';
import { Resources } from '../../../../runner/pipeline/resources.js';
import { ProcessingStage, CompositeStage } from '../../../../runner/pipeline/stage.js';
import { Pipeline } from '../../../../runner/pipeline/pipeline.js';
import { DocumentBatch, FileGroupTask, EmptyTask, fromWire } from '../../../../runner/pipeline/tasks.js';
import { assignTaskIds, rootTaskIds } from '../../../../runner/pipeline/task-ids.js';
import { ValidationError } from '../../../../runner/pipeline/errors.js';

class Pass extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'Pass';
  process(t: DocumentBatch) {
    return t;
  }
}
class Batchy extends Pass {
  override async process_batch(tasks: DocumentBatch[]) {
    return tasks;
  }
}
class Pair extends CompositeStage {
  readonly type = 'Pair';
  decompose() {
    return [new Pass({}, 'first'), new Pass({}, 'second')];
  }
}

describe('Resources', () => {
  it('defaults to one CPU and no GPU', () => {
    const r = new Resources();
    expect(r.toJSON()).toEqual({ cpus: 1, gpus: 0, gpu_memory_gb: 0 });
    expect(r.requiresGpu).toBe(false);
  });
  it('refuses both GPU fields at once, negative values and fractional multi-GPU requests', () => {
    expect(() => new Resources({ gpus: 1, gpu_memory_gb: 10 })).toThrow(/either gpus or gpu_memory_gb/);
    expect(() => new Resources({ cpus: -1 })).toThrow(ValidationError);
    expect(() => new Resources({ gpus: 1.5 })).toThrow(/whole number/);
    expect(new Resources({ gpu_memory_gb: 20 }).requiresGpu).toBe(true);
    expect(new Resources({ gpus: 0.5 }).describe()).toBe('1 CPU, 0.5 GPU');
  });
});

describe('task ids (NeMo Curator path rule)', () => {
  it('1 → N uses the position, and a source uses the content id', () => {
    expect(assignTaskIds(['0'], [{ contentId: null }, { contentId: null }], false)).toEqual(['0_0', '0_1']);
    expect(assignTaskIds(['0'], [{ contentId: 'abcdef012345' }], true)).toEqual(['0_abcdef012345']);
    expect(assignTaskIds(['0'], [{ contentId: 'abcdef012345' }], false)).toEqual(['0_0']);
  });
  it('M → M maps by position with suffix 0, dropped outputs keep their positions', () => {
    expect(assignTaskIds(['0_0', '0_1', '0_2'], [{ contentId: null }, null, { contentId: null }], false)).toEqual(['0_0_0', null, '0_2_0']);
  });
  it('any other shape gets random "r" ids without underscores', () => {
    const ids = assignTaskIds(['a', 'b'], [{ contentId: null }, { contentId: null }, { contentId: null }], false);
    for (const id of ids) expect(id).toMatch(/^r[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(3);
  });
  it('root ids are 0_0, 0_1, ...', () => {
    expect(rootTaskIds(3)).toEqual(['0_0', '0_1', '0_2']);
    expect(new EmptyTask().task_id).toBe('0');
  });
});

describe('tasks', () => {
  it('FileGroupTask content id is the first 12 hex of sha256 of the sorted paths joined by |', () => {
    const a = new FileGroupTask({ data: ['/b', '/a'] });
    const b = new FileGroupTask({ data: ['/a', '/b'] });
    expect(a.getDeterministicId()).toBe(b.getDeterministicId());
    // sha256("/a|/b|")
    expect(a.getDeterministicId()).toBe('39606fddb3c1'); // sha256("/a|/b|")
    expect(a.num_items).toBe(2);
  });
  it('round-trips through the wire form', () => {
    const t = new DocumentBatch({ dataset_name: 'd', data: [{ id: 1, text: 'x' }, { id: 2, extra: true }], _metadata: { k: 1 } });
    t.task_id = '0_1';
    const back = fromWire(structuredClone(t.toWire()));
    expect(back).toBeInstanceOf(DocumentBatch);
    expect(back.task_id).toBe('0_1');
    expect((back as DocumentBatch).getColumns()).toEqual(['id', 'text', 'extra']);
    expect(back.num_items).toBe(2);
  });
});

describe('ProcessingStage', () => {
  it('with_() returns a modified copy and leaves the original alone', () => {
    const s = new Pass({ a: 1 }, 'orig');
    const c = s.with_({ name: 'copy', batch_size: 8, resources: { cpus: 2 }, num_workers: 3, ray_stage_spec: { min_workers: 2 } });
    expect([c.name, c.batch_size, c.resources.cpus, c.num_workers(), c.ray_stage_spec]).toEqual(['copy', 8, 2, 3, { min_workers: 2 }]);
    expect([s.name, s.batch_size, s.resources.cpus, s.num_workers()]).toEqual(['orig', 1, 1, null]);
    expect(c).toBeInstanceOf(Pass);
    expect(() => s.with_({ batch_size: 0 })).toThrow(/batch_size/);
    expect(() => s.with_({ xenna_stage_spec: { num_workers: 2 } })).toThrow(/num_workers/);
  });
  it('knows whether process_batch and setup are overridden', () => {
    expect(new Pass().supportsBatchProcessing()).toBe(false);
    expect(new Batchy().supportsBatchProcessing()).toBe(true);
    expect(new Pass().overridesSetup()).toBe(false);
  });
  it('the default process_batch flattens lists and keeps nulls', async () => {
    class Fan extends ProcessingStage<DocumentBatch, DocumentBatch> {
      readonly type = 'Fan';
      process(t: DocumentBatch) {
        return t.data.length ? t.data.map((r) => new DocumentBatch({ data: [r] })) : null;
      }
    }
    const out = await new Fan().process_batch([new DocumentBatch({ data: [{ a: 1 }, { a: 2 }] }), new DocumentBatch({ data: [] })]);
    expect(out.map((t) => (t ? t.num_items : null))).toEqual([1, 1, null]);
  });
});

describe('Pipeline', () => {
  it('build() decomposes composites, records the decomposition and assigns source and sink', () => {
    const p = new Pipeline('p').add_stage(new Pair({}, 'pair')).add_stage(new Pass({}, 'last'));
    const stages = p.build();
    expect(stages.map((s) => s.name)).toEqual(['first', 'second', 'last']);
    expect(p.decomposition_info).toEqual({ pair: ['first', 'second'] });
    expect(stages[0]?.is_source_stage).toBe(true);
    expect(stages[2]?.is_sink_stage).toBe(true);
    expect(stages[1]?.is_source_stage || stages[1]?.is_sink_stage).toBe(false);
  });
  it('composite with_() applies per sub-stage and rejects unknown names', () => {
    const subs = new Pair({}, 'pair').with_({ second: { batch_size: 5 } }).decompose_and_apply_with();
    expect(subs.map((s) => s.batch_size)).toEqual([1, 5]);
    expect(() => new Pair({}, 'pair').with_({ third: { batch_size: 5 } }).decompose_and_apply_with()).toThrow(/no sub-stage named "third"/);
  });
  it('refuses an empty pipeline, two sources, and non-stages', () => {
    expect(() => new Pipeline('empty').build()).toThrow(/no stages/);
    const a = new Pass({}, 'a');
    const b = new Pass({}, 'b');
    a.is_source_stage = b.is_source_stage = true;
    expect(() => new Pipeline('two', null, [a, b]).build()).toThrow(/more than one stage is marked as the source/);
    expect(() => new Pipeline('x').add_stage({} as never)).toThrow(TypeError);
  });
  it('describe() follows NeMo Curator\u2019s shape', () => {
    const p = new Pipeline('demo', null, [new Pass({}, 'only').with_({ resources: { cpus: 2, gpus: 0.5 }, batch_size: 4 })]);
    p.build();
    const text = p.describe();
    expect(text).toContain('Pipeline: demo');
    expect(text).toContain('Description: No description provided');
    expect(text).toContain('Stages: 1');
    expect(text).toContain('Stage 0: only');
    expect(text).toContain('  Resources: 2 CPUs');
    expect(text).toContain('GPU Memory: 0 GB (0.5 GPUs)');
    expect(text).toContain('  Batch size: 4');
  });
});
