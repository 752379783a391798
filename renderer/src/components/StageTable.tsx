// The live state of each stage: workers, queues, items and speed.
import { Badge, Table } from '@mantine/core';
import { formatCount, formatRate } from './formatters';

/** One stage's live row (the engine's StageStatus, plus a measured rate). */
export interface StageTableRow {
  name: string;
  workers: { pending: number; ready: number; busy: number; idle: number; target: number };
  queue: { input: number; output: number };
  items: { in: number; out: number };
  done: boolean;
  /** Items out per second: over the last interval while running, the run's average once it has ended; null before two measurements. */
  rate: number | null;
}

const NUMERIC_COLUMNS = ['Workers', 'Queue in', 'Queue out', 'Items in', 'Items out', 'Throughput'] as const;

/** A stage's state as a word on a coloured badge. */
function StateBadge({ row, ended }: { row: StageTableRow; ended: boolean }) {
  const [label, color] = row.done ? ['Done', 'green'] : ended ? ['Stopped', 'red'] : row.workers.busy > 0 ? ['Working', 'blue'] : ['Waiting', 'gray'];
  return (
    <Badge size="sm" tt="none" color={color} variant="light">
      {label}
    </Badge>
  );
}

/** `ended`: the run is over, so a stage that is not done was stopped (by a failure or a cancel), not waiting. */
export function StageTable({ rows, ended = false }: { rows: StageTableRow[]; ended?: boolean }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped captionSide="top">
        <Table.Caption>Stages</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Stage</Table.Th>
            {NUMERIC_COLUMNS.map((c) => (
              <Table.Th key={c} scope="col" ta="right">
                {c}
              </Table.Th>
            ))}
            <Table.Th scope="col">State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.name}>
              <Table.Td ff="monospace">{r.name}</Table.Td>
              <Table.Td ta="right" title={`${r.workers.busy} busy, ${r.workers.idle} idle, ${r.workers.pending} starting, target ${r.workers.target}`}>
                {`${r.workers.ready + r.workers.pending}`}
                {r.workers.pending > 0 ? ` (${r.workers.pending} starting)` : ''}
              </Table.Td>
              <Table.Td ta="right">{formatCount(r.queue.input)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.queue.output)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.items.in)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.items.out)}</Table.Td>
              <Table.Td ta="right">{formatRate(r.rate)}</Table.Td>
              <Table.Td>
                <StateBadge row={r} ended={ended} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
