import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real worker processes; keep the 2-core machines from thrashing.
    maxWorkers: 2,
    fileParallelism: true,
    // Every run the tests start records into a throw-away history, never the user's own.
    env: { CURATOR_HOME: mkdtempSync(path.join(tmpdir(), 'curator-test-home-')) },
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'] },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.tsx'],
          setupFiles: ['test/unit/renderer/setup.ts'],
        },
      },
    ],
  },
});
