/**
 * The live view of one run as a pure reducer over its events (replayed first, then live): what
 * the stage rows, the progress bar, the funnel, the charts and the log show. No effects here, so
 * it is tested with a real run's events.
 */
import type { CuratorEvent, RunSummary } from '../../../../runner/service/contract';
import type { RunPoint } from '../../components/chart-data';
import type { FunnelRow } from '../../components/Funnel';
import type { LogViewLine } from '../../components/LogView';
import type { StageTableRow } from '../../components/StageTable';

type StageStatusEvent = Extract<CuratorEvent, { type: 'stage_status' }>;
/** One stage's live state as the engine reports it. */
export type LiveStage = StageStatusEvent['stages'][number];

/** Where the run is, as far as its events tell. `waiting`: no event yet. */
export type LiveStatus = 'waiting' | 'queued' | 'running' | RunSummary['status'];

export interface LiveState {
  runId: string | null;
  status: LiveStatus;
  name: string | null;
  /** Place in the queue while queued. */
  position: number | null;
  backend: string | null;
  executionMode: string | null;
  /** When the run started, in epoch milliseconds. */
  startedAt: number | null;
  /** Seconds since the start, as of the latest event. */
  elapsedS: number;
  /** The stages as planned (names and types), from run_started. */
  plan: Array<{ name: string; type: string }>;
  /** The latest status row of each stage. */
  stages: LiveStage[];
  /** CPUs and GPUs the run's workers hold, as of the latest status. */
  allocation: { cpus: { total: number; used: number }; gpus: { total: number; used: number } } | null;
  /** The charts' points: stage counts from status events, machine use from hardware samples. */
  points: RunPoint[];
  /** Memory of the machine, from the latest hardware sample. */
  memoryTotalBytes: number | null;
  logs: LogViewLine[];
  /** Log lines dropped from the front to keep the view bounded. */
  logsDropped: number;
  summary: RunSummary | null;
}

/** Points and log lines kept (older ones are dropped). */
export const MAX_POINTS = 3600;
export const MAX_LOG_LINES = 5000;

export function initialLiveState(runId: string | null = null): LiveState {
  return {
    runId,
    status: 'waiting',
    name: null,
    position: null,
    backend: null,
    executionMode: null,
    startedAt: null,
    elapsedS: 0,
    plan: [],
    stages: [],
    allocation: null,
    points: [],
    memoryTotalBytes: null,
    logs: [],
    logsDropped: 0,
    summary: null,
  };
}

function bounded<T>(list: T[], item: T, max: number): T[] {
  const next = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  next.push(item);
  return next;
}

function elapsedAt(state: LiveState, t: number): number {
  return state.startedAt === null ? state.elapsedS : Math.max(0, (t - state.startedAt) / 1000);
}

/** The state after one event. Events of other runs are ignored. */
export function liveReducer(state: LiveState, event: CuratorEvent): LiveState {
  if (state.runId !== null && event.run_id !== state.runId) return state;
  const s = state.runId === null ? { ...state, runId: event.run_id } : state;
  switch (event.type) {
    case 'run_queued':
      if (s.summary || s.status === 'running') return s;
      return { ...s, status: 'queued', name: event.name, position: event.position };
    case 'run_started':
      return {
        ...s,
        status: s.summary ? s.status : 'running',
        position: null,
        name: s.name ?? event.pipeline,
        backend: event.backend,
        executionMode: event.execution_mode,
        startedAt: event.t,
        plan: event.stages.map((st) => ({ name: st.name, type: st.type })),
      };
    case 'stage_status': {
      const point: RunPoint = { elapsed_s: event.elapsed_s, stages: event.stages.map((st) => ({ name: st.name, items_out: st.items.out })) };
      return {
        ...s,
        status: s.summary ? s.status : 'running',
        startedAt: s.startedAt ?? event.t - event.elapsed_s * 1000,
        elapsedS: Math.max(s.elapsedS, event.elapsed_s),
        stages: event.stages,
        allocation: { cpus: event.cpus, gpus: event.gpus },
        points: bounded(s.points, point, MAX_POINTS),
      };
    }
    case 'hardware_sample': {
      // Machine use before the run started or after it ended (the view polls too) is not the run's.
      if (s.startedAt === null || s.summary) return s;
      const elapsed = elapsedAt(s, event.sample.t);
      const point: RunPoint = { elapsed_s: elapsed, cpu_pct: event.sample.cpu_pct, memory_used_bytes: event.sample.memory_used_bytes, gpus: event.sample.gpus };
      return { ...s, points: bounded(s.points, point, MAX_POINTS), memoryTotalBytes: event.sample.memory_total_bytes };
    }
    case 'log': {
      const line: LogViewLine = { t: event.t, level: event.level, source: event.source, message: event.message };
      const dropped = s.logs.length >= MAX_LOG_LINES ? 1 : 0;
      return { ...s, logs: bounded(s.logs, line, MAX_LOG_LINES), logsDropped: s.logsDropped + dropped };
    }
    case 'task_processed':
      return s;
    case 'run_finished':
      return { ...s, status: event.summary.status, summary: event.summary, position: null, elapsedS: event.summary.duration_s };
    default:
      return s;
  }
}

