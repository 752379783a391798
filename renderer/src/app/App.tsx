// The frame around every page: header, sidebar, the reconnecting banner and the page itself.
import { Alert, AppShell, Burger, Group, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useLocation } from 'react-router';
import { useConnectionStatus } from '../api';
import { ErrorBoundary } from './ErrorBoundary';
import { AppRoutes } from './routes';
import { RunActivityProvider } from './run-activity';
import { Sidebar } from './Sidebar';

function ConnectionBanner() {
  const status = useConnectionStatus();
  if (status !== 'reconnecting') return null;
  return (
    <Alert color="yellow" variant="filled" radius={0} role="status" py={6}>
      Reconnecting to the Curator service…
    </Alert>
  );
}

export function App() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  return (
    <RunActivityProvider>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Show the pages" />
              <span className="brand-mark" aria-hidden="true" />
              <Title order={1} size="h4" fw={700}>
                Curator Desktop
              </Title>
            </Group>
            <Text size="xs" c="dimmed" visibleFrom="sm">
              Local data curation
            </Text>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm">
          <Sidebar onNavigate={close} />
        </AppShell.Navbar>
        <AppShell.Main>
          <ConnectionBanner />
          <ErrorBoundary resetKey={pathname}>
            <AppRoutes />
          </ErrorBoundary>
        </AppShell.Main>
      </AppShell>
    </RunActivityProvider>
  );
}
