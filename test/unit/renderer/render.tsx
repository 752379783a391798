// Renders a component the way the app does: Mantine (test mode), react-query, a router, the API
// client and the shell. Tests pass a client (a fake, or the real service behind a small adapter).
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { CuratorClient } from '../../../runner/service/contract';
import { CuratorProvider } from '../../../renderer/src/api/context';
import { ShellProvider } from '../../../renderer/src/shell/context';
import type { ShellApi } from '../../../renderer/src/shell/types';

export const testShell: ShellApi = {
  kind: 'browser',
  pickPath: async () => null,
  pathForFile: () => null,
  saveText: async ({ suggestedName }) => suggestedName,
  openText: async () => null,
  openExternal: async () => undefined,
};

export interface RenderOptions {
  client?: Partial<CuratorClient>;
  shell?: ShellApi;
  /** The URL to start at, e.g. "/runs/abc". */
  route?: string;
  /** The route pattern the element is mounted at, e.g. "/runs/:runId". */
  path?: string;
}

export function renderWithProviders(ui: ReactElement, opts: RenderOptions = {}): RenderResult & { queryClient: QueryClient } {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  const client = { subscribe: () => () => undefined, ...opts.client } as CuratorClient;
  const result = render(
    <MantineProvider env="test">
      <QueryClientProvider client={queryClient}>
        <CuratorProvider client={client}>
          <ShellProvider shell={opts.shell ?? testShell}>
            <MemoryRouter initialEntries={[opts.route ?? '/']}>
              <Routes>
                <Route path={opts.path ?? '*'} element={ui} />
              </Routes>
            </MemoryRouter>
          </ShellProvider>
        </CuratorProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, queryClient };
}
