import { describe, expect, it } from 'vitest';
import type { CuratorEvent } from '../../../../runner/service/contract.js';
import type { RunSummary } from '../../../../runner/engine/events.js';
import { RunEventHub } from '../../../../runner/service/event-hub.js';

const summary = (run_id: string): RunSummary => ({ run_id, status: 'succeeded', backend: 'xenna', execution_mode: 'streaming', duration_s: 1, output_tasks: 0, stages: [], warnings: [], error: null });
const status = (run_id: string, elapsed_s: number): CuratorEvent => ({ type: 'stage_status', run_id, t: elapsed_s, elapsed_s, stages: [], cpus: { total: 1, used: 1 }, gpus: { total: 0, used: 0 } });

describe('RunEventHub', () => {
  it('gives a late subscriber what it missed: start, latest status and end, in order', () => {
    const hub = new RunEventHub();
    hub.publish({ type: 'run_queued', run_id: 'r', t: 0, name: 'r', position: 1 });
    hub.publish({ type: 'run_started', run_id: 'r', t: 1, pipeline: 'p', backend: 'xenna', execution_mode: 'streaming', stages: [] });
    hub.publish(status('r', 1));
    hub.publish({ type: 'log', run_id: 'r', t: 2, level: 'info', source: 'engine', message: 'not replayed' });
    hub.publish(status('r', 2));
    hub.publish({ type: 'run_finished', run_id: 'r', t: 3, summary: summary('r') });
    const seen: CuratorEvent[] = [];
    hub.subscribe('r', (e) => seen.push(e));
    expect(seen.map((e) => (e.type === 'stage_status' ? `status ${e.elapsed_s}` : e.type))).toEqual(['run_started', 'status 2', 'run_finished']);
  });

  it('delivers live events to the run and to all-run subscribers, and survives a listener that throws', () => {
    const errors: unknown[] = [];
    const hub = new RunEventHub((e) => errors.push(e));
    const one: string[] = [];
    const all: string[] = [];
    hub.subscribe('a', () => {
      throw new Error('listener bug');
    });
    const off = hub.subscribe('a', (e) => one.push(e.run_id));
    hub.subscribe(null, (e) => all.push(e.run_id));
    hub.publish(status('a', 1));
    hub.publish(status('b', 1));
    off();
    hub.publish(status('a', 2));
    expect(one).toEqual(['a']);
    expect(all).toEqual(['a', 'b', 'a']);
    expect(errors).toHaveLength(2);
  });
});
