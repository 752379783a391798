// `/history`: every recorded run, filtered, searched, sorted and paged by the history itself.
import { Alert, Button, Group, Modal, NativeSelect, Pagination, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RunListItem, RunListQuery } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { formatCount } from '../../components/formatters';
import { RunsTable, type SortKey, type SortOrder } from './RunsTable';
import { useRerun } from './use-rerun';

/** Runs per page. */
export const PAGE_SIZE = 25;

const STATUS_OPTIONS = [
  { value: '', label: 'All statuses' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'interrupted', label: 'Interrupted' },
  { value: 'running', label: 'Running' },
  { value: 'queued', label: 'Queued' },
];

const BACKEND_OPTIONS = [
  { value: '', label: 'All backends' },
  { value: 'xenna', label: 'Xenna' },
  { value: 'ray_data', label: 'Ray Data' },
  { value: 'ray_actor_pool', label: 'Ray Actor Pool' },
];

export default function HistoryPage() {
  const api = useCurator();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState('');
  const [backend, setBackend] = useState('');
  const [sort, setSort] = useState<SortKey>('started_at');
  const [order, setOrder] = useState<SortOrder>('desc');
  const [page, setPage] = useState(1);
  const [toDelete, setToDelete] = useState<RunListItem | null>(null);
  const rerun = useRerun();

  const query: RunListQuery = {
    sort,
    order,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    ...(text ? { text } : {}),
    ...(status ? { status: [status] } : {}),
    ...(backend ? { backend: [backend] } : {}),
  };
  const runs = useQuery({ queryKey: ['runs', 'list', query], queryFn: () => api.listRuns(query), placeholderData: keepPreviousData });
  const remove = useMutation({
    mutationFn: (runId: string) => api.deleteRun({ run_id: runId }),
    onSuccess: () => {
      setToDelete(null);
      void queryClient.invalidateQueries({ queryKey: ['runs'] });
    },
  });

  function onSort(key: SortKey) {
    if (key === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setOrder(key === 'name' || key === 'status' ? 'asc' : 'desc');
    }
    setPage(1);
  }

  const total = runs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);

  return (
    <Stack>
      <Title order={2}>History</Title>
      <Paper withBorder p="md" radius="md">
        <Group align="flex-end" gap="md" mb="md">
          <TextInput
            type="search"
            label="Search runs"
            placeholder="Name, error or run id"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            w={280}
          />
          <NativeSelect label="Status" data={STATUS_OPTIONS} value={status} onChange={(e) => { setStatus(e.currentTarget.value); setPage(1); }} />
          <NativeSelect label="Backend filter" data={BACKEND_OPTIONS} value={backend} onChange={(e) => { setBackend(e.currentTarget.value); setPage(1); }} />
        </Group>
        {rerun.error && (
          <Alert color="red" mb="md" title="Could not re-run">
            {rerun.error}
          </Alert>
        )}
        {runs.isError && (
          <Alert color="red" title="Could not list the runs">
            {apiErrorOf(runs.error).message}
          </Alert>
        )}
        {runs.isPending && <Text c="dimmed">Loading runs…</Text>}
        {runs.data && (
          <>
            <RunsTable runs={runs.data.runs} sort={sort} order={order} onSort={onSort} onRerun={(id) => void rerun.rerun(id)} onDelete={setToDelete} rerunning={rerun.busy} />
            {runs.data.runs.length === 0 && (
              <Text c="dimmed" ta="center" py="lg">
                {text || status || backend ? 'No run matches these filters.' : 'No runs yet. Start one on the Run page.'}
              </Text>
            )}
            <Group justify="space-between" mt="md">
              <Text size="sm" c="dimmed">
                {total ? `Runs ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}` : ''}
              </Text>
              {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} getControlProps={(c) => ({ 'aria-label': c === 'previous' ? 'Previous page' : c === 'next' ? 'Next page' : c === 'first' ? 'First page' : 'Last page' })} getItemProps={(p) => ({ 'aria-label': `Page ${p}` })} />}
            </Group>
          </>
        )}
      </Paper>
      {rerun.dialog}
      <Modal opened={toDelete !== null} onClose={() => setToDelete(null)} title="Delete this run?">
        <Stack>
          <Text size="sm">
            {`"${toDelete?.name ?? ''}" and its logs, metrics and removed-document samples leave the history. The files it wrote stay where they are.`}
          </Text>
          {remove.isError && <Alert color="red">{apiErrorOf(remove.error).message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setToDelete(null)}>
              Keep it
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => toDelete && remove.mutate(toDelete.run_id)}>
              Delete run
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
