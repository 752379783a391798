import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CuratorEvent } from '../../../../runner/service/contract.js';
import { createCuratorService, type CuratorService } from '../../../../runner/service/service.js';
import { applyEvents, funnelRows, initialLiveState, liveReducer, MAX_LOG_LINES, progressOf, stageRates, stageRows, withEarlierLogs } from '../../../../renderer/src/pages/live/live-state';
import { chartDataOf } from '../../../../renderer/src/components/chart-data';
import { MemoryHistory } from '../../runner/service/memory-history.js';
import { builtWorkers, ROOT, tempDir } from '../../runner/service/helpers.js';

// The reducer is fed the events of a real run: the bundled sample read, exact duplicates dropped,
// a stage that waits long enough for the run to take hardware samples, and a writer.
describe('live run state over a real run’s events', () => {
  let service: CuratorService;
  let cleanup: () => Promise<void>;
  const events: CuratorEvent[] = [];
  let runId = '';

  beforeAll(async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    service = createCuratorService({ history: new MemoryHistory(), launcher: builtWorkers(), log: () => undefined });
    const pipeline = {
      name: 'live-state',
      stages: [
        { stage: 'JsonlReader', params: { file_paths: path.join(ROOT, 'resources/sample') } },
        { stage: 'ExactDuplicates', params: { id_field: 'id' } },
        { stage: 'BusyStage', name: 'wait', params: { sleep_ms_per_task: 900 } },
        { stage: 'JsonlWriter', params: { path: path.join(tmp.dir, 'out'), mode: 'overwrite' } },
      ],
      executor: { backend: 'xenna', config: { logging_interval: 1 } },
    };
    const started = await service.startRun({ pipeline });
    runId = started.run_id;
    await new Promise<void>((resolve) =>
      service.subscribe(runId, (e) => {
        events.push(e);
        if (e.type === 'run_finished') resolve();
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await cleanup?.();
  });

  it('goes queued → running → succeeded, with the plan, backend and start time', () => {
    let s = initialLiveState(runId);
    const seen: string[] = [];
    for (const e of events) {
      s = liveReducer(s, e);
      if (seen.at(-1) !== s.status) seen.push(s.status);
    }
    // The replay starts with the queued event, or the started one when the run was quicker than the subscription.
    expect(seen.filter((x) => x !== 'queued')).toEqual(['running', 'succeeded']);
    expect(['queued', 'running']).toContain(seen[0]);
    expect(s.backend).toBe('xenna');
    expect(s.name).toBe('live-state');
    expect(s.plan.map((p) => p.name)).toContain('wait');
    expect(s.startedAt).toBe((events.find((e) => e.type === 'run_started') as { t: number }).t);
    expect(s.summary?.status).toBe('succeeded');
    expect(s.elapsedS).toBe(s.summary?.duration_s);
    expect(progressOf(s)).toEqual({ done: s.stages.length, total: s.stages.length, fraction: 1 });
  });

  it('reports progress by stages done while running', () => {
    const statuses = events.filter((e) => e.type === 'stage_status');
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    const upToFirst = events.slice(0, events.indexOf(statuses[0] as CuratorEvent) + 1);
    const early = applyEvents(initialLiveState(runId), upToFirst);
    const p = progressOf(early);
    expect(p.total).toBe(early.stages.length);
    expect(p.fraction).toBeLessThan(1);
    expect(stageRows(early).map((r) => r.name)).toEqual(early.stages.map((st) => st.name));
  });

  it('builds the funnel from the summary at the end, with the duplicates removed by reason', () => {
    const s = applyEvents(initialLiveState(runId), events);
    const funnel = funnelRows(s);
    const dedup = funnel.find((r) => r.name === 'exact_duplicates_remove');
    const reader = funnel.find((r) => r.name === 'jsonl_reader');
    expect(reader?.items_out).toBe(138);
    expect(dedup?.items_in).toBe(138);
    expect(dedup?.removed?.exact_duplicate).toBe(138 - (dedup?.items_out ?? 0));
    expect(dedup?.removed?.exact_duplicate).toBeGreaterThan(0);
    expect(funnel.find((r) => r.name === 'jsonl_writer')?.items_in).toBe(dedup?.items_out);
  });

  it('measures throughput per stage from the status events and charts machine use from hardware samples', () => {
    const s = applyEvents(initialLiveState(runId), events);
    const charts = chartDataOf(s.points);
    expect(charts.throughput.series.map((x) => x.label)).toEqual(s.stages.map((st) => st.name));
    expect(charts.throughput.x.length).toBe(s.points.filter((p) => p.stages).length - 1);
    // Every document the reader emitted shows up as throughput: rate × interval sums to its count.
    const reader = charts.throughput.series.find((x) => x.label === 'jsonl_reader');
    const statusPoints = s.points.filter((p) => p.stages);
    const readAt = (i: number) => statusPoints[i]?.stages?.find((st) => st.name === 'jsonl_reader')?.items_out ?? 0;
    const summed = (reader?.values ?? []).reduce<number>((n, v, i) => n + (v ?? 0) * ((statusPoints[i + 1]?.elapsed_s ?? 0) - (statusPoints[i]?.elapsed_s ?? 0)), 0);
    expect(Math.round(summed + readAt(0))).toBe(138);
    expect(readAt(statusPoints.length - 1)).toBe(138);
    // Once the run has ended, a stage's rate is its average over the run, not the idle last interval.
    const summary = s.summary;
    expect(summary).not.toBeNull();
    for (const st of summary?.stages ?? []) expect(stageRates(s).get(st.name)).toBeCloseTo(st.items_out / (summary?.duration_s ?? 1), 6);
    const running = applyEvents(initialLiveState(runId), events.filter((e) => e.type !== 'run_finished'));
    for (const [, rate] of stageRates(running)) expect(rate === null || rate >= 0).toBe(true);

    const samples = events.filter((e) => e.type === 'hardware_sample');
    expect(samples.length).toBeGreaterThan(0);
    expect(charts.cpu.x.length).toBe(samples.length);
    expect(charts.cpu.values.every((v) => v !== null && v >= 0 && v <= 100)).toBe(true);
    expect(charts.memory.values.every((v) => v !== null && v > 0)).toBe(true);
    expect(s.memoryTotalBytes).toBeGreaterThan(0);
  });

  it('keeps the log, bounded, and ignores other runs’ events', () => {
    const s = applyEvents(initialLiveState(runId), events);
    expect(s.logs.length).toBe(events.filter((e) => e.type === 'log').length);
    const other = events.map((e) => ({ ...e, run_id: 'someone-else' })) as CuratorEvent[];
    expect(applyEvents(s, other)).toBe(s);
    const log = events.find((e) => e.type === 'log') as CuratorEvent;
    let many = s;
    for (let i = 0; i < MAX_LOG_LINES + 10; i++) many = liveReducer(many, log);
    expect(many.logs.length).toBe(MAX_LOG_LINES);
    expect(many.logsDropped).toBe(s.logs.length + 10);
  });

  it('puts the log recorded before the view opened in front of the live lines, without repeats', () => {
    const logs = events.filter((e): e is Extract<CuratorEvent, { type: 'log' }> => e.type === 'log');
    expect(logs.length).toBeGreaterThan(3);
    const half = Math.floor(logs.length / 2);
    const opened = (logs[half] as { t: number }).t;
    // The view subscribed at `opened`: it saw every event from then on; the history recorded every line (ISO times).
    const live = applyEvents(initialLiveState(runId), events.filter((e) => e.type !== 'log' || e.t >= opened));
    const recorded = logs.map((l) => ({ t: new Date(l.t).toISOString(), level: l.level, source: l.source, message: l.message }));
    const merged = withEarlierLogs(live, recorded, opened);
    expect(merged.logs.map((l) => l.message)).toEqual(logs.map((l) => l.message));
    expect(withEarlierLogs(merged, recorded, opened)).toBe(merged);
  });

  it('shows a finished run at once when the replay is only its end', () => {
    const end = events.filter((e) => e.type === 'run_started' || e.type === 'run_finished');
    const s = applyEvents(initialLiveState(runId), end);
    expect(s.status).toBe('succeeded');
    expect(funnelRows(s).length).toBe(s.summary?.stages.length);
  });
});
