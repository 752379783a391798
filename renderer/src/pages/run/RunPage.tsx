/**
 * The start page: pick a template (or a saved pipeline, or the builder's), the input data, the
 * output folder and the backend, and press Run. A first-time user gets the quick-start template,
 * its bundled sample data and Xenna preselected, so one click on Run works.
 */
import { Alert, Button, Grid, Group, List, Loader, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { BackendName } from '../../../../runner/service/contract';
import { apiErrorOf } from '../../api';
import { useShell } from '../../shell';
import { useStoredDraft } from '../../pipeline/draft-store';
import { dirnameOf } from '../../pipeline/paths';
import { useCatalog, useSettings } from '../../pipeline/queries';
import { readerInputOf, removedFolderOf, retargetPipeline, withBackend, writerOutputOf } from '../../pipeline/retarget';
import { defaultTemplate, templateOutput } from '../../pipeline/templates';
import { useRunPipeline } from '../../pipeline/useRunPipeline';
import { parsePipelineText } from '../../pipeline/yaml-sync';
import { InputPicker } from './InputPicker';

const BUILDER = '__builder__';
const FILE = '__file__';

interface Source {
  text: string;
  baseDir: string | undefined;
  templateId: string | null;
  description: string | null;
}

export default function RunPage() {
  const shell = useShell();
  const catalogQ = useCatalog();
  const settingsQ = useSettings();
  const draft = useStoredDraft();
  const runner = useRunPipeline();
  const [choice, setChoice] = useState<string | null>(null);
  const [file, setFile] = useState<{ name: string; path: string | null; text: string } | null>(null);
  const [input, setInput] = useState<string | null>(null);
  const [output, setOutput] = useState<string | null>(null);
  const [backend, setBackend] = useState<string | null>(null);

  const catalog = catalogQ.data;
  if (catalogQ.isPending) return <Loader aria-label="Loading templates" />;
  if (!catalog) return <Alert color="red" title="Cannot reach the Curator service">{apiErrorOf(catalogQ.error).message}</Alert>;

  const selected = choice ?? defaultTemplate(catalog)?.id ?? (draft ? BUILDER : '');
  const template = catalog.templates.find((t) => t.id === selected);
  const source: Source | null = template
    ? { text: template.text, baseDir: template.base_dir, templateId: template.id, description: template.description }
    : selected === BUILDER && draft
      ? { text: draft.text, baseDir: draft.base_dir, templateId: null, description: 'The pipeline you are editing in the builder.' }
      : selected === FILE && file
        ? { text: file.text, baseDir: (file.path && dirnameOf(file.path)) || undefined, templateId: null, description: file.path ?? file.name }
        : null;

  const parsed = source ? parsePipelineText(source.text) : null;
  const defaultInput = source ? (readerInputOf(source.text, catalog.stages, source.baseDir) ?? '') : '';
  const defaultOutput = template ? (templateOutput(settingsQ.data?.output_dir, template) ?? '') : '';
  const pipelineOutput = source ? writerOutputOf(source.text, catalog.stages, source.baseDir) : null;
  const inputValue = input ?? defaultInput;
  const outputValue = output ?? defaultOutput;
  const backendValue = backend ?? (parsed?.ok ? parsed.data.backend : 'xenna');

  const pick = (value: string): void => {
    setChoice(value);
    setInput(null);
    setOutput(null);
    setBackend(null);
  };
  const openFile = async (): Promise<void> => {
    const f = await shell.openText({ filters: [{ name: 'Pipeline', extensions: ['yaml', 'yml', 'json'] }] });
    if (!f) return;
    setFile(f);
    pick(FILE);
  };
  const start = (): void => {
    if (!source) return;
    const newInput = inputValue.trim() && inputValue.trim() !== defaultInput ? inputValue.trim() : undefined;
    const newOutput = outputValue.trim() && (template || output !== null) ? outputValue.trim() : undefined;
    const retargeted = retargetPipeline(source.text, catalog.stages, { ...(newInput ? { input: newInput } : {}), ...(newOutput ? { output: newOutput } : {}) });
    const pipeline = withBackend(retargeted, backendValue, catalog.backends);
    void runner.run({ pipeline, ...(source.baseDir ? { base_dir: source.baseDir } : {}), backend: backendValue as BackendName });
  };

  const options = [
    ...catalog.templates.map((t) => ({ value: t.id, label: t.name })),
    ...(draft ? [{ value: BUILDER, label: 'Current pipeline from the builder' }] : []),
    ...(file ? [{ value: FILE, label: `Pipeline file: ${file.name}` }] : []),
  ];

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={2}>Run a pipeline</Title>
        <Text c="dimmed">Pick what to run and on which data, then press Run. The quick-start template runs on the bundled sample as it is.</Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder radius="md" p="lg">
            <Stack gap="md">
              <Group align="flex-end" wrap="nowrap" gap="xs">
                <NativeSelect style={{ flex: 1 }} label="Template" description={source?.description ?? undefined} data={options} value={selected} onChange={(e) => pick(e.currentTarget.value)} />
                <Button variant="default" onClick={() => void openFile()}>
                  Open pipeline file…
                </Button>
              </Group>
              <InputPicker
                value={inputValue}
                onChange={setInput}
                baseDir={source?.baseDir}
                description={template && input === null ? "The template's own sample data; replace it with your file or folder." : 'The file or folder the pipeline reads.'}
              />
              <TextInput
                label="Output folder"
                description={outputValue ? `Documents are written here; removed documents to ${removedFolderOf(outputValue)}.` : 'Leave empty to write where the pipeline says.'}
                placeholder={pipelineOutput ?? 'As the pipeline says'}
                value={outputValue}
                onChange={(e) => setOutput(e.currentTarget.value)}
                spellCheck={false}
              />
              <NativeSelect
                label="Backend"
                description={catalog.backends.find((b) => b.name === backendValue)?.description}
                data={catalog.backends.map((b) => ({ value: b.name, label: b.title }))}
                value={backendValue}
                onChange={(e) => setBackend(e.currentTarget.value)}
              />
              {runner.problems.length > 0 && (
                <Alert color="red" title="The pipeline cannot run" role="alert">
                  <List size="sm" spacing={2}>
                    {runner.problems.map((p, i) => (
                      <List.Item key={i}>{p}</List.Item>
                    ))}
                  </List>
                </Alert>
              )}
              <Group justify="flex-end">
                <Button size="md" onClick={start} loading={runner.busy} disabled={!source}>
                  Run
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="lg" component="section" aria-label="What will run">
            <Title order={4} mb="xs">
              What will run
            </Title>
            {parsed?.ok ? (
              <List type="ordered" size="sm" spacing={4}>
                {parsed.data.stages.map((s, i) => (
                  <List.Item key={i}>
                    <Text span fw={600}>
                      {s.name ?? s.stage}
                    </Text>
                    {s.name ? <Text span c="dimmed"> ({s.stage})</Text> : null}
                  </List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm" c="dimmed">
                {parsed ? `The pipeline has a YAML error on line ${parsed.error.line}.` : 'Choose a pipeline.'}
              </Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
      {runner.dialog}
    </Stack>
  );
}
