/**
 * `curator history | show | compare | delete | prune`: the run history from the command line.
 * Each prints a human table, or with `--json` one JSON document as the last line of standard output.
 * Opening the history marks runs whose process died as interrupted, as every host does at start.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { HistoryStore, RunDetail, RunListItem, RunListQuery, StageRow } from '../history/store.js';
import { RUN_STATUSES } from '../history/types.js';
import { EXIT } from './exit-codes.js';
import { table } from './format.js';

/** Where `curator` writes: stdout for results, stderr for problems. */
const out = (l: string) => process.stdout.write(l + '\n');
const err = (l: string) => process.stderr.write(l + '\n');

/** Opens the history, or reports why not (naming the database) and returns null. */
async function openHistory(json: boolean): Promise<HistoryStore | null> {
  try {
    const { HistoryStore: Store } = await import('../history/store.js');
    return Store.open();
  } catch (e: unknown) {
    fail(`cannot read the run history: ${e instanceof Error ? e.message : String(e)}`, json);
    return null;
  }
}

/** Reports a problem on stderr (and as JSON on stdout when asked) and sets exit status 1. */
function fail(message: string, json: boolean, code: number = EXIT.failed): void {
  err(`error: ${message}`);
  if (json) out(JSON.stringify({ error: message }));
  process.exitCode = code;
}

