import { describe, expect, it } from 'vitest';
import type { CuratorEvent } from '../../../../runner/service/contract.js';
import { applyEvents, initialLiveState } from '../../../../renderer/src/pages/live/live-state';
import { chartDataOf, fullerCharts } from '../../../../renderer/src/components/chart-data';

const RUN = 'r1';
const T0 = 1_700_000_000_000;

function sample(tMs: number, cpu: number): CuratorEvent {
  return { type: 'hardware_sample', run_id: RUN, t: T0 + tMs, sample: { t: T0 + tMs, cpu_pct: cpu, memory_used_bytes: 1e9, memory_total_bytes: 4e9, gpus: [] } };
}
const started = { type: 'run_started', run_id: RUN, t: T0, pipeline: 'p', backend: 'xenna', execution_mode: 'streaming', stages: [] } as unknown as CuratorEvent;

// The Live page polls the machine while a run is open, besides the run's own samples every 2 s.
describe('live charts of a short run', () => {
  it('keeps samples from the start to the end only, in time order', () => {
    const s = applyEvents(initialLiveState(RUN), [sample(-500, 5), started, sample(1000, 40), sample(2000, 60), sample(1500, 50)]);
    const d = chartDataOf(s.points);
    expect(d.cpu.x).toEqual([1, 1.5, 2]);
    expect(d.cpu.values).toEqual([40, 50, 60]);
    const ended = applyEvents(s, [{ type: 'run_finished', run_id: RUN, t: T0 + 2500, summary: { status: 'succeeded', duration_s: 2.5 } } as unknown as CuratorEvent, sample(3000, 70)]);
    expect(chartDataOf(ended.points).cpu.x).toEqual([1, 1.5, 2]);
  });

  it('shows the recorded series when the view saw less of the run than the history kept', () => {
    const live = chartDataOf([]);
    const recorded = chartDataOf([{ elapsed_s: 2, cpu_pct: 30, memory_used_bytes: 1 }]);
    expect(fullerCharts(live, recorded)).toBe(recorded);
    const watched = chartDataOf([1, 2, 3].map((t) => ({ elapsed_s: t, cpu_pct: 10, memory_used_bytes: 1 })));
    expect(fullerCharts(watched, recorded)).toBe(watched);
    expect(fullerCharts(watched, null)).toBe(watched);
  });

  it('leaves recorded points without a machine sample off the machine charts', () => {
    const d = chartDataOf([
      { elapsed_s: 0.5, stages: [{ name: 'reader', items_out: 0 }], cpu_pct: null, memory_used_bytes: null, gpus: [] },
      { elapsed_s: 1, stages: [{ name: 'reader', items_out: 10 }], cpu_pct: null, memory_used_bytes: null, gpus: [] },
    ]);
    expect(d.cpu.x).toEqual([]);
    expect(d.throughput.x).toEqual([1]);
  });
});
