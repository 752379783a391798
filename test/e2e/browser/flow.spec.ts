// The whole flow of the issue in a real browser against `curator serve`: open the app, run the
// quick-start template on each backend and watch it live, run dedup, find the runs in History,
// open one, browse its outputs and removed documents, compare two runs, and visit every page.
// One server and one page for the file; the tests run in order and build on each other.
import { expect, test, type Page } from '@playwright/test';
import { BACKENDS, chooseOption, expectFinished, guardConsole, historyRows, openControl, openPage, RUN_TIMEOUT, runTemplate, shot } from '../support/app.js';
import { startServe, type CuratorServe } from '../support/serve.js';

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

let serve: CuratorServe;
let page: Page;
let guard: { check: () => void };
const runs: Record<string, string> = {};

test.beforeAll(async ({ browser }) => {
  serve = await startServe();
  page = await browser.newPage();
  guard = guardConsole(page);
});

test.afterEach(() => guard.check());

test.afterAll(async () => {
  await page?.close();
  await serve?.stop();
});

test('opens the app from the printed link, with the sidebar and the start page', async () => {
  await page.goto(serve.url);
  for (const name of ['Run', 'Pipeline', 'History', 'Hardware', 'Settings']) await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Template', exact: true })).toBeVisible();
  const backend = page.getByRole('combobox', { name: 'Backend', exact: true });
  await expect(backend).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  // The token leaves the address bar once the cookie holds it.
  await expect.poll(() => page.url()).not.toContain('token=');
  await shot(page, 'run');
});

for (const backend of BACKENDS) {
  test(`runs the quick-start template on ${backend} and watches it live until "Succeeded"`, async () => {
    const runId = await runTemplate(page, { template: 'quickstart', backend });
    runs[backend] = runId;
    const main = page.getByRole('main');
    // Per-stage rows (the quick-start's pass-through stage is named "inspect") and overall progress.
    await expect(main.getByRole('table', { name: 'Stages', exact: true }).getByRole('row').filter({ hasText: 'inspect' })).toBeVisible({ timeout: RUN_TIMEOUT });
    await expect(main.getByRole('progressbar', { name: 'Overall progress', exact: true })).toBeVisible();
    await expectFinished(page, 'Succeeded');
    await expect(main.getByText('138').first()).toBeVisible();
    if (backend === 'Xenna') await shot(page, 'live-run');
  });
}

test('runs the dedup template: 138 documents in, 62 out (49 exact and 27 fuzzy duplicates removed)', async () => {
  runs.dedup = await runTemplate(page, { template: 'dedup', backend: 'Xenna' });
  await expectFinished(page, 'Succeeded');
  const main = page.getByRole('main');
  await expect(main.getByText('138').first()).toBeVisible();
  await expect(main.getByText('62').first()).toBeVisible();
});

test('History lists the four runs, filters them by status and finds one by search', async () => {
  await openPage(page, 'History');
  const table = page.getByRole('table', { name: 'Runs', exact: true });
  const rows = historyRows(page);
  const count = Object.keys(runs).length; // 4 when every run above started
  await expect(rows).toHaveCount(count);
  for (const b of BACKENDS) if (runs[b]) await expect(table.getByRole('cell', { name: b, exact: true }).first()).toBeVisible();
  await expect(table.getByText('Succeeded', { exact: true })).toHaveCount(count);

  const status = page.getByRole('combobox', { name: 'Status', exact: true });
  await chooseOption(page, status, 'Failed');
  await expect(rows).toHaveCount(0);
  await chooseOption(page, status, 'Succeeded');
  await expect(rows).toHaveCount(count);

  await page.getByRole('searchbox', { name: 'Search runs', exact: true }).fill('dedup');
  await expect(rows).toHaveCount(1);
  await shot(page, 'history');
  await openControl(rows.first()).click();
  await page.waitForURL(new RegExp(`#/runs/${runs.dedup}`));
});

