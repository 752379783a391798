import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { EmptyTask, type DocumentBatch } from '../../../../../runner/pipeline/tasks.js';
import { type SyntheticDocuments } from '../../../../../runner/stages/diagnostic/synthetic.js';
import { getStage } from '../../../../../runner/stages/registry.js';
import { buildProcessing, makeTempDir } from '../helpers.js';

function generate(raw: Record<string, unknown> = {}): DocumentBatch[] {
  const { stage } = buildProcessing<SyntheticDocuments>('SyntheticDocuments', raw, '/');
  return stage.process(new EmptyTask());
}

function digest(batches: DocumentBatch[]): string {
  return createHash('sha256').update(JSON.stringify(batches.map((b) => b.data))).digest('hex');
}

describe('SyntheticDocuments', () => {
  it('is registered as a diagnostic stage with the documented defaults', () => {
    const def = getStage('SyntheticDocuments');
    expect(def.category).toBe('diagnostic');
    expect(def.params.parse({})).toEqual({ num_tasks: 4, docs_per_task: 100, chars_per_doc: 500, seed: 42 });
  });

  it('fans out num_tasks batches of docs_per_task records with ids seed-task-doc', () => {
    const batches = generate({ num_tasks: 3, docs_per_task: 5, seed: 7 });
    expect(batches).toHaveLength(3);
    expect(batches.map((b) => b.num_items)).toEqual([5, 5, 5]);
    expect(batches[2]?.data.map((r) => r['id'])).toEqual(['7-2-0', '7-2-1', '7-2-2', '7-2-3', '7-2-4']);
    expect(Object.keys(batches[0]?.data[0] ?? {})).toEqual(['id', 'text']);
  });

  it('makes texts of about chars_per_doc characters, sentences ending in "." and some line breaks', () => {
    for (const chars of [40, 500, 3000]) {
      const texts = generate({ num_tasks: 2, docs_per_task: 20, chars_per_doc: chars }).flatMap((b) => b.data.map((r) => r['text'] as string));
      for (const t of texts) {
        expect(Math.abs(t.length - chars)).toBeLessThanOrEqual(20);
        expect(t.endsWith('.')).toBe(true);
        expect(t).toMatch(/^[A-Z][a-z]/);
      }
      if (chars >= 500) expect(texts.filter((t) => t.includes('\n')).length).toBeGreaterThan(texts.length / 2);
    }
  });

  it('is identical across runs for the same params, and differs with the seed', () => {
    const a = generate({ num_tasks: 2, docs_per_task: 10 });
    const b = generate({ num_tasks: 2, docs_per_task: 10 });
    expect(digest(a)).toBe(digest(b));
    expect(digest(generate({ num_tasks: 2, docs_per_task: 10, seed: 43 }))).not.toBe(digest(a));
    // Batches are independent: task 1 is the same whether or not task 0 was drawn first.
    expect(generate({ num_tasks: 2, docs_per_task: 10 })[1]?.data.map((r) => r['text'])).toEqual(
      generate({ num_tasks: 5, docs_per_task: 10 })[1]?.data.map((r) => r['text']),
    );
    // Different batches get different texts.
    expect(a[0]?.data[0]?.['text']).not.toBe(a[1]?.data[0]?.['text']);
  });

  it('is byte-identical in another process', async () => {
    const here = digest(generate({ num_tasks: 2, docs_per_task: 10, chars_per_doc: 300, seed: 5 }));
    // Bundle a tiny entry with esbuild so that a plain node child process runs the same stage code.
    const entry = `
      import { SyntheticDocuments } from './synthetic.js';
      import { EmptyTask } from '../../pipeline/tasks.js';
      import { createHash } from 'node:crypto';
      const out = new SyntheticDocuments({ num_tasks: 2, docs_per_task: 10, chars_per_doc: 300, seed: 5 }).process(new EmptyTask());
      process.stdout.write(createHash('sha256').update(JSON.stringify(out.map((b) => b.data))).digest('hex'));
    `;
    const stageDir = fileURLToPath(new URL('../../../../../runner/stages/diagnostic/', import.meta.url));
    const { dir, cleanup } = await makeTempDir('curator-synthetic-');
    try {
      const file = join(dir, 'child.mjs');
      await build({ stdin: { contents: entry, resolveDir: stageDir, loader: 'ts', sourcefile: 'child.ts' }, bundle: true, platform: 'node', format: 'esm', outfile: file, logLevel: 'silent' });
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
      expect(r.stdout).toBe(here);
    } finally {
      await cleanup();
    }
  });
});
