/**
 * The pipeline builder: the stage list with forms generated from the catalog's schemas, the
 * executor panel, and a YAML view of the same pipeline (either edits the other), with Validate,
 * Save, Open and Run. The draft lives in localStorage, so it survives navigation.
 */
import { Alert, Button, Group, Loader, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { ValidateResult } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';
import { useShell } from '../../shell';
import { readDraft, writeDraft } from '../../pipeline/draft-store';
import { overrideFields } from '../../pipeline/overrides';
import { dirnameOf } from '../../pipeline/paths';
import { indexProblems } from '../../pipeline/problems';
import { useCatalog, useSettings } from '../../pipeline/queries';
import { backendEdits } from '../../pipeline/retarget';
import { defaultTemplate, templateDraft } from '../../pipeline/templates';
import { usePipelineEditor } from '../../pipeline/usePipelineEditor';
import { useRunPipeline } from '../../pipeline/useRunPipeline';
import { appendItem, moveItem, newStageEntry, removeItem, setValue } from '../../pipeline/yaml-sync';
import { ExecutorPanel } from './ExecutorPanel';
import { NewPipelineDialog } from './NewPipelineDialog';
import { ProblemsSummary } from './ProblemsSummary';
import { StageCatalog } from './StageCatalog';
import { StageList } from './StageList';
import { YamlView } from './YamlView';

const FILTERS = [{ name: 'Pipeline', extensions: ['yaml', 'yml', 'json'] }];

type Check = { text: string; result: ValidateResult } | { text: string; problems: string[] };

export default function PipelinePage() {
  const api = useCurator();
  const shell = useShell();
  const catalogQ = useCatalog();
  const settingsQ = useSettings();
  const editor = usePipelineEditor();
  const runner = useRunPipeline();
  const [adding, setAdding] = useState(false);
  const [creating, setCreating] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const [checking, setChecking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const catalog = catalogQ.data;
  const outputDir = settingsQ.data?.output_dir;

  // A first visit starts from the quick-start template.
  useEffect(() => {
    if (!catalog || settingsQ.isPending || readDraft()) return;
    const t = defaultTemplate(catalog);
    if (t) writeDraft(templateDraft(t, catalog, outputDir));
  }, [catalog, settingsQ.isPending, outputDir]);

  const overrides = useMemo(() => overrideFields(catalog?.pipeline_schema ?? {}), [catalog]);
  const { text, data, syntaxError, edit } = editor;
  const baseDir = editor.draft.base_dir;

  const current = check && check.text === text ? check : null;
  const runProblems = runner.problemsFor?.pipeline === text ? runner.problems : null;
  const serverProblems = useMemo(
    () => (current ? ('result' in current ? (current.result.valid ? [] : current.result.problems) : current.problems) : (runProblems ?? [])),
    [current, runProblems],
  );
  const index = useMemo(() => indexProblems(serverProblems), [serverProblems]);
  const disabled = syntaxError !== null;

  if (catalogQ.isPending) return <Loader aria-label="Loading the stage catalog" />;
  if (!catalog) return <Alert color="red" title="Cannot load the stage catalog">{apiErrorOf(catalogQ.error).message}</Alert>;

  const stageEdits = (i: number) => ({
    set: (p: ReadonlyArray<string | number>, v: unknown) => edit(setValue(['stages', i, ...p], v)),
    append: (p: ReadonlyArray<string | number>, v: unknown) => edit(appendItem(['stages', i, ...p], v)),
    remove: (p: ReadonlyArray<string | number>, j: number) => edit(removeItem(['stages', i, ...p], j)),
  });
  const configEdits = {
    set: (p: ReadonlyArray<string | number>, v: unknown) => edit(setValue(['executor', 'config', ...p], v)),
    append: (p: ReadonlyArray<string | number>, v: unknown) => edit(appendItem(['executor', 'config', ...p], v)),
    remove: (p: ReadonlyArray<string | number>, j: number) => edit(removeItem(['executor', 'config', ...p], j)),
  };
  const changeBackend = (name: string): void => edit(...backendEdits(data.config, name, catalog.backends));

  const validate = async (): Promise<void> => {
    setChecking(true);
    setNote(null);
    try {
      setCheck({ text, result: await api.validatePipeline({ pipeline: text, ...(baseDir ? { base_dir: baseDir } : {}) }) });
    } catch (e: unknown) {
      const err = apiErrorOf(e);
      setCheck({ text, problems: err.problems?.length ? err.problems : [err.message] });
    } finally {
      setChecking(false);
    }
  };
  const save = async (): Promise<void> => {
    const name = editor.draft.file_name ?? `${data.name || 'pipeline'}.yaml`;
    const where = await shell.saveText({ suggestedName: name, text, filters: FILTERS });
    if (where) {
      setNote(`Saved as ${where}`);
      writeDraft({ ...editor.draft, file_name: where.split(/[\\/]/).pop() ?? name });
    }
  };
  const open = async (): Promise<void> => {
    const file = await shell.openText({ filters: FILTERS });
    if (!file) return;
    const dir = file.path ? dirnameOf(file.path) : null;
    writeDraft({ text: file.text, file_name: file.name, ...(dir ? { base_dir: dir } : {}) });
    setNote(`Opened ${file.path ?? file.name}`);
  };
  const external = data.stages.some((s) => s.stage === 'CommandStage' || catalog.stages.find((c) => c.type === s.stage)?.category === 'external');

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Pipeline builder</Title>
          <Text size="sm" c="dimmed">
            {editor.draft.file_name ? `${editor.draft.file_name} · ` : ''}
            {data.stages.length} stage{data.stages.length === 1 ? '' : 's'}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" onClick={() => setCreating(true)}>
            New pipeline
          </Button>
          <Button variant="default" onClick={() => void open()}>
            Open pipeline
          </Button>
          <Button variant="default" onClick={() => void save()}>
            Save pipeline
          </Button>
          <Button variant="light" loading={checking} onClick={() => void validate()} disabled={disabled}>
            Validate
          </Button>
          <Button loading={runner.busy} onClick={() => void runner.run({ pipeline: text, ...(baseDir ? { base_dir: baseDir } : {}) })} disabled={disabled}>
            Run
          </Button>
        </Group>
      </Group>
      {note && (
        <Text size="sm" c="dimmed" role="status">
          {note}
        </Text>
      )}
      <ProblemsSummary check={current && 'result' in current ? current.result : null} problems={serverProblems} index={index} backends={catalog.backends} />
      {external && (
        <Alert color="orange" title="This pipeline runs programs on this computer">
          A CommandStage starts the program named in its parameters. You will be asked to confirm before the run starts.
        </Alert>
      )}
      {syntaxError && (
        <Alert color="yellow" title="The YAML has an error">
          The form shows the last valid pipeline and is read-only until line {syntaxError.line} is fixed in the YAML tab.
        </Alert>
      )}
      <TextInput
        label="Pipeline name"
        value={data.name}
        disabled={disabled}
        error={data.name ? null : 'Required: enter a name'}
        onChange={(e) => edit(setValue(['name'], e.currentTarget.value))}
      />
      <Tabs defaultValue="stages" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="stages">Stages</Tabs.Tab>
          <Tabs.Tab value="executor">Executor</Tabs.Tab>
          <Tabs.Tab value="yaml">YAML</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="stages" pt="md">
          <Stack gap="sm">
            <Group>
              <Button variant="light" onClick={() => setAdding(true)} disabled={disabled}>
                Add stage
              </Button>
            </Group>
            <StageList
              stages={data.stages}
              catalog={catalog.stages}
              problems={index.stages}
              overrides={overrides}
              editsFor={stageEdits}
              onMove={(from, to) => edit(moveItem(['stages'], from, to))}
              onRemove={(i) => edit(removeItem(['stages'], i))}
              disabled={disabled}
            />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="executor" pt="md">
          <ExecutorPanel backends={catalog.backends} backend={data.backend} config={data.config} onBackend={changeBackend} configEdits={configEdits} problems={index.executor} disabled={disabled} />
        </Tabs.Panel>
        <Tabs.Panel value="yaml" pt="md">
          <YamlView text={text} onChange={editor.setText} error={syntaxError} />
        </Tabs.Panel>
      </Tabs>
      <StageCatalog
        opened={adding}
        stages={catalog.stages}
        onClose={() => setAdding(false)}
        onAdd={(type) => {
          edit(appendItem(['stages'], newStageEntry(type)));
          setAdding(false);
        }}
      />
      <NewPipelineDialog
        opened={creating}
        templates={catalog.templates}
        onClose={() => setCreating(false)}
        onCreate={(draft) => {
          writeDraft(draft);
          setCheck(null);
          setCreating(false);
        }}
        makeDraft={(t) => templateDraft(t, catalog, outputDir)}
      />
      {runner.dialog}
    </Stack>
  );
}