test('the run detail shows the summary and the funnel, then its outputs page by page', async () => {
  const main = page.getByRole('main');
  for (const name of ['Summary', 'Pipeline', 'Outputs', 'Removed documents', 'Logs', 'Charts']) await expect(main.getByRole('tab', { name, exact: true })).toBeVisible();
  await expect(main.getByText('Succeeded', { exact: true }).first()).toBeVisible();
  const funnel = main.getByRole('table', { name: 'Documents through the stages', exact: true });
  await expect(funnel.getByText('exact_duplicate: 49')).toBeVisible();
  await expect(funnel.getByText('fuzzy_duplicate: 27')).toBeVisible();
  await shot(page, 'run-detail');

  await main.getByRole('tab', { name: 'Outputs', exact: true }).click();
  const panel = page.getByRole('tabpanel', { name: 'Outputs', exact: true });
  await expect(panel.getByText(/^62 documents in \d+ files?/)).toBeVisible();
  const docs = panel.getByRole('table', { name: 'Output documents', exact: true });
  await expect(docs.getByRole('button', { name: 'Show document 1', exact: true })).toBeVisible();
  await panel.getByRole('button', { name: 'Outputs page 2', exact: true }).click();
  await expect(docs.getByRole('button', { name: 'Show document 21', exact: true })).toBeVisible();
  await docs.getByRole('button', { name: 'Show document 21', exact: true }).click();
  await expect(docs.getByText(/"id": "doc-\d+"/)).toBeVisible();
  await shot(page, 'outputs');
});

test('the removed documents explorer shows a reason\'s samples and, for a duplicate, the kept document beside it', async () => {
  const main = page.getByRole('main');
  await main.getByRole('tab', { name: 'Removed documents', exact: true }).click();
  const panel = page.getByRole('tabpanel', { name: 'Removed documents', exact: true });
  await expect(panel.getByText('76 documents removed in all', { exact: false })).toBeVisible();
  const reasons = panel.getByRole('table', { name: 'Removal reasons', exact: true });
  await expect(reasons.getByRole('row').filter({ hasText: 'exact_duplicate' })).toContainText('49');
  await reasons.getByRole('button', { name: 'fuzzy_duplicate', exact: true }).click();
  await expect(panel.getByText(/^Examples of fuzzy_duplicate/)).toBeVisible();
  const removed = panel.getByRole('region', { name: 'Removed document 1', exact: true });
  const kept = panel.getByRole('region', { name: 'Kept document', exact: true }).first();
  await expect(removed).toBeVisible();
  await expect(kept).toBeVisible();
  // Side by side: the kept document is the one the removed document names as its original.
  const keptId = /doc-\d{4}/.exec(await kept.innerText())?.[0];
  expect(keptId, 'the kept document shows its id').toBeTruthy();
  await expect(removed).toContainText(keptId ?? '');
  const [a, b] = [await removed.boundingBox(), await kept.boundingBox()];
  expect(a && b && Math.abs(a.y - b.y) < 5 && b.x > a.x, 'the kept document sits beside the removed one').toBe(true);
  await shot(page, 'removed');
});

test('compares the dedup run with a quick-start run', async () => {
  const main = page.getByRole('main');
  await chooseOption(page, main.getByRole('combobox', { name: 'Compare with', exact: true }), `quickstart · xenna`, false);
  await page.waitForURL(new RegExp(`[?&]compare=${runs.Xenna}`));
  const panel = page.getByRole('tabpanel', { name: 'Comparison', exact: true });
  await expect(panel.getByRole('table', { name: 'Documents per stage in both runs', exact: true })).toBeVisible();
  await expect(panel.getByText(/dedup/).first()).toBeVisible();
  await expect(panel.getByText(/quickstart/).first()).toBeVisible();
  await shot(page, 'compare');
});

test('Hardware shows the CPU and memory, and GPUs or why there are none', async () => {
  await openPage(page, 'Hardware');
  const main = page.getByRole('main');
  await expect(main.getByText(/CPU/).first()).toBeVisible();
  await expect(main.getByText(/memory/i).first()).toBeVisible();
  await expect(main.getByText(/GPU/).first()).toBeVisible();
  await shot(page, 'hardware');
});

test('Settings shows the data folder, the runs at once and the theme', async () => {
  await openPage(page, 'Settings');
  await expect(page.getByRole('textbox', { name: 'Data folder', exact: true })).toHaveValue(serve.home);
  await expect(page.getByLabel('Runs at once', { exact: true })).toHaveValue('1');
  await expect(page.getByRole('combobox', { name: 'Theme', exact: true })).toBeVisible();
  await shot(page, 'settings');
});

test('the Pipeline builder opens', async () => {
  await openPage(page, 'Pipeline');
  await expect(page.getByRole('button', { name: 'Add stage', exact: true })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'YAML', exact: true })).toBeVisible();
  await shot(page, 'pipeline');
});
