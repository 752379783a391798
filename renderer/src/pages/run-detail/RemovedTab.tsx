// Which documents a run removed and why: reasons by stage with counts, then examples of one reason,
// each with its scores; a duplicate is shown beside the document that was kept.
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RemovalCount, RemovedSample } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { formatCount } from '../../components/formatters';
import { DetailBadges, DocumentCard } from './DocumentCard';
import { viewOfSample } from './removed-sample';

/** Examples per page. */
export const SAMPLES_PER_PAGE = 5;

function KeptDocument({ file, line }: { file: string; line: number }) {
  const api = useCurator();
  const kept = useQuery({ queryKey: ['input', file, line], queryFn: () => api.previewInput({ path: file, offset: line - 1, limit: 1, max_value_chars: 4000 }) });
  const doc = kept.data?.documents[0];
  if (kept.isPending) return <Text size="sm" c="dimmed">Reading the kept document…</Text>;
  if (kept.isError || !doc) {
    return (
      <Paper withBorder p="sm" radius="md">
        <Text size="sm" c="dimmed">
          {`The kept document (${file}, line ${line}) could not be read${kept.isError ? `: ${apiErrorOf(kept.error).message}` : ''}.`}
        </Text>
      </Paper>
    );
  }
  const fields = Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_curator_')));
  return <DocumentCard title="Kept document" label="Kept document" fields={fields} footer={<Text size="xs" c="dimmed">{`${file}, line ${line}`}</Text>} />;
}

function Sample({ sample, n }: { sample: RemovedSample; n: number }) {
  const v = viewOfSample(sample.document);
  const removed = (
    <DocumentCard
      title={`Removed document ${n}`}
      label={`Removed document ${n}`}
      fields={v.fields}
      badge={<DetailBadges detail={v.detail} />}
      footer={v.origin ? <Text size="xs" c="dimmed">{`From ${v.origin}`}</Text> : undefined}
    />
  );
  if (!v.keptAt) return removed;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      {removed}
      <KeptDocument file={v.keptAt.file} line={v.keptAt.line} />
    </SimpleGrid>
  );
}

function ReasonTable({ reasons, picked, onPick }: { reasons: RemovalCount[]; picked: RemovalCount | null; onPick: (r: RemovalCount) => void }) {
  return (
    <Table highlightOnHover captionSide="top">
      <Table.Caption>Removal reasons</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Reason</Table.Th>
          <Table.Th scope="col">Stage</Table.Th>
          <Table.Th scope="col" ta="right">
            Documents
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {reasons.map((r) => {
          const active = picked?.stage === r.stage && picked.reason === r.reason;
          return (
            <Table.Tr key={`${r.stage}/${r.reason}`} bg={active ? 'var(--mantine-color-blue-light)' : undefined}>
              <Table.Td>
                <UnstyledButton onClick={() => onPick(r)} aria-pressed={active} fw={active ? 700 : 500} c="blue">
                  {r.reason}
                </UnstyledButton>
              </Table.Td>
              <Table.Td ff="monospace">{r.stage}</Table.Td>
              <Table.Td ta="right">{formatCount(r.count)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function RemovedTab({ runId, initial }: { runId: string; initial?: { stage: string; reason: string } | undefined }) {
  const api = useCurator();
  const [picked, setPicked] = useState<RemovalCount | null>(initial ? { ...initial, count: 0 } : null);
  const [page, setPage] = useState(0);
  const overview = useQuery({ queryKey: ['run', runId, 'removed'], queryFn: () => api.removedDocuments({ run_id: runId, limit: 1 }) });
  const reasons = overview.data?.reasons ?? [];
  const current = (picked && reasons.find((r) => r.stage === picked.stage && r.reason === picked.reason)) ?? reasons[0] ?? null;
  const samples = useQuery({
    queryKey: ['run', runId, 'removed', current?.stage, current?.reason, page],
    queryFn: () => api.removedDocuments({ run_id: runId, stage: current?.stage ?? '', reason: current?.reason ?? '', offset: page * SAMPLES_PER_PAGE, limit: SAMPLES_PER_PAGE }),
    enabled: current !== null,
    placeholderData: keepPreviousData,
  });

  if (overview.isError) return <Alert color="red">{apiErrorOf(overview.error).message}</Alert>;
  if (overview.isPending) return <Text c="dimmed">Loading…</Text>;
  if (!reasons.length) return <Text c="dimmed">This run removed no documents.</Text>;

  const list = samples.data?.samples ?? [];
  return (
    <Stack>
      <Text size="sm">{`${formatCount(overview.data.total)} documents removed in all. Pick a reason to see examples.`}</Text>
      <Paper withBorder p="sm" radius="md">
        <ReasonTable
          reasons={reasons}
          picked={current}
          onPick={(r) => {
            setPicked(r);
            setPage(0);
          }}
        />
      </Paper>
      {current && (
        <Stack gap="sm">
          <Group justify="space-between">
            <Text fw={600}>{`Examples of ${current.reason} (${current.stage})`}</Text>
            <Group gap="xs">
              <Button size="xs" variant="default" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Previous examples
              </Button>
              <Button size="xs" variant="default" disabled={list.length < SAMPLES_PER_PAGE} onClick={() => setPage(page + 1)}>
                More examples
              </Button>
            </Group>
          </Group>
          {samples.isError && <Alert color="red">{apiErrorOf(samples.error).message}</Alert>}
          {samples.data && list.length === 0 && <Text c="dimmed">No examples were kept for this reason.</Text>}
          {list.map((s, i) => (
            <Sample key={`${page}-${i}`} sample={s} n={page * SAMPLES_PER_PAGE + i + 1} />
          ))}
          <Text size="xs" c="dimmed">
            The history keeps a limited number of examples of each reason; the counts above are exact.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
