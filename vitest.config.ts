import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real worker processes; keep the 2-core machines from thrashing.
    maxWorkers: 2,
    fileParallelism: true,
    // Every run the tests start records into a throw-away history, never the user's own.
    env: { CURATOR_HOME: mkdtempSync(path.join(tmpdir(), 'curator-test-home-')) },
  },
});
