// The frame: sidebar links, the live-runs indicator driven by the global subscription, and the
// query refresh when a run finishes.
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CuratorClient, CuratorEvent, CuratorEventListener, RunSummary } from '../../../../runner/service/contract';
import { Sidebar } from '../../../../renderer/src/app/Sidebar';
import { RunActivityProvider } from '../../../../renderer/src/app/run-activity';
import { renderWithProviders } from '../render';

function fakeClient() {
  const listeners: CuratorEventListener[] = [];
  const client: Partial<CuratorClient> = {
    listRuns: vi.fn(async () => ({ total: 0, runs: [] })),
    subscribe: vi.fn((runId: string | null, l: CuratorEventListener) => {
      expect(runId).toBeNull();
      listeners.push(l);
      return () => undefined;
    }),
  };
  const emit = (e: CuratorEvent): void => act(() => listeners.forEach((l) => l(e)));
  return { client, emit };
}

describe('app frame', () => {
  it('names the sidebar links and shows live runs while one is active', async () => {
    const { client, emit } = fakeClient();
    const { queryClient } = renderWithProviders(
      <RunActivityProvider>
        <Sidebar />
      </RunActivityProvider>,
      { client, route: '/history' },
    );
    for (const name of ['Run', 'Pipeline', 'History', 'Hardware', 'Settings']) expect(screen.getByRole('link', { name })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'History' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByRole('link', { name: /Live runs/ })).toBeNull();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    emit({ type: 'run_started', run_id: 'r1', t: 0, pipeline: 'p', backend: 'xenna', execution_mode: null, stages: [] });
    const live = await screen.findByRole('link', { name: /Live runs/ });
    expect(live.getAttribute('href')).toBe('/live');
    emit({ type: 'run_finished', run_id: 'r1', t: 1, summary: {} as RunSummary });
    await waitFor(() => expect(screen.queryByRole('link', { name: /Live runs/ })).toBeNull());
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['runs'] });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['run', 'r1'] });
  });
});
