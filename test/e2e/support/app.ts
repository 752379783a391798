// Page helpers shared by the browser and the Electron end-to-end tests. They drive the app only
// through the accessible names the pages promise (roles and labels), so one flow runs in both hosts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { ROOT } from './serve.js';

/** Where page screenshots go. */
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts/screenshots');

/** The backends as the Backend combobox names them. */
export const BACKENDS = ['Xenna', 'Ray Data', 'Ray Actor Pool'] as const;
export type BackendLabel = (typeof BACKENDS)[number];

/** A finished (or waiting) run's status as the pages show it. */
export type StatusLabel = 'Succeeded' | 'Failed' | 'Cancelled' | 'Interrupted' | 'Running' | 'Queued';

/** How long a run may take on a slow 2-core machine before the test gives up. */
export const RUN_TIMEOUT = 60_000;

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Collects console errors, uncaught page errors and any Content-Security-Policy message of a page;
 * `check()` fails the test when there were any (and forgets them, for the next test on the page).
 */
export function guardConsole(page: Page): { check: () => void } {
  const problems: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' || /Content Security Policy/i.test(text)) problems.push(`console ${m.type()}: ${text}${m.location().url ? ` (${m.location().url})` : ''}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    check: () => {
      const found = problems.splice(0);
      expect(found, 'the page logged errors or CSP violations').toEqual([]);
    },
  };
}

/** Opens a sidebar page by its link ("Run", "Pipeline", "History", "Hardware", "Settings"). */
export async function openPage(page: Page, name: 'Run' | 'Pipeline' | 'History' | 'Hardware' | 'Settings'): Promise<void> {
  await page.getByRole('link', { name, exact: true }).click();
}

/**
 * Chooses an option of a combobox by its label (or value), whether it is a native `<select>`
 * or a listbox-style combobox. `option` may be a substring when `exact` is false.
 */
export async function chooseOption(page: Page, combobox: Locator, option: string, exact = true): Promise<void> {
  await expect(combobox).toBeVisible();
  const isNative = await combobox.evaluate((el) => el.tagName === 'SELECT');
  if (isNative) {
    const options = await combobox.locator('option').evaluateAll((els) => els.map((o) => ({ value: (o as HTMLOptionElement).value, label: (o.textContent ?? '').trim() })));
    const want = option.toLowerCase();
    const match = options.find((o) => o.label === option || o.value === option) ?? (exact ? undefined : options.find((o) => o.label.toLowerCase().includes(want) || o.value.toLowerCase().includes(want)));
    if (!match) throw new Error(`no option "${option}" in ${await combobox.getAttribute('aria-label') ?? 'the combobox'}; options: ${options.map((o) => o.label).join(', ')}`);
    await combobox.selectOption({ value: match.value });
    return;
  }
  await combobox.click();
  await page.getByRole('option', { name: option, exact }).first().click();
}

/** The run id in the address bar (`#/live/<id>` or `#/runs/<id>`), waiting for it to appear. */
export async function runIdFromUrl(page: Page): Promise<string> {
  await page.waitForURL(/#\/(live|runs)\/[^/?#]+/, { timeout: RUN_TIMEOUT });
  const m = /#\/(?:live|runs)\/([^/?#]+)/.exec(page.url());
  if (!m?.[1]) throw new Error(`no run id in ${page.url()}`);
  return decodeURIComponent(m[1]);
}

/**
 * On the Run page: chooses a template and a backend, presses Run and waits for the live view of
 * the new run; answers its run id.
 */
export async function runTemplate(page: Page, o: { template: string; backend: BackendLabel }): Promise<string> {
  await openPage(page, 'Run');
  await chooseOption(page, page.getByRole('combobox', { name: 'Template', exact: true }), o.template, false);
  await chooseOption(page, page.getByRole('combobox', { name: 'Backend', exact: true }), o.backend);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  return startedRunId(page);
}

/**
 * After pressing Run: the new run's id once the live view opens; fails at once with the page's
 * message when the app refuses to start the run (an alert that "cannot run").
 */
export async function startedRunId(page: Page): Promise<string> {
  const refused = page.getByRole('main').getByRole('alert').filter({ hasText: /cannot run|could not start/i }).first();
  const started = page.waitForURL(/#\/(live|runs)\/[^/?#]+/, { timeout: RUN_TIMEOUT }).then(() => 'started' as const, () => 'timeout' as const);
  const failed = refused.waitFor({ state: 'visible', timeout: RUN_TIMEOUT }).then(() => 'refused' as const, () => 'timeout' as const);
  const first = await Promise.race([started, failed]);
  if (first === 'refused') throw new Error(`the app did not start the run: ${await refused.innerText()}`);
  if ((await started) === 'timeout') throw new Error(`no live view of a new run within ${RUN_TIMEOUT / 1000} s (still at ${page.url()})`);
  return runIdFromUrl(page);
}

/** Waits until the page shows the run's status as text (exact, e.g. "Succeeded"). */
export async function expectFinished(page: Page, status: StatusLabel, timeout = RUN_TIMEOUT): Promise<void> {
  const main = page.getByRole('main');
  const other = (['Succeeded', 'Failed', 'Cancelled', 'Interrupted'] as const).filter((s) => s !== status);
  const shown = main.getByText(status, { exact: true }).first();
  const wrong = main.getByText(new RegExp(`^(${other.join('|')})$`)).first();
  // Fail fast (with the page's own error text in the report) when the run ends another way.
  await expect(shown.or(wrong)).toBeVisible({ timeout });
  if (await wrong.isVisible()) {
    const text = (await main.innerText()).slice(0, 2000);
    throw new Error(`expected the run to end "${status}", but the page says "${await wrong.innerText()}":\n${text}`);
  }
}

/** The "Open" control of a History row (a link to the run, or a button). */
export function openControl(scope: Page | Locator): Locator {
  return scope.getByRole('button', { name: 'Open', exact: true }).or(scope.getByRole('link', { name: 'Open', exact: true }));
}

/** The run rows of History's "Runs" table (those with an "Open" control). */
export function historyRows(page: Page): Locator {
  return page.getByRole('table', { name: 'Runs', exact: true }).getByRole('row').filter({ has: openControl(page) });
}
