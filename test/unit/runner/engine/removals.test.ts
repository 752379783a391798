import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addRemoval, emptyReport, mergeReports, sampleOf, SAMPLE_TEXT_CHARS, writeRemovedFile } from '../../../../runner/engine/removals.js';
import { StageAdapter } from '../../../../runner/engine/stage-adapter.js';
import { ProcessingStage } from '../../../../runner/pipeline/stage.js';
import { DocumentBatch } from '../../../../runner/pipeline/tasks.js';

/** Drops documents whose text has fewer than 2 words, recording why, and counts empty ones. */
class ShortDropper extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'ShortDropper';
  process(t: DocumentBatch): DocumentBatch {
    const kept = t.data.filter((d) => {
      const n = String(d['text']).split(/\s+/).filter(Boolean).length;
      if (n === 0) this.addCount('empty_documents');
      if (n < 2) this.recordRemoved(d, 'TooShort', { words: n });
      return n >= 2;
    });
    return new DocumentBatch({ task_id: t.task_id, dataset_name: t.dataset_name, data: kept });
  }
}

describe('removal reports', () => {
  it('count every removal and keep a bounded sample per reason', () => {
    const r = emptyReport();
    for (let i = 0; i < 25; i++) addRemoval(r, { reason: i % 5 === 0 ? 'B' : 'A', doc: { i } }, 3);
    expect(r.reasons).toEqual({ A: 20, B: 5 });
    expect(r.samples.filter((s) => s.reason === 'A').map((s) => s.doc['i'])).toEqual([1, 2, 3]);
    const other = emptyReport();
    for (let i = 0; i < 4; i++) addRemoval(other, { reason: 'B', doc: { j: i } }, 3);
    mergeReports(r, other, 3);
    expect(r.reasons['B']).toBe(9);
    expect(r.samples.filter((s) => s.reason === 'B')).toHaveLength(3);
  });
  it('cut long strings in samples and say how much was cut', () => {
    const s = sampleOf({ text: 'x'.repeat(SAMPLE_TEXT_CHARS + 50), n: 1 });
    expect(String(s['text'])).toMatch(/… \[50 more characters\]$/);
    expect(s['n']).toBe(1);
  });
  it('write removed documents with their reason, under the final name only once complete', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curator-removed-'));
    try {
      const file = await writeRemovedFile(path.join(dir, 'r'), 'my stage', 't/1', [{ reason: 'R', doc: { id: 1 }, detail: { score: 0.5 } }]);
      expect(path.basename(file as string)).toBe('my_stage-t_1.jsonl');
      expect(readdirSync(path.join(dir, 'r'))).toEqual(['my_stage-t_1.jsonl']);
      expect(JSON.parse(readFileSync(file as string, 'utf8'))).toEqual({ id: 1, _curator_removed: { stage: 'my stage', reason: 'R', score: 0.5 } });
      expect(await writeRemovedFile(dir, 's', 't', [])).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('StageAdapter', () => {
  it('puts a batch\'s removals and counters in its step and writes them to removed_path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'curator-removed-'));
    try {
      const stage = new ShortDropper({}, 'short');
      stage.removed_path = dir;
      const adapter = new StageAdapter(stage);
      stage.runtime = adapter.runtimeFor(() => undefined);
      const batch = new DocumentBatch({ task_id: 'task-1', dataset_name: 'd', data: [{ text: 'one' }, { text: 'two words' }, { text: '' }] });
      const { tasks, step } = await adapter.processBatch([batch.toWire()]);
      expect(tasks[0]?.data).toEqual([{ text: 'two words' }]);
      expect(step.removed?.reasons).toEqual({ TooShort: 2 });
      expect(step.removed?.samples.map((s) => s.detail)).toEqual([{ words: 1 }, { words: 0 }]);
      expect(step.counters).toEqual({ empty_documents: 1 });
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(readFileSync(path.join(dir, files[0] as string), 'utf8').trim().split('\n')).toHaveLength(2);
      // The next batch starts from nothing.
      const next = await adapter.processBatch([new DocumentBatch({ task_id: 'task-2', dataset_name: 'd', data: [{ text: 'a b' }] }).toWire()]);
      expect(next.step.removed).toBeUndefined();
      expect(next.step.counters).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
