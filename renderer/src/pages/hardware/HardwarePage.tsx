// `/hardware`: the machine runs see — CPUs, memory and GPUs, live use, and which GPUs runs may use.
import { Alert, Button, Group, Paper, Progress, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppSettings, GpuDevice } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { formatBytes, formatPercent } from '../../components/formatters';
import { isAllowed, toggleAllowed } from './gpu-allow';

/** How often live use is sampled. */
const SAMPLE_MS = 2000;

/** A reason as a sentence: capitalised, with a full stop. */
function sentence(text: string): string {
  const t = text.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

function Meter({ label, pct, text }: { label: string; pct: number | null; text: string }) {
  return (
    <div>
      <Group justify="space-between" mb={2}>
        <Text size="sm">{label}</Text>
        <Text size="sm" c="dimmed">
          {text}
        </Text>
      </Group>
      <Progress value={pct ?? 0} aria-label={label} color={pct !== null && pct > 85 ? 'red' : 'blue'} />
    </div>
  );
}

export default function HardwarePage() {
  const api = useCurator();
  const queryClient = useQueryClient();
  const hw = useQuery({ queryKey: ['hardware'], queryFn: () => api.hardware() });
  const sample = useQuery({ queryKey: ['hardware', 'sample'], queryFn: () => api.hardwareSample(), refetchInterval: SAMPLE_MS });
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.settings() });
  const refresh = useMutation({ mutationFn: () => api.hardware({ refresh: true }), onSuccess: (d) => queryClient.setQueryData(['hardware'], d) });
  const save = useMutation({
    mutationFn: (list: string[] | null) => api.updateSettings({ gpu_allow_list: list }),
    onSuccess: (s: AppSettings) => queryClient.setQueryData(['settings'], s),
  });

  if (hw.isError) return <Alert color="red" title="Could not read the hardware">{apiErrorOf(hw.error).message}</Alert>;
  if (hw.isPending) return <Text c="dimmed">Looking at the machine…</Text>;
  const inv = hw.data.inventory;
  const s = sample.data;
  const list = settings.data?.gpu_allow_list ?? null;
  const gpuNow = (g: GpuDevice) => s?.gpus.find((x) => x.index === g.index);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Hardware</Title>
        <Button variant="default" onClick={() => refresh.mutate()} loading={refresh.isPending}>
          Look again
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Title order={4}>CPU</Title>
          <Text size="sm" mb="sm">{`${inv.cpus} logical CPUs · ${inv.cpu_model}`}</Text>
          <Meter label="CPU use" pct={s?.cpu_pct ?? null} text={formatPercent(s?.cpu_pct)} />
          <Text size="xs" c="dimmed" mt="sm">{`${inv.hostname ?? ''} ${inv.platform}`.trim()}</Text>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={4}>Memory</Title>
          <Text size="sm" mb="sm">{`${formatBytes(inv.memory_total_bytes)} in all`}</Text>
          <Meter
            label="Memory use"
            pct={s ? (s.memory_used_bytes / Math.max(1, s.memory_total_bytes)) * 100 : null}
            text={s ? `${formatBytes(s.memory_used_bytes)} of ${formatBytes(s.memory_total_bytes)}` : '—'}
          />
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" radius="md">
        <Title order={4}>GPUs</Title>
        {inv.gpus.length === 0 ? (
          <Alert color="gray" variant="light" mt="sm" title="No GPU can be used">
            {sentence(inv.gpu_probe.reason ?? 'No NVIDIA GPU was found')} Stages that need a GPU cannot run; the others run on the CPUs.
          </Alert>
        ) : (
          <>
            <Text size="sm" c="dimmed" mb="sm">
              {`Driver ${inv.gpu_probe.driver_version ?? 'unknown'}${inv.gpu_probe.source === 'fake' ? ' (simulated GPUs)' : ''}. Runs use only the GPUs switched on here, unless a run names its own.`}
            </Text>
            <Table captionSide="top" striped>
              <Table.Caption>GPUs</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">GPU</Table.Th>
                  <Table.Th scope="col">Memory</Table.Th>
                  <Table.Th scope="col">Utilisation</Table.Th>
                  <Table.Th scope="col">Runs may use it</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inv.gpus.map((g) => {
                  const now = gpuNow(g);
                  const used = now?.memory_used_mb ?? g.memory_used_mb;
                  const util = now ? now.utilization_pct : g.utilization_pct;
                  return (
                    <Table.Tr key={g.uuid}>
                      <Table.Td>
                        <Text size="sm" fw={500}>{`${g.index}: ${g.name}`}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {g.uuid}
                        </Text>
                      </Table.Td>
                      <Table.Td miw={200}>
                        <Meter label={`GPU ${g.index} memory`} pct={g.memory_total_mb ? (used / g.memory_total_mb) * 100 : null} text={`${formatBytes(used * 1048576)} of ${g.memory_total_mb ? formatBytes(g.memory_total_mb * 1048576) : 'unknown'}`} />
                      </Table.Td>
                      <Table.Td miw={160}>
                        <Meter label={`GPU ${g.index} utilisation`} pct={util} text={formatPercent(util)} />
                      </Table.Td>
                      <Table.Td>
                        <Switch
                          aria-label={`Allow GPU ${g.index} ${g.name}`}
                          checked={isAllowed(list, g)}
                          disabled={!settings.data || save.isPending}
                          onChange={(e) => save.mutate(toggleAllowed(list, inv.gpus, g, e.currentTarget.checked))}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </>
        )}
        {save.isError && <Alert color="red" mt="sm">{apiErrorOf(save.error).message}</Alert>}
      </Paper>
    </Stack>
  );
}
