// Two runs side by side: what differs in their configuration, and each stage's documents in and out.
import { Alert, Button, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RunComparison } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { formatCount, formatDuration, formatValue } from '../../components/formatters';
import { StatusText } from '../../components/StatusText';
import { backendTitle } from '../history/RunsTable';

function delta(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return '—';
  const d = b - a;
  return d === 0 ? '0' : `${d > 0 ? '+' : ''}${formatCount(d)}`;
}

function Heads({ c }: { c: RunComparison }) {
  return (
    <SimpleGrid cols={2}>
      {[c.a, c.b].map((r, i) => (
        <Paper key={i} withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed">
            {i === 0 ? 'This run' : 'Compared with'}
          </Text>
          <Text fw={600}>{r.name}</Text>
          <Text size="sm">
            <StatusText status={r.status} /> {`${backendTitle(r.backend)} · ${formatDuration(r.duration_s)} · ${formatCount(r.docs_in)} in, ${formatCount(r.docs_out)} out`}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** Configuration differences shown before "Show all". */
const DIFF_ROWS = 25;

export function CompareView({ runId, otherId }: { runId: string; otherId: string }) {
  const api = useCurator();
  const [allDiffs, setAllDiffs] = useState(false);
  const cmp = useQuery({ queryKey: ['run', runId, 'compare', otherId], queryFn: () => api.compareRuns({ a: runId, b: otherId }) });
  if (cmp.isError) return <Alert color="red">{apiErrorOf(cmp.error).message}</Alert>;
  if (cmp.isPending) return <Text c="dimmed">Comparing…</Text>;
  const c = cmp.data;
  return (
    <Stack>
      <Heads c={c} />
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="xs">
          Configuration
        </Title>
        {c.config_diff.length === 0 ? (
          <Text c="dimmed">Both runs used the same pipeline, backend and configuration.</Text>
        ) : (
          <Table captionSide="top" striped>
            <Table.Caption>Configuration differences</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Setting</Table.Th>
                <Table.Th scope="col">This run</Table.Th>
                <Table.Th scope="col">Compared with</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(allDiffs ? c.config_diff : c.config_diff.slice(0, DIFF_ROWS)).map((d) => (
                <Table.Tr key={d.key}>
                  <Table.Td ff="monospace">{d.key}</Table.Td>
                  <Table.Td>{d.a === undefined ? '(not set)' : formatValue(d.a, 200)}</Table.Td>
                  <Table.Td>{d.b === undefined ? '(not set)' : formatValue(d.b, 200)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {!allDiffs && c.config_diff.length > DIFF_ROWS && (
          <Button variant="subtle" size="xs" mt="xs" onClick={() => setAllDiffs(true)}>
            {`Show all ${c.config_diff.length} differences`}
          </Button>
        )}
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="xs">
          Stages
        </Title>
        <Table captionSide="top" striped>
          <Table.Caption>Documents per stage in both runs</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Stage</Table.Th>
              <Table.Th scope="col" ta="right">This run: in</Table.Th>
              <Table.Th scope="col" ta="right">This run: out</Table.Th>
              <Table.Th scope="col" ta="right">Compared: in</Table.Th>
              <Table.Th scope="col" ta="right">Compared: out</Table.Th>
              <Table.Th scope="col" ta="right">Difference out</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.stages.map((s) => (
              <Table.Tr key={s.name}>
                <Table.Td ff="monospace">{s.name}</Table.Td>
                <Table.Td ta="right">{s.a ? formatCount(s.a.items_in) : '—'}</Table.Td>
                <Table.Td ta="right">{s.a ? formatCount(s.a.items_out) : '—'}</Table.Td>
                <Table.Td ta="right">{s.b ? formatCount(s.b.items_in) : '—'}</Table.Td>
                <Table.Td ta="right">{s.b ? formatCount(s.b.items_out) : '—'}</Table.Td>
                <Table.Td ta="right">{delta(s.a?.items_out, s.b?.items_out)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="xs">
          Output documents
        </Title>
        {c.outputs.compared ? (
          <Text size="sm">{`${formatCount(c.outputs.added_count)} documents only in the compared run, ${formatCount(c.outputs.removed_count)} only in this run.`}</Text>
        ) : (
          <Text size="sm" c="dimmed">
            The runs did not both record their output document ids, so their outputs are compared by counts only.
          </Text>
        )}
      </Paper>
    </Stack>
  );
}
