import { describe, expect, it } from 'vitest';
import { type z } from 'zod';
import { listStages, getStage } from '../../../../runner/stages/registry.js';
import { CompositeStage, type ProcessingStage } from '../../../../runner/pipeline/stage.js';
import * as catalog from '../../../../runner/stages/index.js';
import { build } from './helpers.js';

const minimal: Record<string, Record<string, unknown>> = {
  FilePartitioningStage: { file_paths: 'data' },
  JsonlReaderStage: {},
  JsonlReader: { file_paths: ['a.jsonl', 'b.jsonl'] },
  JsonlWriter: { path: 'out' },
  SyntheticDocuments: {},
  BusyStage: {},
};

describe('built-in stage catalog', () => {
  it('importing the index registers every built-in type and re-exports the classes', () => {
    expect(listStages(true).map((d) => d.type)).toEqual(expect.arrayContaining(Object.keys(minimal)));
    expect(listStages().map((d) => d.type)).not.toContain('JsonlReaderStage');
    for (const name of ['FilePartitioningStage', 'JsonlReader', 'JsonlReaderStage', 'JsonlWriter', 'SyntheticDocuments', 'BusyStage']) {
      expect(typeof (catalog as Record<string, unknown>)[name]).toBe('function');
    }
    expect(getStage('JsonlReader').category).toBe('io');
    expect(getStage('JsonlWriter').category).toBe('io');
  });

  it('describes every parameter and rejects unknown ones', () => {
    for (const type of Object.keys(minimal)) {
      const schema = getStage(type).params;
      for (const [key, field] of Object.entries(schema.shape)) {
        expect((field as z.ZodType).description, `${type}.${key}`).toBeTruthy();
      }
      expect(schema.safeParse({ ...minimal[type], not_a_param: 1 }).success, type).toBe(false);
    }
  });

  it('a stage is re-created from its spec with the same type, params and class, as a worker does', () => {
    for (const [type, raw] of Object.entries(minimal)) {
      const built = build(type, raw, '/pipelines/here');
      const stages = built instanceof CompositeStage ? built.decompose() : [built as ProcessingStage];
      for (const stage of stages) {
        const spec = stage.toSpec();
        const def = getStage(spec.type);
        const again = def.create(def.params.parse(structuredClone(spec.params)), { resolvePath: (p) => p });
        expect(again.constructor).toBe(stage.constructor);
        expect(again.params).toEqual(stage.params);
        expect(JSON.stringify(again.params)).not.toContain('undefined');
      }
    }
  });

  it('resolves paths against the pipeline file so that stages store absolute paths', () => {
    expect(build('JsonlWriter', { path: 'out' }, '/pipelines/here').params['path']).toBe('/pipelines/here/out');
    expect(build('JsonlReader', { file_paths: ['a.jsonl', '/abs/b.jsonl'] }, '/pipelines/here').params['file_paths']).toEqual(['/pipelines/here/a.jsonl', '/abs/b.jsonl']);
  });
});
