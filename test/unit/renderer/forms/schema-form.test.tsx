// Forms generated from the real catalog's schemas: input types, defaults, help text, enums,
// inline errors, and a service problem attached to its field.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, StageInfo } from '../../../../runner/service/contract';
import { SchemaForm } from '../../../../renderer/src/forms/SchemaForm';
import { indexProblems, paramProblems } from '../../../../renderer/src/pipeline/problems';
import { appendItem, editPipelineText, parsePipelineText, removeItem, setValue } from '../../../../renderer/src/pipeline/yaml-sync';
import { realCatalog } from '../pipeline/real-catalog';
import { renderWithProviders } from '../render';

let catalog: Catalog;
beforeAll(() => {
  catalog = realCatalog();
});

function stage(type: string): StageInfo {
  const s = catalog.stages.find((x) => x.type === type);
  if (!s) throw new Error(`no ${type} in the catalog`);
  return s;
}

/** A one-stage pipeline edited through the form, as the builder does it. */
function Harness({ info, yaml, problems, onText }: { info: StageInfo; yaml: string; problems?: string[]; onText?: (t: string) => void }) {
  const [text, setText] = useState(yaml);
  const parsed = parsePipelineText(text);
  const values = parsed.ok ? (parsed.data.stages[0]?.params ?? {}) : {};
  const apply = (t: string): void => {
    setText(t);
    onText?.(t);
  };
  const base = ['stages', 0, 'params'];
  return (
    <SchemaForm
      fields={info.parameters}
      values={values}
      components={info.components}
      problems={paramProblems(indexProblems(problems ?? []), 0)}
      edits={{
        set: (p, v) => apply(editPipelineText(text, setValue([...base, ...p], v))),
        append: (p, v) => apply(editPipelineText(text, appendItem([...base, ...p], v))),
        remove: (p, i) => apply(editPipelineText(text, removeItem([...base, ...p], i))),
      }}
    />
  );
}

const READER = `name: t
stages:
  - stage: JsonlReader
    params:
      file_paths: /data/in
`;

describe('SchemaForm for JsonlReader', () => {
  it('picks an input per type, shows defaults and help text, and makes enums selects', () => {
    renderWithProviders(<Harness info={stage('JsonlReader')} yaml={READER} />);
    const paths = screen.getByRole('textbox', { name: 'file_paths' });
    expect(paths.tagName).toBe('TEXTAREA');
    expect((paths as HTMLTextAreaElement).value).toBe('/data/in');
    const fpp = screen.getByRole('textbox', { name: 'files_per_partition' });
    expect(['numeric', 'decimal']).toContain(fpp.getAttribute('inputmode'));
    const exts = screen.getByRole('textbox', { name: 'file_extensions' });
    expect(exts.getAttribute('placeholder')).toBe('Default: .jsonl, .json');
    expect(screen.getByText(/Extensions of the files to take from folders/).textContent).toContain('Default: .jsonl, .json.');
    const onError = screen.getByRole('combobox', { name: 'on_error' }) as HTMLSelectElement;
    expect(onError.value).toBe('fail');
    expect([...onError.options].map((o) => o.textContent)).toEqual(['fail (default)', 'skip']);
  });

  it('shows an inline error below a number under its minimum, and writes the value to the YAML', async () => {
    const texts: string[] = [];
    renderWithProviders(<Harness info={stage('JsonlReader')} yaml={READER} onText={(t) => texts.push(t)} />);
    const fpp = screen.getByRole('textbox', { name: 'files_per_partition' });
    await userEvent.type(fpp, '0');
    expect(await screen.findByText('Too small: must be at least 1')).toBeTruthy();
    expect(fpp.getAttribute('aria-invalid')).toBe('true');
    expect(texts.at(-1)).toContain('files_per_partition: 0');
    await userEvent.clear(fpp);
    await userEvent.type(fpp, '2');
    await waitFor(() => expect(screen.queryByText('Too small: must be at least 1')).toBeNull());
    expect(texts.at(-1)).toContain('files_per_partition: 2');
  });

  it('marks a missing required parameter', () => {
    renderWithProviders(<Harness info={stage('JsonlReader')} yaml={'name: t\nstages:\n  - stage: JsonlReader\n    params: {}\n'} />);
    const paths = screen.getByRole('textbox', { name: 'file_paths' });
    expect(paths.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Required: enter a value')).toBeTruthy();
  });

  it("attaches the service's problem to its field", () => {
    const problem = 'pipeline:4: stages[0] (JsonlReader): params.blocksize: Too small: expected number to be >0';
    renderWithProviders(<Harness info={stage('JsonlReader')} yaml={READER} problems={[problem]} />);
    const blocksize = screen.getByRole('textbox', { name: 'blocksize' });
    expect(blocksize.getAttribute('aria-invalid')).toBe('true');
    const errorId = blocksize.getAttribute('aria-describedby') ?? '';
    const described = errorId.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    expect(described).toContain('Too small: expected number to be >0');
  });

  it('writes a list typed one per line as a YAML list, and one line as a string', () => {
    const texts: string[] = [];
    renderWithProviders(<Harness info={stage('JsonlReader')} yaml={READER} onText={(t) => texts.push(t)} />);
    const paths = screen.getByRole('textbox', { name: 'file_paths' });
    fireEvent.change(paths, { target: { value: '/a\n/b' } });
    fireEvent.blur(paths);
    expect(parsePipelineText(texts.at(-1) ?? '').ok && (parsePipelineText(texts.at(-1) ?? '') as { data: { stages: Array<{ params: unknown }> } }).data.stages[0]?.params).toEqual({ file_paths: ['/a', '/b'] });
  });
});

describe('SchemaForm for ScoreFilter', () => {
  const SCORE = `name: t
stages:
  - stage: ScoreFilter
    params:
      filter:
        - { type: WordCountFilter, min_words: 50 }
`;

  it('edits the filter list with each filter type and its own parameters', async () => {
    const texts: string[] = [];
    renderWithProviders(<Harness info={stage('ScoreFilter')} yaml={SCORE} onText={(t) => texts.push(t)} />);
    const type = screen.getByRole('combobox', { name: 'Filter 1 type' }) as HTMLSelectElement;
    expect(type.value).toBe('WordCountFilter');
    const min = screen.getByRole('textbox', { name: 'min_words' }) as HTMLInputElement;
    expect(min.value).toBe('50');
    // text_field is "string | string[]": a one-per-line text area showing its default.
    const textField = screen.getByRole('textbox', { name: 'text_field' });
    expect(textField.tagName).toBe('TEXTAREA');
    expect(textField.getAttribute('placeholder')).toBe('Default: text');
    // invert is a boolean (or a list): a switch.
    expect(screen.getByRole('switch', { name: 'invert' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Add filter' }));
    expect(screen.getByRole('combobox', { name: 'Filter 2 type' })).toBeTruthy();
    // The edit went into the list in place: the first filter keeps its flow style.
    expect(texts.at(-1)).toContain('- { type: WordCountFilter, min_words: 50 }');
  });

  it('shows a required filter as missing', () => {
    renderWithProviders(<Harness info={stage('ScoreFilter')} yaml={'name: t\nstages:\n  - stage: ScoreFilter\n    params: {}\n'} />);
    expect(screen.getByText('Required: add a filter.')).toBeTruthy();
  });
});
