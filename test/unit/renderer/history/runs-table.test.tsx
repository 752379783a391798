import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { RunDetail, RunList, RunListItem, RunListQuery } from '../../../../runner/service/contract';
import HistoryPage, { PAGE_SIZE } from '../../../../renderer/src/pages/history/HistoryPage';
import { renderWithProviders } from '../render';

function item(n: number, over: Partial<RunListItem> = {}): RunListItem {
  return {
    run_id: `run-${n}`,
    name: `run number ${n}`,
    status: 'succeeded',
    backend: 'xenna',
    execution_mode: 'streaming',
    source: 'serve',
    created_at: '2025-01-02T10:00:00.000Z',
    started_at: '2025-01-02T10:00:01.000Z',
    ended_at: '2025-01-02T10:00:05.000Z',
    duration_s: 4.2,
    docs_in: 138,
    docs_out: 40,
    error_message: null,
    ...over,
  };
}

/** A fake listRuns over 60 runs that honours status, backend, text, sort and paging like the history does. */
function fakeHistory() {
  const all = Array.from({ length: 60 }, (_, i) =>
    item(i + 1, { status: i % 3 === 0 ? 'failed' : i % 3 === 1 ? 'cancelled' : 'succeeded', backend: i % 2 ? 'ray_data' : 'xenna', ...(i % 3 === 0 ? { error_message: 'stage x broke' } : {}) }),
  );
  const listRuns = vi.fn(async (q: RunListQuery = {}): Promise<RunList> => {
    let runs = all.filter((r) => (!q.status || q.status.includes(r.status)) && (!q.backend || q.backend.includes(r.backend)) && (!q.text || r.name.includes(q.text)));
    const total = runs.length;
    runs = runs.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 50));
    return { total, runs };
  });
  return { all, listRuns };
}

function Where() {
  return <output aria-label="Location">{useLocation().pathname}</output>;
}

const lastQuery = (fn: ReturnType<typeof vi.fn>) => fn.mock.calls.at(-1)?.[0] as RunListQuery;

