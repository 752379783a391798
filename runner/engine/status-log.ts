import type { StageStatus } from './events.js';
import type { AllocatorUsage } from '../hardware/allocator.js';

/**
 * The periodic status log, in the shape of Xenna's stage-state table: per stage the workers
 * (pending / ready / busy / idle), tasks (completed, returned none), queues (in / out), slots
 * (used / empty) and tasks per worker per second, then CPU and GPU totals.
 */
export function formatStatusTable(elapsedS: number, rows: StageStatus[], usage: AllocatorUsage): string {
  const head = ['Stage', 'Pending', 'Ready', 'Busy', 'Idle', 'Completed', 'Ret.None', 'Failed', 'Queue in', 'Queue out', 'Slots used', 'Slots empty', 'Tasks/worker/s'];
  const body = rows.map((r) => [
    r.name + (r.done ? ' (done)' : ''),
    r.workers.pending,
    r.workers.ready,
    r.workers.busy,
    r.workers.idle,
    r.tasks.completed,
    r.tasks.returned_none,
    r.tasks.failed,
    r.queue.input,
    r.queue.output,
    r.slots.used,
    r.slots.empty,
    r.tasks_per_worker_s === null ? '-' : r.tasks_per_worker_s.toFixed(2),
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const gpuUsed = usage.devices.reduce((n, d) => n + d.used_fraction, 0);
  return [
    `Pipeline status at ${elapsedS.toFixed(1)} s`,
    line(head),
    ...body.map(line),
    `CPUs: ${round2(usage.cpus_used)} of ${round2(usage.cpus_total)} allocated; GPUs: ${round2(gpuUsed)} of ${usage.devices.length} allocated`,
  ].join('\n');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
