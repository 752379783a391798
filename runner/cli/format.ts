import type { RunSummary } from '../engine/events.js';

/** A plain table of rows of cells: numbers right-aligned (first column and text columns left-aligned). */
export function table(head: string[], rows: string[][], leftAligned: 'first' | 'all' = 'first'): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => i === 0 || leftAligned === 'all';
  const fmt = (cells: string[]) => cells.map((c, i) => (left(i) ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}

/** The end-of-run report: status, duration, the per-stage funnel, warnings and the error. */
export function formatSummary(s: RunSummary): string[] {
  const lines = [`run ${s.run_id} ${s.status} in ${s.duration_s.toFixed(2)} s (${s.backend}${s.execution_mode ? `, ${s.execution_mode}` : ''}); ${s.output_tasks} output task(s)`];
  lines.push(
    ...table(
      ['stage', 'tasks in', 'tasks out', 'items in', 'items out', 'dropped', 'failed', 'process s', 'workers max'],
      s.stages.map((r) => [r.name, r.tasks_in, r.tasks_out, r.items_in, r.items_out, r.returned_none, r.failed_batches, r.process_time_s.toFixed(2), r.workers_max].map(String)),
    ).map((l) => '  ' + l),
  );
  lines.push(...formatRemovals(s.stages));
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  if (s.error) lines.push(`error: ${s.error.stage ? `stage "${s.error.stage}"` : 'run'}${s.error.task_id ? `, task ${s.error.task_id}` : ''}: ${s.error.message}`);
  return lines;
}

/** Why documents were removed, stage by stage and reason by reason, and each stage's counters. */
export function formatRemovals(stages: RunSummary['stages']): string[] {
  const rows: string[][] = [];
  for (const st of stages) {
    for (const [reason, n] of Object.entries(st.removed?.reasons ?? {}).sort((a, b) => b[1] - a[1])) rows.push([st.name, reason, String(n)]);
  }
  const lines = rows.length ? ['removed documents:', ...table(['stage', 'reason', 'documents'], rows, 'all').map((l) => '  ' + l)] : [];
  for (const st of stages) {
    const c = Object.entries(st.counters ?? {});
    if (c.length) lines.push(`${st.name}: ${c.map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`).join(', ')}`);
  }
  return lines;
}
