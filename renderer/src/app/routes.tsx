/**
 * The app's routes (fixed, so that each page's owner never edits this file). Every page is its
 * own chunk, loaded on first visit: `pages/<x>/<X>Page.tsx` with a default export.
 */
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';

const RunPage = lazy(() => import('../pages/run/RunPage'));
const PipelinePage = lazy(() => import('../pages/pipeline/PipelinePage'));
const LivePage = lazy(() => import('../pages/live/LivePage'));
const HistoryPage = lazy(() => import('../pages/history/HistoryPage'));
const RunDetailPage = lazy(() => import('../pages/run-detail/RunDetailPage'));
const HardwarePage = lazy(() => import('../pages/hardware/HardwarePage'));
const SettingsPage = lazy(() => import('../pages/settings/SettingsPage'));

function PageLoader() {
  return (
    <Center h={200}>
      <Loader aria-label="Loading the page" />
    </Center>
  );
}

function NotFound() {
  return <p>There is no page here. Pick one from the sidebar.</p>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoader />}>
      <Routes>
        <Route path="/" element={<RunPage />} />
        <Route path="/pipeline" element={<PipelinePage />} />
        <Route path="/live" element={<LivePage />} />
        <Route path="/live/:runId" element={<LivePage />} />
        <Route path="/history" element={<HistoryPage />} />
        <Route path="/runs/:runId" element={<RunDetailPage />} />
        <Route path="/hardware" element={<HardwarePage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
