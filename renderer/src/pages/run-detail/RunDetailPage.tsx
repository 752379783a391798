// `/runs/:runId`: one recorded run in tabs (`?tab=`), and a comparison with another run (`?compare=`).
import { Alert, Button, Group, NativeSelect, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiErrorOf, useCurator } from '../../api';
import { formatTime } from '../../components/formatters';
import { backendTitle } from '../history/RunsTable';
import { StatusText } from '../../components/StatusText';
import { useRerun } from '../history/use-rerun';
import { ChartsTab } from './ChartsTab';
import { CompareView } from './CompareTab';
import { LogsTab } from './LogsTab';
import { OutputsTab } from './OutputsTab';
import { PipelineTab } from './PipelineTab';
import { RemovedTab } from './RemovedTab';
import { SummaryTab } from './SummaryTab';

const TABS = ['summary', 'pipeline', 'charts', 'logs', 'outputs', 'removed', 'compare'] as const;
type TabName = (typeof TABS)[number];

function CompareSelect({ runId, value, onChange }: { runId: string; value: string; onChange: (id: string) => void }) {
  const api = useCurator();
  const runs = useQuery({ queryKey: ['runs', 'compare-choices'], queryFn: () => api.listRuns({ sort: 'started_at', order: 'desc', limit: 200 }) });
  const others = (runs.data?.runs ?? []).filter((r) => r.run_id !== runId && r.status !== 'queued' && r.status !== 'running');
  const data = [{ value: '', label: 'No comparison' }, ...others.map((r) => ({ value: r.run_id, label: `${r.name} · ${backendTitle(r.backend)} · ${formatTime(r.started_at ?? r.created_at)} · ${r.status}` }))];
  if (value && !others.some((r) => r.run_id === value)) data.push({ value, label: value });
  return <NativeSelect label="Compare with" data={data} value={value} onChange={(e) => onChange(e.currentTarget.value)} w={360} />;
}

export default function RunDetailPage() {
  const { runId = '' } = useParams();
  const api = useCurator();
  const [params, setParams] = useSearchParams();
  const rerun = useRerun();
  const compare = params.get('compare') ?? '';
  const asked = params.get('tab');
  const tab: TabName = (TABS as readonly string[]).includes(asked ?? '') ? (asked as TabName) : compare ? 'compare' : 'summary';
  const run = useQuery({ queryKey: ['run', runId], queryFn: () => api.getRun({ run_id: runId }), enabled: runId !== '' });
  const stage = params.get('stage');
  const reason = params.get('reason');

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }

  if (run.isError) {
    return (
      <Alert color="red" title="Run not found">
        {apiErrorOf(run.error).message}
      </Alert>
    );
  }
  if (run.isPending) return <Text c="dimmed">Loading the run…</Text>;
  const r = run.data;
  const active = r.status === 'running' || r.status === 'queued';

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{r.name}</Title>
          <Group gap="xs" mt={4}>
            <StatusText status={r.status} />
            <Text size="sm" c="dimmed">{`Started ${formatTime(r.started_at ?? r.created_at)}`}</Text>
          </Group>
        </div>
        <Group align="flex-end">
          <CompareSelect runId={r.run_id} value={compare} onChange={(id) => update({ compare: id || null, tab: id ? 'compare' : tab === 'compare' ? null : tab })} />
          {active && (
            <Button component={Link} to={`/live/${r.run_id}`} variant="light">
              Watch live
            </Button>
          )}
          <Button variant="default" onClick={() => void rerun.rerun(r.run_id)} loading={rerun.busy === r.run_id}>
            Re-run
          </Button>
        </Group>
      </Group>
      {rerun.error && <Alert color="red" title="Could not re-run">{rerun.error}</Alert>}
      {rerun.dialog}
      <Tabs value={tab} onChange={(v) => update({ tab: v === 'summary' ? null : v })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="summary">Summary</Tabs.Tab>
          <Tabs.Tab value="pipeline">Pipeline</Tabs.Tab>
          <Tabs.Tab value="charts">Charts</Tabs.Tab>
          <Tabs.Tab value="logs">Logs</Tabs.Tab>
          <Tabs.Tab value="outputs">Outputs</Tabs.Tab>
          <Tabs.Tab value="removed">Removed documents</Tabs.Tab>
          {compare && <Tabs.Tab value="compare">Comparison</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="summary" pt="md">
          <SummaryTab run={r} onReason={(s, why) => update({ tab: 'removed', stage: s, reason: why })} />
        </Tabs.Panel>
        <Tabs.Panel value="pipeline" pt="md">
          <PipelineTab pipeline={r.pipeline} />
        </Tabs.Panel>
        <Tabs.Panel value="charts" pt="md">
          <ChartsTab runId={r.run_id} />
        </Tabs.Panel>
        <Tabs.Panel value="logs" pt="md">
          <LogsTab runId={r.run_id} />
        </Tabs.Panel>
        <Tabs.Panel value="outputs" pt="md">
          <OutputsTab runId={r.run_id} />
        </Tabs.Panel>
        <Tabs.Panel value="removed" pt="md">
          <RemovedTab key={`${stage ?? ''}/${reason ?? ''}`} runId={r.run_id} initial={stage && reason ? { stage, reason } : undefined} />
        </Tabs.Panel>
        {compare && (
          <Tabs.Panel value="compare" pt="md">
            <CompareView runId={r.run_id} otherId={compare} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
