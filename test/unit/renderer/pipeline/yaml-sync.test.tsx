// The builder edits one pipeline two ways: a form edit keeps the YAML's comments, a YAML edit
// updates the form, and broken YAML gives a line diagnostic while the form keeps the last valid pipeline.
import { EditorView } from '@codemirror/view';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Catalog, CuratorClient } from '../../../../runner/service/contract';
import PipelinePage from '../../../../renderer/src/pages/pipeline/PipelinePage';
import { readDraft, writeDraft } from '../../../../renderer/src/pipeline/draft-store';
import { renderWithProviders } from '../render';
import { realCatalog } from './real-catalog';

const YAML = `# Demo pipeline: this comment must survive form edits.
name: demo
stages:
  # Read the input first.
  - stage: JsonlReader
    params:
      file_paths: /data/in # the input folder
      files_per_partition: 1
  - stage: JsonlWriter
    params: { path: /data/out }
executor:
  backend: xenna
  config: {}
`;

// CodeMirror measures text ranges for its cursor layer; jsdom has no layout, so give it empty rects.
if (typeof Range !== 'undefined' && !('getClientRects' in Range.prototype)) {
  const empty = Object.assign([] as DOMRect[], { item: () => null }) as unknown as DOMRectList;
  Object.assign(Range.prototype, { getClientRects: () => empty, getBoundingClientRect: () => new DOMRect(0, 0, 0, 0) });
}

let catalog: Catalog;
beforeAll(() => {
  catalog = realCatalog();
});

function client(): Partial<CuratorClient> {
  return {
    catalog: async () => catalog,
    settings: async () => ({ max_concurrent_runs: 1, gpu_allow_list: null, output_dir: '/data/outputs', data_dir: '/data', pending_data_dir: null }),
    validatePipeline: vi.fn(async () => ({ valid: false as const, problems: ['pipeline:8: stages[0] (JsonlReader): params.files_per_partition: Too small: expected number to be >=1'] })),
  };
}

/** The page's CodeMirror view, once the lazy editor has loaded. */
async function editorView(): Promise<EditorView> {
  const content = await screen.findByRole('textbox', { name: 'Pipeline YAML' }, { timeout: 5000 });
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no CodeMirror view');
  return view;
}

function replaceInEditor(view: EditorView, from: string, to: string): void {
  const text = view.state.doc.toString();
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" is not in the editor`);
  view.dispatch({ changes: { from: at, to: at + from.length, insert: to } });
}

beforeEach(() => {
  localStorage.clear();
  writeDraft({ text: YAML, base_dir: '/data' });
});

describe('pipeline builder YAML sync', () => {
  it('keeps comments when the form edits a parameter', async () => {
    renderWithProviders(<PipelinePage />, { client: client() });
    const reader = await screen.findByRole('region', { name: 'Stage 1: JsonlReader' });
    const fpp = within(reader).getByRole('textbox', { name: 'files_per_partition' });
    await userEvent.clear(fpp);
    await userEvent.type(fpp, '4');
    await waitFor(() => expect(readDraft()?.text).toContain('files_per_partition: 4'));
    const text = readDraft()?.text ?? '';
    expect(text).toContain('# Demo pipeline: this comment must survive form edits.');
    expect(text).toContain('# Read the input first.');
    expect(text).toContain('file_paths: /data/in # the input folder');
    expect(text).toContain('params: { path: /data/out }');
  });

  it('updates the form from a YAML edit', async () => {
    renderWithProviders(<PipelinePage />, { client: client() });
    await userEvent.click(await screen.findByRole('tab', { name: 'YAML' }));
    const view = await editorView();
    expect(view.state.doc.toString()).toBe(YAML);
    replaceInEditor(view, 'name: demo', 'name: renamed');
    replaceInEditor(view, 'files_per_partition: 1', 'files_per_partition: 7');
    await waitFor(() => expect((screen.getByRole('textbox', { name: 'Pipeline name' }) as HTMLInputElement).value).toBe('renamed'));
    await userEvent.click(screen.getByRole('tab', { name: 'Stages' }));
    const reader = await screen.findByRole('region', { name: 'Stage 1: JsonlReader' });
    expect((within(reader).getByRole('textbox', { name: 'files_per_partition' }) as HTMLInputElement).value).toBe('7');
  });

  it('shows a line diagnostic for bad YAML while the form keeps the last valid pipeline', async () => {
    renderWithProviders(<PipelinePage />, { client: client() });
    await userEvent.click(await screen.findByRole('tab', { name: 'YAML' }));
    const view = await editorView();
    replaceInEditor(view, 'name: demo', 'name: broken');
    await waitFor(() => expect((screen.getByRole('textbox', { name: 'Pipeline name' }) as HTMLInputElement).value).toBe('broken'));
    replaceInEditor(view, 'params: { path: /data/out }', 'params: { path: /data/out');
    const alert = await screen.findByText(/^Line 11: /);
    expect(alert.textContent).toMatch(/Line 11: .+keeps the last valid pipeline/);
    const name = screen.getByRole('textbox', { name: 'Pipeline name' }) as HTMLInputElement;
    expect(name.value).toBe('broken');
    expect(name.disabled).toBe(true);
    // Fixing the YAML brings the form back.
    replaceInEditor(view, 'params: { path: /data/out', 'params: { path: /data/out }');
    await waitFor(() => expect((screen.getByRole('textbox', { name: 'Pipeline name' }) as HTMLInputElement).disabled).toBe(false));
  });

  it("maps the service's problems from Validate onto the stage's fields", async () => {
    renderWithProviders(<PipelinePage />, { client: client() });
    await userEvent.click(await screen.findByRole('button', { name: 'Validate' }));
    const reader = await screen.findByRole('region', { name: 'Stage 1: JsonlReader' });
    await waitFor(() => expect(within(reader).getByRole('textbox', { name: 'files_per_partition' }).getAttribute('aria-invalid')).toBe('true'));
    expect(within(reader).getByText('Too small: expected number to be >=1')).toBeTruthy();
  });
});