describe('History: the run table', () => {
  it('shows each run with its status as text, backend, name and document counts', async () => {
    const { listRuns } = fakeHistory();
    renderWithProviders(<HistoryPage />, { client: { listRuns } });
    const table = await screen.findByRole('table', { name: 'Runs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(PAGE_SIZE);
    const first = rows[0] as HTMLElement;
    expect(within(first).getByText('Failed')).toBeTruthy();
    expect(within(first).getByText('run number 1')).toBeTruthy();
    expect(within(first).getByText('Xenna')).toBeTruthy();
    expect(within(first).getByText('stage x broke')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('Cancelled')).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText('Succeeded')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('Ray Data')).toBeTruthy();
    expect(first.textContent).toContain('138');
    expect(first.textContent).toContain('4.2 s');
    expect(lastQuery(listRuns)).toEqual({ sort: 'started_at', order: 'desc', limit: PAGE_SIZE, offset: 0 });
  });

  it('sorts by a column header on the server and flips the order on a second click', async () => {
    const user = userEvent.setup();
    const { listRuns } = fakeHistory();
    renderWithProviders(<HistoryPage />, { client: { listRuns } });
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ sort: 'name', order: 'asc', offset: 0 }));
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ sort: 'name', order: 'desc' }));
    await user.click(screen.getByRole('button', { name: /^Duration/ }));
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ sort: 'duration', order: 'desc' }));
  });

  it('pages through the runs with offsets of the page size', async () => {
    const user = userEvent.setup();
    const { listRuns } = fakeHistory();
    renderWithProviders(<HistoryPage />, { client: { listRuns } });
    await screen.findByText(`Runs 1–${PAGE_SIZE} of 60`);
    await user.click(screen.getByRole('button', { name: 'Page 3' }));
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ offset: 2 * PAGE_SIZE, limit: PAGE_SIZE }));
    await screen.findByText(`Runs 51–60 of 60`);
    expect(within(screen.getByRole('table', { name: 'Runs' })).getAllByRole('row')).toHaveLength(11);
  });

  it('filters by status, backend and search text through the query, back on page one', async () => {
    const user = userEvent.setup();
    const { listRuns } = fakeHistory();
    renderWithProviders(<HistoryPage />, { client: { listRuns } });
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(screen.getByRole('button', { name: 'Page 2' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Failed');
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ status: ['failed'], offset: 0 }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Backend filter' }), 'Ray Data');
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ status: ['failed'], backend: ['ray_data'] }));
    await user.type(screen.getByRole('searchbox', { name: 'Search runs' }), 'number 1');
    await waitFor(() => expect(lastQuery(listRuns)).toMatchObject({ text: 'number 1', status: ['failed'], backend: ['ray_data'] }));
    const rows = within(screen.getByRole('table', { name: 'Runs' })).getAllByRole('row').slice(1);
    for (const r of rows) expect(r.textContent).toContain('Failed');
  });

  it('re-runs a run with its recorded pipeline, backend and config, then opens its live view', async () => {
    const user = userEvent.setup();
    const { listRuns, all } = fakeHistory();
    const pipeline = { name: 'dedup', stages: [{ stage: 'JsonlReader', params: { file_paths: '/data/in' } }], executor: { backend: 'xenna', config: {} } };
    const detail = { ...(all[1] as RunListItem), pipeline, config: { execution_mode: 'batch', autoscale_interval_s: 5 } } as unknown as RunDetail;
    const getRun = vi.fn(async () => detail);
    const validatePipeline = vi.fn(async () => ({ valid: true as const, name: 'dedup', description: null, backend: 'ray_data' as const, config: {}, stages: [], warnings: [], runs_external_commands: false, external_commands: [] }));
    const startRun = vi.fn(async () => ({ run_id: 'new-run', status: 'running' as const, position: 0, runs_external_commands: false }));
    renderWithProviders(
      <>
        <HistoryPage />
        <Where />
      </>,
      { client: { listRuns, getRun, validatePipeline, startRun } },
    );
    const table = await screen.findByRole('table', { name: 'Runs' });
    const row = within(table).getAllByRole('row')[2] as HTMLElement;
    await user.click(within(row).getByRole('button', { name: 'Re-run' }));
    await waitFor(() => expect(startRun).toHaveBeenCalledTimes(1));
    expect(getRun).toHaveBeenCalledWith({ run_id: 'run-2' });
    expect(startRun).toHaveBeenCalledWith({ pipeline, backend: 'ray_data', config: { execution_mode: 'batch', autoscale_interval_s: 5 }, name: 'run number 2' });
    await waitFor(() => expect(screen.getByRole('status', { name: 'Location' }).textContent).toBe('/live/new-run'));
  });

  it('opens a run from its row', async () => {
    const { listRuns } = fakeHistory();
    renderWithProviders(<HistoryPage />, { client: { listRuns } });
    const table = await screen.findByRole('table', { name: 'Runs' });
    const open = within(within(table).getAllByRole('row')[1] as HTMLElement).getByRole('link', { name: 'Open' });
    expect(open.getAttribute('href')).toBe('/runs/run-1');
  });

  it('deletes a run after asking', async () => {
    const user = userEvent.setup();
    const { listRuns } = fakeHistory();
    const deleteRun = vi.fn(async () => ({ deleted: true as const }));
    renderWithProviders(<HistoryPage />, { client: { listRuns, deleteRun } });
    await screen.findByRole('table', { name: 'Runs' });
    await user.click(screen.getByRole('button', { name: 'Delete run run number 3' }));
    await user.click(await screen.findByRole('button', { name: 'Delete run' }));
    await waitFor(() => expect(deleteRun).toHaveBeenCalledWith({ run_id: 'run-3' }));
  });
});
