// One stage's editor: its name, its parameter form from the catalog schema, and its overrides.
import { Alert, Fieldset, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { StageInfo } from '../../../../runner/service/contract';
import { ParamField, type FieldSpec } from '../../forms/ParamField';
import { SchemaForm, type FormEdits } from '../../forms/SchemaForm';
import type { StageEntry } from '../../pipeline/yaml-sync';

export interface StageEditorProps {
  entry: StageEntry;
  info: StageInfo | undefined;
  /** Edits relative to the stage entry (`['params', 'x']`, `['resources', 'cpus']`, `['name']`). */
  edits: FormEdits;
  /** The service's problems of this stage by field (`params.x`, `resources.cpus`, `batch_size`, '' for the stage). */
  problems: Map<string, string[]> | undefined;
  overrides: { resources: FieldSpec[]; entry: FieldSpec[] };
  disabled?: boolean;
}

function withPrefix(problems: Map<string, string[]> | undefined, prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of problems ?? []) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

export function StageEditor({ entry, info, edits, problems, overrides, disabled }: StageEditorProps) {
  const general = [...(problems?.get('') ?? []), ...(problems?.get('params') ?? []), ...(problems?.get('stage') ?? [])];
  const resources = typeof entry.resources === 'object' && entry.resources !== null ? entry.resources : {};
  const resourceProblems = withPrefix(problems, 'resources.');
  const resourceWhole = problems?.get('resources');
  const sub = (head: string): FormEdits => ({
    set: (p, v) => edits.set([head, ...p], v),
    append: (p, v) => edits.append([head, ...p], v),
    remove: (p, i) => edits.remove([head, ...p], i),
  });
  return (
    <Stack gap="md">
      {general.length > 0 && (
        <Alert color="red" title="Problems in this stage">
          {general.join(' · ')}
        </Alert>
      )}
      {!info && entry.stage && (
        <Alert color="yellow" title={`Unknown stage type "${entry.stage}"`}>
          Pick a type from the catalog, or fix the name in the YAML tab.
        </Alert>
      )}
      <TextInput
        label="Stage name"
        description={`Shown in the live view and the history; defaults to the type's own (${entry.stage}).`}
        placeholder={entry.stage}
        value={typeof entry.name === 'string' ? entry.name : ''}
        disabled={disabled}
        error={problems?.get('name')?.join(' · ')}
        onChange={(e) => edits.set(['name'], e.currentTarget.value || undefined)}
      />
      {info && <SchemaForm fields={info.parameters} values={entry.params} edits={sub('params')} problems={withPrefix(problems, 'params.')} components={info.components} disabled={disabled} />}
      <Fieldset legend="Resources and batching" disabled={disabled}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {overrides.resources.map((f) => (
            <ParamField key={f.name} spec={f} value={resources[f.name]} onChange={(v) => edits.set(['resources', f.name], v)} serverErrors={resourceProblems[f.name] ?? (f.name === 'cpus' ? resourceWhole : undefined)} disabled={disabled} />
          ))}
          {overrides.entry.map((f) => (
            <ParamField key={f.name} spec={f} value={entry[f.name]} onChange={(v) => edits.set([f.name], v)} serverErrors={problems?.get(f.name)} disabled={disabled} />
          ))}
        </SimpleGrid>
      </Fieldset>
    </Stack>
  );
}
