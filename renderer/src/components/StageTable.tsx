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
  /** Items out per second over the last interval; null before two measurements. */
  rate: number | null;
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
            <Table.Th scope="col" ta="right">
              Workers
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Queue in
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Queue out
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Items in
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Items out
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Throughput
            </Table.Th>
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
                {r.done ? (
                  <Badge size="sm" tt="none" color="green" variant="light">
                    Done
                  </Badge>
                ) : ended ? (
                  <Badge size="sm" tt="none" color="red" variant="light">
                    Stopped
                  </Badge>
                ) : r.workers.busy > 0 ? (
                  <Badge size="sm" tt="none" color="blue" variant="light">
                    Working
                  </Badge>
                ) : (
                  <Badge size="sm" tt="none" color="gray" variant="light">
                    Waiting
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