/** Applies events in order. */
export function applyEvents(state: LiveState, events: readonly CuratorEvent[]): LiveState {
  let s = state;
  for (const e of events) s = liveReducer(s, e);
  return s;
}

/** True once the run has ended, whatever the outcome. */
export function isFinished(state: LiveState): boolean {
  return state.summary !== null;
}

/** Epoch milliseconds of a log line's time (live lines carry numbers, recorded ones ISO strings). */
function timeMs(t: string | number): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

/**
 * Puts the recorded log lines from before the view subscribed (`before`, epoch ms) in front of the
 * live ones: a run opened while it goes on shows its whole log, not only what came after. Lines
 * already shown are not repeated, and the log stays bounded.
 */
export function withEarlierLogs(s: LiveState, recorded: LogViewLine[], before: number): LiveState {
  const key = (l: LogViewLine) => `${timeMs(l.t)}|${l.source}|${l.message}`;
  const first = s.logs[0];
  const cut = Math.min(before, first ? timeMs(first.t) : Infinity);
  const seen = new Set(s.logs.map(key));
  const earlier = recorded.filter((l) => timeMs(l.t) < cut && !seen.has(key(l)));
  if (earlier.length === 0) return s;
  const logs = [...earlier, ...s.logs];
  const over = Math.max(0, logs.length - MAX_LOG_LINES);
  return { ...s, logs: over ? logs.slice(over) : logs, logsDropped: s.logsDropped + over };
}

/** Overall progress 0–1: stages finished out of all stages (1 once the run has ended). */
export function progressOf(state: LiveState): { done: number; total: number; fraction: number } {
  const total = state.stages.length || state.plan.length;
  if (state.summary) return { done: total, total, fraction: 1 };
  const done = state.stages.filter((st) => st.done).length;
  return { done, total, fraction: total ? done / total : 0 };
}

/**
 * Items out per second of each stage: over the last interval between two status points while the
 * run goes on, and averaged over the whole run once it has ended (the last interval is then mostly idle).
 */
export function stageRates(state: LiveState): Map<string, number | null> {
  const rates = new Map<string, number | null>();
  if (state.summary) {
    const d = state.summary.duration_s;
    for (const st of state.summary.stages) rates.set(st.name, d > 0 ? st.items_out / d : null);
    return rates;
  }
  const withStages = state.points.filter((p) => p.stages);
  const cur = withStages.at(-1);
  const prev = withStages.at(-2);
  for (const st of state.stages) {
    const a = prev?.stages?.find((x) => x.name === st.name);
    const b = cur?.stages?.find((x) => x.name === st.name);
    const dt = cur && prev ? cur.elapsed_s - prev.elapsed_s : 0;
    rates.set(st.name, a && b && dt > 0 ? Math.max(0, (b.items_out - a.items_out) / dt) : null);
  }
  return rates;
}

/** The stage table's rows. */
export function stageRows(state: LiveState): StageTableRow[] {
  const rates = stageRates(state);
  return state.stages.map((st) => ({ name: st.name, workers: st.workers, queue: st.queue, items: st.items, done: st.done, rate: rates.get(st.name) ?? null }));
}

/** Documents in and out of each stage: the summary's once the run has ended (with removal reasons), the live counts before. */
export function funnelRows(state: LiveState): FunnelRow[] {
  if (state.summary && state.summary.stages.length) {
    return state.summary.stages.map((st) => ({ name: st.name, items_in: st.items_in, items_out: st.items_out, ...(st.removed ? { removed: st.removed.reasons } : {}) }));
  }
  return state.stages.map((st) => ({ name: st.name, items_in: st.items.in, items_out: st.items.out }));
}
