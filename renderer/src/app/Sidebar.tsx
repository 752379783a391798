// The sidebar: the five pages, and a live-runs link while runs are queued or running.
import { Badge, Box, Divider, NavLink, Stack } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useActiveRuns } from './run-activity';

interface Item {
  label: string;
  to: string;
  hint: string;
  /** Other paths that belong to this page (a run's detail belongs to History). */
  also?: RegExp;
}

const ITEMS: Item[] = [
  { label: 'Run', to: '/', hint: 'Start a run' },
  { label: 'Pipeline', to: '/pipeline', hint: 'Build and edit pipelines' },
  { label: 'History', to: '/history', hint: 'Past runs and their results', also: /^\/runs\// },
  { label: 'Hardware', to: '/hardware', hint: 'GPUs, CPU and memory' },
  { label: 'Settings', to: '/settings', hint: 'Data folder, runs at once, theme' },
];

function isActive(item: Item, path: string): boolean {
  if (item.to === '/') return path === '/';
  return path === item.to || path.startsWith(`${item.to}/`) || (item.also?.test(path) ?? false);
}

export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const active = useActiveRuns();
  return (
    <Stack gap={4} component="nav" aria-label="Pages">
      {ITEMS.map((item) => (
        <NavLink
          key={item.to}
          component={Link}
          to={item.to}
          label={item.label}
          active={isActive(item, pathname)}
          aria-current={isActive(item, pathname) ? 'page' : undefined}
          onClick={onNavigate}
          title={item.hint}
        />
      ))}
      {active.size > 0 && (
        <Box mt="sm">
          <Divider mb="sm" />
          <NavLink
            component={Link}
            to="/live"
            label="Live runs"
            active={pathname.startsWith('/live')}
            onClick={onNavigate}
            leftSection={<span className="live-dot" aria-hidden="true" />}
            rightSection={
              <Badge size="sm" variant="filled" circle aria-label={`${active.size} active`}>
                {active.size}
              </Badge>
            }
          />
        </Box>
      )}
    </Stack>
  );
}
