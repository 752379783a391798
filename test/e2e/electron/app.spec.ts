// The desktop app itself, where an Electron binary exists: the same flow as the browser suite on
// the app's window, the renderer's isolation (no Node, exactly the API on window.curator), and no
// worker process left after quitting. Elsewhere the suite is skipped with one line of reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { API_METHODS } from '../../../runner/service/schemas.js';
import { BACKENDS, expectFinished, guardConsole, historyRows, openPage, runTemplate, shot } from '../support/app.js';
import { electronBinary, ELECTRON_SKIP_REASON } from '../support/electron.js';
import { alive, descendants, processesWithEnv } from '../support/procs.js';
import { ROOT } from '../support/serve.js';

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

test.describe.configure({ mode: 'serial' });
test.skip(!binary, ELECTRON_SKIP_REASON);
test.skip(Boolean(binary) && noDisplay, 'no display for the Electron window on this Linux machine; run the suite under xvfb-run.');

let app: ElectronApplication;
let page: Page;
let home: string;
let guard: { check: () => void };

test.beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'curator-e2e-electron-'));
  app = await _electron.launch({ executablePath: binary ?? undefined, args: ['.'], cwd: ROOT, env: { ...process.env, CURATOR_HOME: home } as Record<string, string> });
  page = await app.firstWindow();
  guard = guardConsole(page);
});

test.afterEach(() => guard?.check());

test.afterAll(async () => {
  if (app) await app.close().catch(() => undefined);
  if (home) rmSync(home, { recursive: true, force: true });
});

test('the renderer has no Node and exactly the service API on window.curator', async () => {
  await expect(page.getByRole('link', { name: 'Run', exact: true })).toBeVisible();
  const seen = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { process: typeof w.process, require: typeof w.require, curator: Object.keys((w.curator ?? {}) as object).sort() };
  });
  expect(seen.process).toBe('undefined');
  expect(seen.require).toBe('undefined');
  expect(seen.curator).toEqual([...API_METHODS, 'subscribe'].sort());
});

for (const backend of BACKENDS) {
  test(`runs the quick-start template on ${backend} until "Succeeded"`, async () => {
    await runTemplate(page, { template: 'quickstart', backend });
    await expect(page.getByRole('main').getByRole('table', { name: 'Stages', exact: true }).getByRole('row').filter({ hasText: 'inspect' })).toBeVisible();
    await expectFinished(page, 'Succeeded');
    if (backend === 'Xenna') await shot(page, 'electron-live-run');
  });
}

test('History lists the runs', async () => {
  await openPage(page, 'History');
  const rows = historyRows(page);
  await expect(rows).toHaveCount(BACKENDS.length);
  await shot(page, 'electron-history');
});

test('quitting leaves no worker process behind', async () => {
  const main = app.process().pid;
  if (main === undefined) throw new Error('the Electron app has no process id');
  const before = descendants(main) ?? [];
  await app.close();
  await expect.poll(() => alive(before), { timeout: 15_000, message: 'child processes of the app still alive after quitting' }).toEqual([]);
  const left = processesWithEnv('CURATOR_HOME', home);
  if (left) expect(left, 'processes of this app (its CURATOR_HOME) still alive after quitting').toEqual([]);
});
