import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../../../runner/pipeline/pipeline-file.js';
import { inputManifest, pipelineAsRun } from '../../../../runner/history/inputs.js';
import { tempHome } from './helpers.js';

let tmp: ReturnType<typeof tempHome>;
beforeEach(() => (tmp = tempHome()));
afterEach(() => tmp.cleanup());

describe('input manifest and the pipeline as run', () => {
  it('lists the files of every file_paths with size and mtime, and records paths as absolute', async () => {
    const dir = tmp.home;
    mkdirSync(path.join(dir, 'in', 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'in', 'b.jsonl'), '{"id":"1"}\n');
    writeFileSync(path.join(dir, 'in', 'sub', 'a.jsonl'), '{"id":"2"}\n{"id":"3"}\n');
    writeFileSync(path.join(dir, 'in', 'notes.txt'), 'ignored: not a .jsonl file');
    const file = path.join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'manifest',
        stages: [
          { stage: 'JsonlReader', params: { file_paths: './in' } },
          { stage: 'JsonlWriter', params: { path: 'out' } },
        ],
        executor: { backend: 'xenna', config: { logging_interval: 5 } },
      }),
    );
    const loaded = await loadPipelineFile(file, { config: { execution_mode: 'batch' } });
    const inputs = await inputManifest(loaded.pipeline.build());
    expect(inputs.map((f) => [path.relative(dir, f.path), f.size])).toEqual([
      [path.join('in', 'b.jsonl'), 11],
      [path.join('in', 'sub', 'a.jsonl'), 22],
    ]);
    expect(Number.isNaN(Date.parse(inputs[0]?.mtime ?? ''))).toBe(false);

    const asRun = pipelineAsRun(loaded) as { stages: Array<{ params: Record<string, unknown> }>; executor: { backend: string; config: Record<string, unknown> } };
    expect(asRun.stages[0]?.params.file_paths).toBe(path.join(dir, 'in'));
    expect(asRun.stages[1]?.params.path).toBe(path.join(dir, 'out'));
    expect(asRun.executor.backend).toBe('xenna');
    expect(asRun.executor.config).toMatchObject({ logging_interval: 5, execution_mode: 'batch' });
    expect(loaded.data.stages[0]?.params.file_paths).toBe('./in');
  });
});
