import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { setNonce } from 'get-nonce';
import { createRoot } from 'react-dom/client';

// The host puts a per-response style nonce into the page (its CSP allows only styles with it).
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
if (nonce) setNonce(nonce);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <MantineProvider getStyleNonce={nonce ? () => nonce : undefined}>
      <main>Curator Desktop</main>
    </MantineProvider>,
  );
}
