// The run list: one row per run, sortable column headers, Open / Re-run / Delete per row.
import { Button, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { RunListItem, RunListQuery } from '../../../../runner/service/contract';
import { formatCount, formatDuration, formatTime } from '../../components/formatters';
import { StatusText } from '../../components/StatusText';

export type SortKey = NonNullable<RunListQuery['sort']>;
export type SortOrder = NonNullable<RunListQuery['order']>;

const BACKEND_TITLES: Record<string, string> = { xenna: 'Xenna', ray_data: 'Ray Data', ray_actor_pool: 'Ray Actor Pool' };

/** A backend's name as people read it. */
export function backendTitle(name: string): string {
  return BACKEND_TITLES[name] ?? name;
}

interface Props {
  runs: RunListItem[];
  sort: SortKey;
  order: SortOrder;
  onSort: (key: SortKey) => void;
  onRerun: (runId: string) => void;
  onDelete: (run: RunListItem) => void;
  rerunning: string | null;
}

function SortHeader({ label, column, sort, order, onSort }: { label: string; column: SortKey; sort: SortKey; order: SortOrder; onSort: (k: SortKey) => void }) {
  const active = sort === column;
  return (
    <Table.Th scope="col" aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={() => onSort(column)} fw={600} fz="sm">
        {label}
        <span aria-hidden>{active ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

/** Short cells stay on one line; the name takes what is left. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** The start as date over time, two short lines instead of one long one that wraps anyhow. */
function StartedCell({ when }: { when: string | null }) {
  const d = when ? new Date(when) : null;
  if (!d || Number.isNaN(d.getTime())) return <>—</>;
  return (
    <>
      <Text size="sm">{d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}</Text>
      <Text size="xs" c="dimmed">
        {d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
      </Text>
    </>
  );
}

export function RunsTable({ runs, sort, order, onSort, onRerun, onDelete, rerunning }: Props) {
  const head = { sort, order, onSort };
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover captionSide="top" verticalSpacing="xs">
        <Table.Caption>Runs</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <SortHeader label="Status" column="status" {...head} />
            <Table.Th scope="col">Backend</Table.Th>
            <SortHeader label="Name" column="name" {...head} />
            <SortHeader label="Started" column="started_at" {...head} />
            <SortHeader label="Duration" column="duration" {...head} />
            <Table.Th scope="col" ta="right">
              Documents in
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Documents out
            </Table.Th>
            <Table.Th scope="col">
              <Text span size="sm" fw={600}>
                Actions
              </Text>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((r) => (
            <Table.Tr key={r.run_id} data-run-id={r.run_id}>
              <Table.Td>
                <StatusText status={r.status} />
              </Table.Td>
              <Table.Td>{backendTitle(r.backend)}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {r.name}
                </Text>
                {r.error_message && (
                  <Text size="xs" c="red" lineClamp={1} title={r.error_message}>
                    {r.error_message}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={NOWRAP} title={formatTime(r.started_at ?? r.created_at)}>
                <StartedCell when={r.started_at ?? r.created_at} />
              </Table.Td>
              <Table.Td style={NOWRAP}>{formatDuration(r.duration_s)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.docs_in)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.docs_out)}</Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Button size="xs" variant="light" component={Link} to={r.status === 'running' || r.status === 'queued' ? `/live/${r.run_id}` : `/runs/${r.run_id}`}>
                    Open
                  </Button>
                  <Button size="xs" variant="default" onClick={() => onRerun(r.run_id)} loading={rerunning === r.run_id}>
                    Re-run
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => onDelete(r)}
                    disabled={r.status === 'running' || r.status === 'queued'}
                    aria-label={`Delete run ${r.name}`}
                  >
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
