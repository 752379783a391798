// The recorded metrics of a run as charts.
import { Alert, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { MetricsPoint } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { chartDataOf, type GpuPoint, type RunPoint, type StagePoint } from '../../components/chart-data';
import { RunCharts } from '../../components/RunCharts';

/** A stored metrics point as the charts read it. */
export function pointOfMetrics(m: MetricsPoint): RunPoint {
  const stages = Array.isArray(m.stages)
    ? (m.stages as unknown[]).flatMap((s): StagePoint[] => {
        const o = s as { name?: unknown; items_out?: unknown };
        return typeof o.name === 'string' && typeof o.items_out === 'number' ? [{ name: o.name, items_out: o.items_out }] : [];
      })
    : [];
  const gpus = Array.isArray(m.gpus) ? (m.gpus as GpuPoint[]) : [];
  return { elapsed_s: m.elapsed_s, stages, cpu_pct: m.cpu_pct, memory_used_bytes: m.memory_used_bytes, gpus };
}

export function ChartsTab({ runId }: { runId: string }) {
  const api = useCurator();
  const metrics = useQuery({ queryKey: ['run', runId, 'metrics'], queryFn: () => api.runMetrics({ run_id: runId }) });
  if (metrics.isError) return <Alert color="red">{apiErrorOf(metrics.error).message}</Alert>;
  if (metrics.isPending) return <Text c="dimmed">Loading…</Text>;
  const data = chartDataOf(metrics.data.points.map(pointOfMetrics));
  return (
    <>
      {metrics.data.points.length < 2 && (
        <Text size="sm" c="dimmed" mb="sm">
          This run was too short to record much of a time series.
        </Text>
      )}
      <RunCharts data={data} emptyText="Not measured in this run" />
    </>
  );
}
