/**
 * The renderer's entry: the style nonce first (the host's CSP allows only `<style>` tags with it),
 * then the providers every page relies on: Mantine (theme, color scheme), react-query, the
 * service client, the shell, and the hash router (works at `app://curator/` and under serve).
 */
import '@mantine/core/styles.css';
import './styles/app.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { createClient, CuratorProvider } from './api';
import { App } from './app/App';
import { styleNonce } from './app/nonce';
import { colorSchemeManager, theme } from './app/theme';
import { createShell, ShellProvider } from './shell';

if (styleNonce) setNonce(styleNonce);
const nonce = styleNonce;

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } });
const client = createClient();
const shell = createShell();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager} getStyleNonce={nonce ? () => nonce : undefined}>
        <QueryClientProvider client={queryClient}>
          <CuratorProvider client={client}>
            <ShellProvider shell={shell}>
              <HashRouter>
                <App />
              </HashRouter>
            </ShellProvider>
          </CuratorProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
