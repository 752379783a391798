// A recorded run at a glance: outcome, timings, machine, error, and the funnel with removal counts.
import { Alert, Code, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { HardwareInventory, RunDetail } from '../../../../runner/service/contract';
import { formatBytes, formatCount, formatDuration, formatTime } from '../../components/formatters';
import { Funnel, type FunnelRow } from '../../components/Funnel';
import { StatusText } from '../../components/StatusText';
import { backendTitle } from '../history/RunsTable';

/** The funnel rows of a recorded run, with what each stage removed by reason. */
export function funnelOfRun(run: RunDetail): FunnelRow[] {
  return run.stages.map((st) => {
    const removed: Record<string, number> = {};
    for (const r of run.removals) if (r.stage === st.name) removed[r.reason] = r.count;
    return { name: st.name, items_in: st.items_in, items_out: st.items_out, removed };
  });
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={170} scope="row">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function isInventory(v: unknown): v is HardwareInventory {
  return !!v && typeof v === 'object' && 'cpus' in v && 'gpus' in v;
}

export function SummaryTab({ run, onReason }: { run: RunDetail; onReason: (stage: string, reason: string) => void }) {
  const hw = isInventory(run.hardware) ? run.hardware : null;
  return (
    <Stack>
      {run.error && (
        <Alert color="red" title={run.error.stage ? `Failed in stage ${run.error.stage}` : 'The run failed'}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {run.error.message}
          </Text>
          {run.error.stack && (
            <Code block mt="xs" fz="xs">
              {run.error.stack}
            </Code>
          )}
        </Alert>
      )}
      {run.warnings.map((w) => (
        <Alert key={w} color="yellow" variant="light">
          {w}
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Table>
            <Table.Tbody>
              <Fact label="Status">
                <StatusText status={run.status} />
              </Fact>
              <Fact label="Backend">{`${backendTitle(run.backend)}${run.execution_mode ? ` (${run.execution_mode})` : ''}`}</Fact>
              <Fact label="Started">{formatTime(run.started_at ?? run.created_at)}</Fact>
              <Fact label="Ended">{formatTime(run.ended_at)}</Fact>
              <Fact label="Duration">{formatDuration(run.duration_s)}</Fact>
              <Fact label="Documents">{`${formatCount(run.docs_in)} in, ${formatCount(run.docs_out)} out`}</Fact>
              <Fact label="Started from">{run.source === 'cli' ? 'the command line' : run.source === 'app' ? 'the app' : 'the browser'}</Fact>
              <Fact label="Run id">
                <Text ff="monospace" size="sm">
                  {run.run_id}
                </Text>
              </Fact>
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Table>
            <Table.Tbody>
              <Fact label="Machine">{hw ? `${hw.hostname ?? ''} ${hw.platform}`.trim() : 'not recorded'}</Fact>
              {hw && <Fact label="CPU">{`${hw.cpus} × ${hw.cpu_model}`}</Fact>}
              {hw && <Fact label="Memory">{formatBytes(hw.memory_total_bytes)}</Fact>}
              {hw && <Fact label="GPUs">{hw.gpus.length ? hw.gpus.map((g) => `${g.index}: ${g.name}`).join(', ') : (hw.gpu_probe.reason ?? 'none')}</Fact>}
              <Fact label="Inputs">{`${run.inputs.length} file${run.inputs.length === 1 ? '' : 's'}, ${formatBytes(run.inputs.reduce((n, f) => n + f.size, 0))}`}</Fact>
              <Fact label="Outputs">{`${run.outputs.length} file${run.outputs.length === 1 ? '' : 's'}, ${formatBytes(run.outputs.reduce((n, f) => n + f.bytes, 0))}`}</Fact>
            </Table.Tbody>
          </Table>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="xs">
          Funnel
        </Title>
        {run.stages.length ? <Funnel rows={funnelOfRun(run)} caption="Documents through the stages" onReason={onReason} /> : <Text c="dimmed">No stage ran.</Text>}
      </Paper>
    </Stack>
  );
}
