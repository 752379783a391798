// One document shown whole: a field per row, long text wrapped.
import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export function DocumentCard({ title, badge, fields, footer, label }: { title: string; badge?: ReactNode; fields: Record<string, unknown>; footer?: ReactNode; label: string }) {
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={label}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {title}
          </Text>
          {badge}
        </Group>
        <Table fz="sm" verticalSpacing={4} layout="fixed">
          <Table.Tbody>
            {Object.entries(fields).map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={110} style={{ verticalAlign: 'top' }}>
                  {k}
                </Table.Th>
                <Table.Td style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{typeof v === 'string' ? v : JSON.stringify(v)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {footer}
      </Stack>
    </Paper>
  );
}

/** The detail of a removal (score, filter, similarity...) as small badges. */
export function DetailBadges({ detail }: { detail: Record<string, unknown> }) {
  const entries = Object.entries(detail).filter(([k]) => k !== 'duplicate_of');
  if (!entries.length) return null;
  return (
    <Group gap={4}>
      {entries.map(([k, v]) => (
        <Badge key={k} variant="outline" color="gray" tt="none">
          {`${k}: ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : String(v)}`}
        </Badge>
      ))}
    </Group>
  );
}
