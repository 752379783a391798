// One run as it happens: status, progress, stages, funnel, charts, log and Cancel; its outcome once it ends.
import { Alert, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { RunDetail } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { chartDataOf, fullerCharts } from '../../components/chart-data';
import { formatDuration } from '../../components/formatters';
import { Funnel, type FunnelRow } from '../../components/Funnel';
import { levelsFrom, LogLevelSelect, LogView, type LogLevelChoice } from '../../components/LogView';
import { RunCharts } from '../../components/RunCharts';
import { StageTable } from '../../components/StageTable';
import { StatusText } from '../../components/StatusText';
import { backendTitle } from '../history/RunsTable';
import { pointOfMetrics } from '../run-detail/ChartsTab';
import { LogsTab } from '../run-detail/LogsTab';
import { funnelRows, progressOf, stageRows } from './live-state';
import { useLiveRun } from './use-live-run';

const TERMINAL = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** The funnel of a recorded run, with removal counts by reason. */
function detailFunnel(run: RunDetail): FunnelRow[] {
  return run.stages.map((st) => {
    const removed: Record<string, number> = {};
    for (const r of run.removals) if (r.stage === st.name) removed[r.reason] = r.count;
    return { name: st.name, items_in: st.items_in, items_out: st.items_out, removed };
  });
}

export function LiveRun({ runId }: { runId: string }) {
  const api = useCurator();
  const detail = useQuery({ queryKey: ['run', runId], queryFn: () => api.getRun({ run_id: runId }) });
  const endedBefore = detail.data !== undefined && TERMINAL.includes(detail.data.status);
  const live = useLiveRun(runId, detail.data !== undefined && !endedBefore);
  const [level, setLevel] = useState<LogLevelChoice>('info');
  const cancel = useMutation({ mutationFn: () => api.cancelRun({ run_id: runId }) });

  // A run that ended before this view subscribed (or in another session) is shown from history.
  const recorded = detail.data && TERMINAL.includes(detail.data.status) && !live.summary ? detail.data : null;
  const status = recorded ? recorded.status : live.status === 'waiting' ? (detail.data?.status ?? 'queued') : live.status;
  const finished = TERMINAL.includes(status);
  const error = live.summary?.error ?? recorded?.error ?? null;
  const name = live.name ?? detail.data?.name ?? runId;
  const progress = progressOf(live);
  const rows = useMemo(() => stageRows(live), [live]);
  const funnel = recorded ? detailFunnel(recorded) : funnelRows(live);
  // Once the run has ended, the recorded series fill in what this view did not see (it opened late).
  const metrics = useQuery({ queryKey: ['run', runId, 'metrics'], queryFn: () => api.runMetrics({ run_id: runId }), enabled: finished });
  const liveCharts = useMemo(() => chartDataOf(live.points), [live.points]);
  const recordedCharts = useMemo(() => (metrics.data ? chartDataOf(metrics.data.points.map(pointOfMetrics)) : null), [metrics.data]);
  const charts = fullerCharts(liveCharts, recordedCharts);
  const shownLevels = levelsFrom(level);
  const logs = live.logs.filter((l) => (shownLevels as string[]).includes(l.level));
  const duration = live.summary?.duration_s ?? recorded?.duration_s ?? live.elapsedS;

  if (detail.isError && live.status === 'waiting') {
    return (
      <Alert color="red" title="Run not found">
        {apiErrorOf(detail.error).message}
      </Alert>
    );
  }

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{name}</Title>
          <Group gap="xs" mt={4}>
            <StatusText status={status} />
            <Text size="sm" c="dimmed">
              {backendTitle(live.backend ?? detail.data?.backend ?? '')}
              {live.executionMode ? ` · ${live.executionMode}` : ''}
              {status === 'queued' && live.position ? ` · number ${live.position} in the queue` : ''}
              {status !== 'queued' ? ` · ${formatDuration(duration)}` : ''}
            </Text>
          </Group>
        </div>
        <Group>
          {!finished && (
            <Button color="red" variant="light" onClick={() => cancel.mutate()} loading={cancel.isPending} disabled={cancel.data !== undefined}>
              Cancel
            </Button>
          )}
          {finished && (
            <Button component={Link} to={`/runs/${runId}`}>
              Open run
            </Button>
          )}
        </Group>
      </Group>

      {cancel.isError && <Alert color="red">{apiErrorOf(cancel.error).message}</Alert>}
      {cancel.data?.status === 'cancelling' && !finished && <Alert color="yellow">Stopping the run…</Alert>}
      {error && (
        <Alert color="red" title={error.stage ? `Failed in stage ${error.stage}` : 'The run failed'}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {error.message}
          </Text>
        </Alert>
      )}
      {live.summary?.warnings.map((w) => (
        <Alert key={w} color="yellow" variant="light">
          {w}
        </Alert>
      ))}

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb={6}>
          <Text size="sm" fw={600}>
            Progress
          </Text>
          <Text size="sm" c="dimmed">
            {finished ? 'Finished' : `${progress.done} of ${progress.total} stages done`}
          </Text>
        </Group>
        <Progress
          value={finished ? 100 : progress.fraction * 100}
          animated={!finished}
          color={status === 'failed' ? 'red' : status === 'cancelled' ? 'yellow' : 'blue'}
          aria-label="Overall progress"
        />
        {live.allocation && !finished && (
          <Text size="xs" c="dimmed" mt={6}>
            {`Workers hold ${live.allocation.cpus.used.toFixed(1)} of ${live.allocation.cpus.total} CPUs`}
            {live.allocation.gpus.total > 0 ? ` and ${live.allocation.gpus.used.toFixed(1)} of ${live.allocation.gpus.total} GPUs` : ''}
          </Text>
        )}
      </Paper>

      {rows.length > 0 && (
        <Paper withBorder p="md" radius="md">
          <StageTable rows={rows} ended={finished} />
        </Paper>
      )}

      <SimpleGrid cols={{ base: 1 }}>
        <Paper withBorder p="md" radius="md">
          {funnel.length > 0 ? <Funnel rows={funnel} caption="Documents through the stages" /> : <Text c="dimmed">Waiting for the first stage to report…</Text>}
        </Paper>
      </SimpleGrid>

      <RunCharts data={charts} {...(finished ? { emptyText: 'The run ended before this was measured' } : {})} />

      {finished && live.logs.length === 0 ? (
        <Paper withBorder p="md" radius="md">
          <Title order={4} mb="sm">
            Log
          </Title>
          <LogsTab runId={runId} />
        </Paper>
      ) : (
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" mb="sm" align="flex-end">
            <Title order={4}>Log</Title>
            <LogLevelSelect value={level} onChange={setLevel} />
          </Group>
          <LogView lines={logs} empty={live.logs.length ? 'No lines at this level' : 'No log lines yet'} />
        </Paper>
      )}
    </Stack>
  );
}
