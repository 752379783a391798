// Cancelling a long run from the live view: a pipeline of 200 synthetic tasks that each wait
// half a second (about 100 s), opened in the builder, run, and cancelled once it is running.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectFinished, guardConsole, openPage, shot, startedRunId } from '../support/app.js';
import { startServe, type CuratorServe } from '../support/serve.js';

const LONG_PIPELINE = `# A long run for the cancel test: 200 tasks of half a second each.
name: long-run
description: Synthetic documents through a slow stage, to be cancelled
stages:
  - stage: SyntheticDocuments
    params: { num_tasks: 200 }
  - stage: BusyStage
    params: { sleep_ms_per_task: 500 }
executor:
  backend: xenna
`;

test.use({ actionTimeout: 20_000 });

let serve: CuratorServe;
let page: Page;
let dir: string;

test.beforeAll(async ({ browser }) => {
  serve = await startServe();
  dir = mkdtempSync(path.join(tmpdir(), 'curator-e2e-cancel-'));
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page?.close();
  await serve?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a long run is cancelled from the live view and ends "Cancelled"', async () => {
  const guard = guardConsole(page);
  const file = path.join(dir, 'long-run.yaml');
  writeFileSync(file, LONG_PIPELINE);
  await page.goto(serve.url);
  await openPage(page, 'Pipeline');

  // "Open pipeline" asks for a file (a file chooser in the browser, a dialog in the app).
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open pipeline', exact: true }).click();
  await (await chooser).setFiles(file);
  await expect(page.getByRole('main').getByText(/SyntheticDocuments|synthetic_documents/).first()).toBeVisible();

  await page.getByRole('main').getByRole('button', { name: 'Run', exact: true }).click();
  const runId = await startedRunId(page);
  const main = page.getByRole('main');
  await expect(main.getByText('Running', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  // Live while it runs: the slow stage's row and the overall progress.
  await expect(main.getByRole('table', { name: 'Stages', exact: true }).getByRole('row').filter({ hasText: 'busy' })).toBeVisible();
  await expect(main.getByRole('progressbar', { name: 'Overall progress', exact: true })).toBeVisible();
  await shot(page, 'live-running');
  await main.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectFinished(page, 'Cancelled', 30_000);
  await shot(page, 'cancelled');

  await openPage(page, 'History');
  const row = page.getByRole('table', { name: 'Runs', exact: true }).getByRole('row').filter({ hasText: 'long-run' });
  await expect(row.getByText('Cancelled', { exact: true })).toBeVisible();
  expect(runId).not.toBe('');
  guard.check();
});
