// `/live` without a run: the runs going on now and those waiting, each a link to its live view.
import { Anchor, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useCurator } from '../../api';
import { formatTime } from '../../components/formatters';
import { StatusText } from '../../components/StatusText';

export function ActiveRuns() {
  const api = useCurator();
  const runs = useQuery({
    queryKey: ['runs', 'active'],
    queryFn: () => api.listRuns({ status: ['running', 'queued'], sort: 'started_at', order: 'asc', limit: 100 }),
    refetchInterval: 2000,
  });
  return (
    <Stack>
      <Title order={2}>Live runs</Title>
      <Paper withBorder p="md" radius="md">
        {runs.isPending && <Text c="dimmed">Loading…</Text>}
        {runs.isError && <Text c="red">Could not list the runs: {String((runs.error as { message?: string }).message ?? runs.error)}</Text>}
        {runs.data && runs.data.runs.length === 0 && (
          <Text c="dimmed">
            No run is going on. Start one on the <Anchor component={Link} to="/">Run</Anchor> page, or look back in{' '}
            <Anchor component={Link} to="/history">History</Anchor>.
          </Text>
        )}
        {runs.data && runs.data.runs.length > 0 && (
          <Table captionSide="top">
            <Table.Caption>Active runs</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Status</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Backend</Table.Th>
                <Table.Th>Queued at</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.runs.map((r) => (
                <Table.Tr key={r.run_id}>
                  <Table.Td>
                    <StatusText status={r.status} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/live/${r.run_id}`}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.backend}</Table.Td>
                  <Table.Td>{formatTime(r.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
