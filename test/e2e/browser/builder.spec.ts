// The Pipeline builder in a real browser: build a pipeline from the stage catalog, fix a
// validation error inline, validate it, see the same pipeline in the YAML view, and get a warning
// and a confirmation before running a pipeline with a CommandStage.
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { chooseOption, guardConsole, openPage, shot } from '../support/app.js';
import { ROOT, startServe, type CuratorServe } from '../support/serve.js';

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

let serve: CuratorServe;
let page: Page;
let guard: { check: () => void };

test.beforeAll(async ({ browser }) => {
  serve = await startServe();
  page = await browser.newPage();
  guard = guardConsole(page);
  await page.goto(serve.url);
});

test.afterEach(() => guard.check());

test.afterAll(async () => {
  await page?.close();
  await serve?.stop();
});

/** Adds a stage through "Add stage" and the catalog's "Search stages"; answers its section. */
async function addStage(type: string): Promise<Locator> {
  const before = await stageSections().count();
  await page.getByRole('button', { name: 'Add stage', exact: true }).click();
  const search = page.getByRole('searchbox', { name: 'Search stages', exact: true });
  await search.fill(type);
  await page.getByRole('button', { name: `Add ${type}`, exact: true }).click();
  await expect(search).toBeHidden();
  await expect(stageSections()).toHaveCount(before + 1);
  return stageSections().nth(before);
}

/** The builder's stage sections ("Stage 1: JsonlReader", ...). */
function stageSections(): Locator {
  return page.getByRole('main').getByRole('region', { name: /^Stage \d+: / });
}

/** Types a parameter's value and leaves the field (list fields take their value on blur). */
async function setParam(stage: Locator, name: string, value: string): Promise<Locator> {
  const input = stage.getByRole('textbox', { name, exact: true });
  await input.fill(value);
  await input.blur();
  return input;
}

test('builds a pipeline, fixes an inline validation error, and validates it', async () => {
  await openPage(page, 'Pipeline');
  // Start from an empty pipeline (a first visit opens the quick-start template).
  await page.getByRole('button', { name: 'New pipeline', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New pipeline' });
  await chooseOption(page, dialog.getByRole('combobox', { name: 'Start from', exact: true }), 'An empty pipeline');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(stageSections()).toHaveCount(0);

  const reader = await addStage('JsonlReader');
  await expect(reader.getByRole('button', { name: 'Remove JsonlReader', exact: true })).toBeVisible();
  await setParam(reader, 'file_paths', path.join(ROOT, 'resources/sample'));
  const fpp = await setParam(reader, 'files_per_partition', '0');
  await expect(fpp).toHaveAttribute('aria-invalid', 'true');
  await expect(reader.getByText('Too small: must be at least 1')).toBeVisible();
  await shot(page, 'pipeline-error');
  await setParam(reader, 'files_per_partition', '1');
  await expect(fpp).not.toHaveAttribute('aria-invalid', 'true');
  await expect(reader.getByText('Too small: must be at least 1')).toBeHidden();

  const writer = await addStage('JsonlWriter');
  await setParam(writer, 'path', path.join(serve.home, 'builder-output'));

  await page.getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Pipeline is valid' })).toBeVisible();
  await shot(page, 'pipeline-valid');
});

test('the YAML tab shows the same pipeline', async () => {
  await page.getByRole('tab', { name: 'YAML', exact: true }).click();
  const editor = page.locator('.cm-content').first();
  await expect(editor).toBeVisible();
  const yaml = await editor.innerText();
  expect(yaml).toMatch(/stage: JsonlReader/);
  expect(yaml).toMatch(/files_per_partition: 1\b/);
  expect(yaml).toMatch(/stage: JsonlWriter/);
  expect(yaml.indexOf('JsonlReader')).toBeLessThan(yaml.indexOf('JsonlWriter'));
  await shot(page, 'pipeline-yaml');
});

test('a CommandStage brings a warning, and Run asks "Run programs on this computer?" first', async () => {
  await page.getByRole('tab', { name: 'Stages', exact: true }).click();
  const command = await addStage('CommandStage');
  await setParam(command, 'command', 'node');
  // Put it between the reader and the writer.
  await command.getByRole('button', { name: 'Move CommandStage up', exact: true }).click();
  await expect(stageSections().nth(1)).toHaveAccessibleName(/^Stage 2: CommandStage/);
  const main = page.getByRole('main');
  await expect(main.getByRole('alert').filter({ hasText: 'This pipeline runs programs on this computer' })).toBeVisible();

  await main.getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Run programs on this computer?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Run anyway', exact: true })).toBeVisible();
  await shot(page, 'pipeline-confirm');
  await dialog.getByRole('button', { name: 'Go back', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/pipeline/);
});
