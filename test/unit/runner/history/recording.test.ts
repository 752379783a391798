import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../../../runner/pipeline/pipeline-file.js';
import { startRecording } from '../../../../runner/history/recording.js';
import { HistoryStore, historyDbPath } from '../../../../runner/history/store.js';
import { ev, stageRow, summary, tempHome } from './helpers.js';

let tmp: ReturnType<typeof tempHome>;
beforeEach(() => (tmp = tempHome()));
afterEach(() => tmp.cleanup());

async function loaded() {
  const file = path.join(tmp.home, 'p.json');
  writeFileSync(file, JSON.stringify({ name: 'recorded', stages: [{ stage: 'SyntheticDocuments', params: { num_tasks: 2 } }, { stage: 'BusyStage', params: {} }] }));
  const l = await loadPipelineFile(file);
  return { loaded: l, stages: l.pipeline.build() };
}

describe('startRecording', () => {
  it('records the run before it starts, then its events, end, hardware and inputs', async () => {
    const { loaded: l, stages } = await loaded();
    const warnings: string[] = [];
    let snapshotAt = -1;
    let events = 0;
    const rec = await startRecording({
      runId: 'rec-1',
      loaded: l,
      stages,
      config: { logging_interval: 60, execution_mode: 'streaming' },
      source: 'app',
      home: tmp.home,
      warn: (m) => warnings.push(m),
      hardware: async () => {
        snapshotAt = events;
        return { cpus: 4, cpu_model: 'x', memory_total_bytes: 1, gpus: [], gpu_probe: { available: false, reason: 'none', driver_version: null, source: 'none' }, platform: 'linux-x64' };
      },
      inputs: async () => [{ path: '/in/a.jsonl', size: 3, mtime: '2025-01-01T00:00:00.000Z' }],
    });
    expect(rec?.path).toBe(historyDbPath(tmp.home));
    const peek = HistoryStore.open({ home: tmp.home, readonly: true });
    expect(peek.getRun('rec-1')).toMatchObject({ status: 'running', source: 'app', backend: 'xenna', hardware: null, inputs: [] });
    expect((peek.getRun('rec-1')?.pipeline as { executor: { backend: string } }).executor.backend).toBe('xenna');
    peek.close();

    rec?.record(ev.started('rec-1', [['synthetic_documents', 'SyntheticDocuments'], ['busy', 'BusyStage']]));
    events++;
    expect(snapshotAt).toBe(-1);
    rec?.record(ev.task('rec-1'));
    events++;
    expect(snapshotAt).toBe(1);
    rec?.finish(summary('rec-1', [stageRow('synthetic_documents', 0, 200), stageRow('busy', 200, 200)]));
    await rec?.close();

    const store = HistoryStore.open({ home: tmp.home });
    expect(store.getRun('rec-1')).toMatchObject({ status: 'succeeded', docs_in: 200, docs_out: 200, hardware: { cpus: 4 }, inputs: [{ path: '/in/a.jsonl', size: 3 }] });
    store.close();
    expect(warnings).toEqual([]);
  });

  it('lets the run go on unrecorded, with a warning naming the database, when the history cannot be used', async () => {
    writeFileSync(historyDbPath(tmp.home), 'not a database '.repeat(100));
    const { loaded: l, stages } = await loaded();
    const warnings: string[] = [];
    const rec = await startRecording({ runId: 'rec-2', loaded: l, stages, config: {}, source: 'cli', home: tmp.home, warn: (m) => warnings.push(m) });
    expect(rec).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('this run is not recorded in history');
    expect(warnings[0]).toContain(historyDbPath(tmp.home));
  });
});