/** Runs a command body with the history open, closing it afterwards; history errors are reported. */
async function withHistory(json: boolean, body: (h: HistoryStore) => void): Promise<void> {
  const h = await openHistory(json);
  if (!h) return;
  try {
    body(h);
  } catch (e: unknown) {
    if (e instanceof Error && e.name === 'HistoryError') fail(e.message, json);
    else throw e;
  } finally {
    h.close();
  }
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

const AGE_UNITS: Record<string, number> = { m: 1 / 1440, h: 1 / 24, d: 1, w: 7 };

/** `30d`, `12h`, `2w`, `90m` or a plain number of days, in days. */
export function parseAge(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([mhdw]?)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected an age such as 30d, 12h, 2w or 90m');
  return Number(m[1]) * (AGE_UNITS[m[2] || 'd'] as number);
}

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function statusList(v: string, prev: string[] = []): string[] {
  const all = list(v, prev);
  const bad = all.filter((s) => !(RUN_STATUSES as readonly string[]).includes(s));
  if (bad.length) throw new InvalidArgumentError(`unknown status ${bad.map((b) => `"${b}"`).join(', ')}; use ${RUN_STATUSES.join(', ')}`);
  return all;
}

/** Local date and time to the second: `2025-01-31 14:03:09`. */
export function formatTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `0.42 s`, `12.3 s`, `4m 05s`, `2h 03m`. */
export function formatDuration(s: number | null): string {
  if (s === null) return '-';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

const short = (id: string) => id.slice(0, 8);
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '\u2026' : s);
const count = (n: number | null) => (n === null ? '-' : String(n));

function listTable(runs: RunListItem[]): string[] {
  return table(
    ['run', 'name', 'status', 'backend', 'started', 'duration', 'docs in', 'docs out', 'error'],
    runs.map((r) => [short(r.run_id), clip(r.name, 28), r.status, r.backend, formatTime(r.started_at ?? r.created_at), formatDuration(r.duration_s), count(r.docs_in), count(r.docs_out), clip((r.error_message ?? '').split('\n')[0] ?? '', 60)]),
    'all',
  );
}

function funnelTable(stages: StageRow[]): string[] {
  return table(
    ['stage', 'tasks in', 'tasks out', 'items in', 'items out', 'dropped', 'failed', 'process s', 'workers max'],
    stages.map((r) => [r.name, r.tasks_in, r.tasks_out, r.items_in, r.items_out, r.returned_none, r.failed_batches, r.process_time_s.toFixed(2), r.workers_max].map(String)),
  );
}

function showLines(r: RunDetail): string[] {
  const lines = [
    `run ${r.run_id}: ${r.name}`,
    `  status    ${r.status}${r.error ? ` \u2014 ${r.error.stage ? `stage "${r.error.stage}"` : 'run'}${r.error.task_id ? `, task ${r.error.task_id}` : ''}: ${r.error.message.split('\n')[0]}` : ''}`,
    `  backend   ${r.backend}${r.execution_mode ? ` (${r.execution_mode})` : ''}, started from ${r.source}`,
    `  started   ${formatTime(r.started_at)}   ended ${formatTime(r.ended_at)}   duration ${formatDuration(r.duration_s)}`,
    `  documents ${count(r.docs_in)} in, ${count(r.docs_out)} out`,
  ];
  const hw = r.hardware as { cpus?: number; cpu_model?: string; memory_total_bytes?: number; gpus?: Array<{ name: string }>; gpu_probe?: { driver_version?: string | null } } | null;
  if (hw && typeof hw === 'object') {
    const gpus = hw.gpus?.length ? `${hw.gpus.length} GPU(s) (${[...new Set(hw.gpus.map((g) => g.name))].join(', ')}${hw.gpu_probe?.driver_version ? `, driver ${hw.gpu_probe.driver_version}` : ''})` : 'no GPU';
    lines.push(`  hardware  ${hw.cpus ?? '?'} CPUs (${hw.cpu_model ?? 'unknown'}), ${hw.memory_total_bytes ? `${(hw.memory_total_bytes / 2 ** 30).toFixed(1)} GiB` : '? GiB'}, ${gpus}`);
  }
  const cfg = Object.entries(r.config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
  if (cfg) lines.push(`  config    ${cfg}`);
  if (r.stages.length) lines.push('', ...funnelTable(r.stages).map((l) => '  ' + l));
  for (const st of r.stages) {
    const c = Object.entries(st.counters ?? {});
    if (c.length) lines.push(`  ${st.name}: ${c.map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`).join(', ')}`);
  }
  if (r.inputs.length) lines.push('', `  inputs: ${r.inputs.length} file(s), ${r.inputs.reduce((n, f) => n + f.size, 0)} bytes`);
  if (r.outputs.length) lines.push(`  outputs: ${r.outputs.length} file(s), ${r.outputs.reduce((n, f) => n + f.documents, 0)} documents, ${r.outputs.reduce((n, f) => n + f.bytes, 0)} bytes`);
  if (r.removals.length) lines.push('', ...table(['stage', 'reason', 'removed'], r.removals.map((x) => [x.stage, x.reason, String(x.count)])).map((l) => '  ' + l));
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(`  ${r.log_count} log line(s) recorded`);
  return lines;
}

const cell = (v: unknown) => (v === undefined ? '(unset)' : clip(JSON.stringify(v), 40));

/** Adds history, show, compare, delete and prune to the `curator` program. */
export function registerHistoryCommands(program: Command): void {
  program
    .command('history')
    .description('list recorded runs, newest first')
    .option('--json', 'print { total, runs } as one JSON object on the last line of standard output')
    .option('--status <list>', `only runs with these statuses (comma-separated: ${RUN_STATUSES.join(', ')})`, statusList)
    .option('--backend <list>', 'only runs on these backends (comma-separated)', list)
    .option('--name <text>', 'only runs whose name contains this text')
    .option('--search <text>', 'only runs whose name or error contains this text, or whose id starts with it')
    .option('--since <date>', 'only runs started at or after this date or time (ISO 8601)')
    .option('--until <date>', 'only runs started at or before this date or time (ISO 8601)')
    .addOption(new Option('--sort <key>', 'sort order').choices(['started_at', 'duration', 'name', 'status']).default('started_at'))
    .option('--asc', 'oldest (or smallest) first')
    .option('--limit <n>', 'runs per page (at most 500)', positiveInt, 20)
    .option('--offset <n>', 'runs to skip', positiveInt, 0)
    .action(async (o: { json?: boolean; status?: string[]; backend?: string[]; name?: string; search?: string; since?: string; until?: string; sort: string; asc?: boolean; limit: number; offset: number }) => {
      const json = Boolean(o.json);
      await withHistory(json, (h) => {
        const q: RunListQuery = { status: o.status, backend: o.backend, name: o.name, text: o.search, from: o.since, to: o.until, sort: o.sort as RunListQuery['sort'], order: o.asc ? 'asc' : 'desc', limit: o.limit, offset: o.offset };
        const page = h.listRuns(q);
        if (json) return out(JSON.stringify(page));
        if (!page.runs.length) return out(page.total ? `no runs on this page (${page.total} match)` : `no runs recorded yet (history: ${h.path})`);
        for (const l of listTable(page.runs)) out(l);
        out(`${o.offset + 1}\u2013${o.offset + page.runs.length} of ${page.total} run(s); \`curator show RUN_ID\` for one run`);
      });
    });

  program
    .command('show')
    .description('everything recorded about one run: pipeline, config, hardware, funnel, inputs, outputs, error')
    .argument('<run-id>', 'a run id, or a unique prefix of one')
    .option('--json', 'print the run as one JSON object on the last line of standard output')
    .action(async (id: string, o: { json?: boolean }) => {
      const json = Boolean(o.json);
      await withHistory(json, (h) => {
        const r = h.getRun(id);
        if (!r) return fail(`no run "${id}" in the run history ${h.path}; \`curator history\` lists them`, json, EXIT.invalid);
        if (json) return out(JSON.stringify(r));
        for (const l of showLines(r)) out(l);
      });
    });

  program
    .command('compare')
    .description('two runs side by side: configuration differences, funnels, output documents added and removed')
    .argument('<run-a>')
    .argument('<run-b>')
    .option('--json', 'print the comparison as one JSON object on the last line of standard output')
    .action(async (a: string, b: string, o: { json?: boolean }) => {
      const json = Boolean(o.json);
      await withHistory(json, (h) => {
        for (const id of [a, b]) if (!h.resolveRunId(id)) return fail(`no run "${id}" in the run history ${h.path}; \`curator history\` lists them`, json, EXIT.invalid);
        const c = h.compareRuns(a, b);
        if (json) return out(JSON.stringify(c));
        out(`A ${c.a.run_id}  ${c.a.name}  ${c.a.status}  ${formatDuration(c.a.duration_s)}`);
        out(`B ${c.b.run_id}  ${c.b.name}  ${c.b.status}  ${formatDuration(c.b.duration_s)}`);
        out('');
        if (c.config_diff.length) for (const l of table(['setting', 'A', 'B'], c.config_diff.map((d) => [d.key, cell(d.a), cell(d.b)]), 'all')) out(l);
        else out('same configuration');
        out('');
        const n = (s: StageRow | null, k: 'items_in' | 'items_out') => (s ? String(s[k]) : '-');
        const t = (s: StageRow | null) => (s ? s.process_time_s.toFixed(2) : '-');
        for (const l of table(['stage', 'A items in', 'A items out', 'A process s', 'B items in', 'B items out', 'B process s'], c.stages.map((s) => [s.name, n(s.a, 'items_in'), n(s.a, 'items_out'), t(s.a), n(s.b, 'items_in'), n(s.b, 'items_out'), t(s.b)]))) out(l);
        out('');
        if (c.outputs.compared) out(`output documents: ${c.outputs.added_count} only in B, ${c.outputs.removed_count} only in A`);
        else out('output documents: not compared (both runs must have recorded their output document ids)');
      });
    });

  program
    .command('delete')
    .description('delete one run and everything recorded about it')
    .argument('<run-id>', 'a run id, or a unique prefix of one')
    .option('--json', 'print { deleted, run_id } as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const json = Boolean(o.json);
      await withHistory(json, (h) => {
        const full = h.resolveRunId(id);
        if (!full || !h.deleteRun(full)) return fail(`no run "${id}" in the run history ${h.path}`, json, EXIT.invalid);
        if (json) out(JSON.stringify({ deleted: true, run_id: full }));
        else out(`deleted run ${full}`);
      });
    });

  program
    .command('prune')
    .description('delete finished runs by age and/or keep only the newest ones')
    .option('--older-than <age>', 'delete runs created longer ago than this (30d, 12h, 2w, 90m)', parseAge)
    .option('--keep <n>', 'keep only the newest n runs', positiveInt)
    .option('--json', 'print { deleted } as JSON')
    .action(async (o: { olderThan?: number; keep?: number; json?: boolean }) => {
      const json = Boolean(o.json);
      if (o.olderThan === undefined && o.keep === undefined) return fail('prune needs --older-than AGE or --keep N', json, EXIT.invalid);
      await withHistory(json, (h) => {
        const deleted = h.prune({ olderThanDays: o.olderThan, keep: o.keep });
        if (json) out(JSON.stringify({ deleted }));
        else out(`deleted ${deleted} run(s)`);
      });
    });
}
