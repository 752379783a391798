// Documents in and out of each stage: a table that reads well aloud, with a bar per stage for the eye.
import { Badge, Group, Progress, Table, Text } from '@mantine/core';
import { formatCount } from './formatters';

/** One stage of the funnel. */
export interface FunnelRow {
  name: string;
  items_in: number;
  items_out: number;
  /** Documents removed by reason. */
  removed?: Record<string, number>;
}

export interface FunnelProps {
  rows: FunnelRow[];
  caption?: string;
  /** Called with (stage, reason) when a removal reason is picked. */
  onReason?: (stage: string, reason: string) => void;
}

/** Documents a stage removed, when it says so. */
function removedOf(r: FunnelRow): number {
  return Object.values(r.removed ?? {}).reduce((n, c) => n + c, 0);
}

export function Funnel({ rows, caption = 'Documents per stage', onReason }: FunnelProps) {
  const widest = Math.max(1, ...rows.map((r) => Math.max(r.items_in, r.items_out)));
  return (
    <Table striped highlightOnHover captionSide="top" aria-label={caption}>
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Stage</Table.Th>
          <Table.Th scope="col" ta="right">
            In
          </Table.Th>
          <Table.Th scope="col" ta="right">
            Out
          </Table.Th>
          <Table.Th scope="col">Removed</Table.Th>
          <Table.Th scope="col" w="30%">
            <Text span size="xs" c="dimmed" aria-hidden>
              Kept and removed
            </Text>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => {
          const reasons = Object.entries(r.removed ?? {}).filter(([, n]) => n > 0);
          return (
            <Table.Tr key={r.name}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {r.name}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatCount(r.items_in)}</Table.Td>
              <Table.Td ta="right">{formatCount(r.items_out)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {reasons.length === 0 && (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                  {reasons.map(([reason, n]) =>
                    onReason ? (
                      <Badge key={reason} component="button" type="button" variant="light" color="red" tt="none" style={{ cursor: 'pointer' }} onClick={() => onReason(r.name, reason)}>
                        {`${reason}: ${formatCount(n)}`}
                      </Badge>
                    ) : (
                      <Badge key={reason} variant="light" color="red" tt="none">
                        {`${reason}: ${formatCount(n)}`}
                      </Badge>
                    ),
                  )}
                </Group>
              </Table.Td>
              <Table.Td aria-hidden>
                <Progress.Root size="lg">
                  <Progress.Section value={(r.items_out / widest) * 100} color="teal" />
                  <Progress.Section value={(removedOf(r) / widest) * 100} color="red.3" />
                </Progress.Root>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
