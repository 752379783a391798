// What a run wrote, a page of documents at a time.
import { Alert, Group, Pagination, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiErrorOf, useCurator } from '../../api';
import { DocumentTable } from '../../components/DocumentTable';
import { formatCount } from '../../components/formatters';

/** Documents per page. */
export const OUTPUT_PAGE = 20;

export function OutputsTab({ runId }: { runId: string }) {
  const api = useCurator();
  const [page, setPage] = useState(1);
  const out = useQuery({
    queryKey: ['run', runId, 'outputs', page],
    queryFn: () => api.previewOutput({ run_id: runId, offset: (page - 1) * OUTPUT_PAGE, limit: OUTPUT_PAGE, max_value_chars: 400 }),
    placeholderData: keepPreviousData,
  });
  if (out.isError) return <Alert color="red">{apiErrorOf(out.error).message}</Alert>;
  if (out.isPending) return <Text c="dimmed">Reading the outputs…</Text>;
  const d = out.data;
  const pages = Math.max(1, Math.ceil(d.total / OUTPUT_PAGE));
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {`${formatCount(d.total)} documents in ${d.files.length} file${d.files.length === 1 ? '' : 's'}`}
        {d.source === 'writer_folders' ? ' (what the writers’ folders hold now)' : ''}
      </Text>
      {d.problems.map((p) => (
        <Alert key={p} color="yellow" variant="light">
          {p}
        </Alert>
      ))}
      <DocumentTable documents={d.documents} fields={d.fields.map((f) => f.name)} caption="Output documents" firstIndex={d.offset} />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {d.clipped ? 'Long values are clipped; open a row to see the document.' : ''}
        </Text>
        {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} getControlProps={(c) => ({ 'aria-label': c === 'previous' ? 'Previous outputs page' : c === 'next' ? 'Next outputs page' : c === 'first' ? 'First outputs page' : 'Last outputs page' })} getItemProps={(p) => ({ 'aria-label': `Outputs page ${p}` })} />}
      </Group>
    </Stack>
  );
}
