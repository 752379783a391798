// A recorded run's log, a page at a time, filtered by level in the history.
import { Alert, Group, Pagination, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiErrorOf, useCurator } from '../../api';
import { formatCount } from '../../components/formatters';
import { levelsFrom, LogLevelSelect, LogView, type LogLevelChoice } from '../../components/LogView';

/** Log lines per page. */
export const LOG_PAGE = 200;

export function LogsTab({ runId }: { runId: string }) {
  const api = useCurator();
  const [level, setLevel] = useState<LogLevelChoice>('debug');
  const [page, setPage] = useState(1);
  const logs = useQuery({
    queryKey: ['run', runId, 'logs', level, page],
    queryFn: () => api.runLogs({ run_id: runId, offset: (page - 1) * LOG_PAGE, limit: LOG_PAGE, ...(level === 'debug' ? {} : { level: levelsFrom(level) }) }),
    placeholderData: keepPreviousData,
  });
  const total = logs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / LOG_PAGE));
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <LogLevelSelect
          value={level}
          onChange={(v) => {
            setLevel(v);
            setPage(1);
          }}
        />
        <Text size="sm" c="dimmed">{`${formatCount(total)} lines`}</Text>
      </Group>
      {logs.isError && <Alert color="red">{apiErrorOf(logs.error).message}</Alert>}
      {logs.data && <LogView lines={logs.data.lines} height={520} empty="No log lines at this level" />}
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} getControlProps={(c) => ({ 'aria-label': `${c[0]?.toUpperCase() ?? ''}${c.slice(1)} log page` })} getItemProps={(p) => ({ 'aria-label': `Log page ${p}` })} />}
    </Stack>
  );
}
