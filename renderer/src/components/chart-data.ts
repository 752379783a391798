// The series a run's charts draw, built from live events or from the recorded metrics: one shape for both.
import type { ChartSeries } from './TimeChart';

/** One stage's cumulative counts at a moment. */
export interface StagePoint {
  name: string;
  items_out: number;
}

/** One GPU's numbers at a moment. */
export interface GpuPoint {
  index: number;
  utilization_pct: number | null;
  memory_used_mb: number;
}

/** What the charts need of one moment of a run. */
export interface RunPoint {
  /** Seconds since the run started. */
  elapsed_s: number;
  /** Per-stage counts, when this moment has them. */
  stages?: StagePoint[];
  cpu_pct?: number | null;
  memory_used_bytes?: number | null;
  gpus?: GpuPoint[];
}

/** Every chart's series, on one time axis per chart. */
export interface ChartData {
  throughput: { x: number[]; series: ChartSeries[] };
  cpu: { x: number[]; values: Array<number | null> };
  memory: { x: number[]; values: Array<number | null> };
  gpus: Array<{ index: number; x: number[]; utilization: Array<number | null>; memoryMb: Array<number | null> }>;
}

/**
 * Items out per second of each stage between consecutive points that carry stage counts (the rate
 * of the interval ending at each point).
 */
function throughputOf(points: readonly RunPoint[]): ChartData['throughput'] {
  const withStages = points.filter((p) => p.stages && p.stages.length);
  const names: string[] = [];
  for (const p of withStages) for (const s of p.stages ?? []) if (!names.includes(s.name)) names.push(s.name);
  const x: number[] = [];
  const series: ChartSeries[] = names.map((label) => ({ label, values: [] }));
  for (let i = 1; i < withStages.length; i++) {
    const prev = withStages[i - 1] as RunPoint;
    const cur = withStages[i] as RunPoint;
    const dt = cur.elapsed_s - prev.elapsed_s;
    if (dt <= 0) continue;
    x.push(Math.round(cur.elapsed_s * 10) / 10);
    names.forEach((name, k) => {
      const a = prev.stages?.find((s) => s.name === name);
      const b = cur.stages?.find((s) => s.name === name);
      (series[k] as ChartSeries).values.push(a && b ? Math.max(0, (b.items_out - a.items_out) / dt) : null);
    });
  }
  return { x, series };
}

/** Builds every chart's series from a run's points (in time order). */
export function chartDataOf(points: readonly RunPoint[]): ChartData {
  // Samples from two sources (the run's own and the view's polls) may arrive out of order; the charts need time order.
  const machine = points
    // A recorded point without a sample (null CPU and memory, no GPUs) is no machine point.
    .filter((p) => (p.cpu_pct ?? null) !== null || (p.memory_used_bytes ?? null) !== null || (p.gpus?.length ?? 0) > 0)
    .sort((a, b) => a.elapsed_s - b.elapsed_s);
  const x = machine.map((p) => Math.round(p.elapsed_s * 10) / 10);
  const gpuIndexes: number[] = [];
  for (const p of machine) for (const g of p.gpus ?? []) if (!gpuIndexes.includes(g.index)) gpuIndexes.push(g.index);
  return {
    throughput: throughputOf(points),
    cpu: { x, values: machine.map((p) => p.cpu_pct ?? null) },
    memory: { x, values: machine.map((p) => p.memory_used_bytes ?? null) },
    gpus: gpuIndexes.map((index) => ({
      index,
      x,
      utilization: machine.map((p) => p.gpus?.find((g) => g.index === index)?.utilization_pct ?? null),
      memoryMb: machine.map((p) => p.gpus?.find((g) => g.index === index)?.memory_used_mb ?? null),
    })),
  };
}

/** Points on a chart set: machine samples plus throughput intervals. */
function pointCount(d: ChartData): number {
  return d.cpu.x.length + d.throughput.x.length;
}

/**
 * The fuller of the live charts and the recorded ones: a view opened after the run ended saw none
 * of its samples live, while one that watched a short run polled more than the history keeps.
 */
export function fullerCharts(live: ChartData, recorded: ChartData | null): ChartData {
  return recorded && pointCount(recorded) > pointCount(live) ? recorded : live;
}
