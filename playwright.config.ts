// Browser end-to-end tests drive Debian's Chromium (never a downloaded browser) against
// `curator serve`; the Electron project drives the real app where an Electron binary exists.
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('no Chromium found: install Debian\'s chromium (apt-get install chromium) or set CHROMIUM_PATH');
}

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-artifacts/playwright',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  globalSetup: './test/e2e/global-setup.ts',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'browser', testMatch: 'browser/**/*.spec.ts' },
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
});
