// The start page with a fake client: the defaults run the quick-start template as it is, the
// backend and the output folder reach startRun, and programs on this computer need confirming.
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Catalog, CuratorClient, StartRunRequest, ValidateResult } from '../../../../runner/service/contract';
import RunPage from '../../../../renderer/src/pages/run/RunPage';
import { realCatalog } from '../pipeline/real-catalog';
import { renderWithProviders } from '../render';

let catalog: Catalog;
beforeAll(() => {
  catalog = realCatalog();
});
beforeEach(() => localStorage.clear());

const VALID: ValidateResult = { valid: true, name: 'quickstart', description: null, backend: 'xenna', config: {}, stages: [], warnings: [], runs_external_commands: false, external_commands: [] };

function fakeClient(validate: ValidateResult = VALID) {
  const startRun = vi.fn(async (_req: StartRunRequest) => ({ run_id: 'run-1', status: 'running' as const, position: 0, runs_external_commands: false }));
  const validatePipeline = vi.fn(async () => validate);
  const client: Partial<CuratorClient> = {
    catalog: async () => catalog,
    settings: async () => ({ max_concurrent_runs: 1, gpu_allow_list: null, output_dir: '/home/me/curator/outputs', data_dir: '/home/me/curator', pending_data_dir: null }),
    previewInput: async (args) => ({ path: args.path, files: [{ path: `${args.path}/a.jsonl`, size: 10 }], documents: [{ id: 'doc-1', text: 'hello' }], fields: [], clipped: false, problems: [], truncated: false }),
    validatePipeline,
    startRun,
  };
  return { client, startRun, validatePipeline };
}

function Where() {
  return <span data-testid="where">{useLocation().pathname}</span>;
}

function page() {
  return (
    <>
      <RunPage />
      <Where />
    </>
  );
}

function sentPipeline(req: StartRunRequest | undefined): { stages: Array<{ stage: string; params: Record<string, unknown> }> } {
  return parse(String(req?.pipeline)) as { stages: Array<{ stage: string; params: Record<string, unknown> }> };
}

describe('Run page', () => {
  it('runs the quick-start template on its sample data with Xenna in one click', async () => {
    const { client, startRun } = fakeClient();
    renderWithProviders(page(), { client });
    const template = (await screen.findByRole('combobox', { name: 'Template' })) as HTMLSelectElement;
    expect(template.value).toBe('quickstart');
    expect((screen.getByRole('combobox', { name: 'Backend' }) as HTMLSelectElement).value).toBe('xenna');
    expect([...(screen.getByRole('combobox', { name: 'Backend' }) as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Xenna', 'Ray Data', 'Ray Actor Pool']);
    await waitFor(() => expect((screen.getByRole('textbox', { name: 'Output folder' }) as HTMLInputElement).value).toBe('/home/me/curator/outputs/quickstart'));
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(startRun).toHaveBeenCalledTimes(1));
    const req = startRun.mock.calls[0]?.[0];
    const quickstart = catalog.templates.find((t) => t.id === 'quickstart');
    expect(req?.backend).toBe('xenna');
    expect(req?.base_dir).toBe(quickstart?.base_dir);
    const stages = sentPipeline(req).stages;
    // The sample input is left as the template says; the output goes to the app's output folder.
    expect(stages[0]?.params.file_paths).toBe('../sample');
    expect(stages.at(-1)?.params.path).toBe('/home/me/curator/outputs/quickstart');
    expect(String(req?.pipeline)).toContain('# Quick start');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/live/run-1'));
  });

  it('sends the chosen backend, input and output', async () => {
    const { client, startRun } = fakeClient();
    renderWithProviders(page(), { client });
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Template' }), 'dedup');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Backend' }), 'Ray Data');
    const input = screen.getByRole('textbox', { name: 'Input data' });
    await userEvent.clear(input);
    await userEvent.type(input, '/data/web');
    expect(await screen.findByText('1 file · first documents')).toBeTruthy();
    const output = screen.getByRole('textbox', { name: 'Output folder' });
    await userEvent.clear(output);
    await userEvent.type(output, '/data/clean');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(startRun).toHaveBeenCalledTimes(1));
    const req = startRun.mock.calls[0]?.[0];
    expect(req?.backend).toBe('ray_data');
    // Xenna's own config keys are dropped for Ray Data; the shared ones stay.
    const sent = parse(String(req?.pipeline)) as { executor: { backend: string; config: Record<string, unknown> } };
    expect(sent.executor).toEqual({ backend: 'ray_data', config: { logging_interval: 5 } });
    const stages = sentPipeline(req).stages;
    expect(stages[0]?.params.file_paths).toBe('/data/web');
    expect(stages.find((s) => s.stage === 'ExactDuplicates')?.params.removed_path).toBe('/data/clean-removed');
    expect(stages.at(-1)?.params.path).toBe('/data/clean');
  });

  it('asks before running programs on this computer', async () => {
    const external: ValidateResult = { ...VALID, runs_external_commands: true, external_commands: [{ stage_index: 1, stage: 'embed', type: 'CommandStage', command: ['python3', 'embed.py'] }] };
    const { client, startRun } = fakeClient(external);
    renderWithProviders(page(), { client });
    await userEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Run programs on this computer?' });
    expect(dialog.textContent).toContain('python3 embed.py');
    await userEvent.click(screen.getByRole('button', { name: 'Go back' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Run programs on this computer?' })).toBeNull());
    expect(startRun).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Run anyway' }));
    await waitFor(() => expect(startRun).toHaveBeenCalledTimes(1));
    expect(startRun.mock.calls[0]?.[0].confirm_external_commands).toBe(true);
  });

  it('shows validation problems instead of starting', async () => {
    const { client, startRun } = fakeClient({ valid: false, problems: ['pipeline:3: stages[0] (JsonlReader): params.file_paths: no such file or folder'] });
    renderWithProviders(page(), { client });
    await userEvent.click(await screen.findByRole('button', { name: 'Run' }));
    expect(await screen.findByText(/no such file or folder/)).toBeTruthy();
    expect(startRun).not.toHaveBeenCalled();
  });
});
