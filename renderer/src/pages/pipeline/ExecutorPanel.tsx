// The executor: which backend runs the pipeline, and that backend's config keys with their defaults.
import { Alert, Badge, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import type { BackendInfo } from '../../../../runner/service/contract';
import { SchemaForm, type FormEdits } from '../../forms/SchemaForm';
import { configFields } from '../../pipeline/overrides';

export interface ExecutorPanelProps {
  backends: readonly BackendInfo[];
  backend: string;
  config: Record<string, unknown>;
  onBackend: (name: string) => void;
  /** Edits relative to `executor.config`. */
  configEdits: FormEdits;
  problems: Map<string, string[]>;
  disabled?: boolean;
}

export function ExecutorPanel({ backends, backend, config, onBackend, configEdits, problems, disabled }: ExecutorPanelProps) {
  const info = backends.find((b) => b.name === backend);
  const fields = configFields(info?.config_schema ?? null);
  const configProblems: Record<string, string[]> = {};
  for (const [k, v] of problems) if (k.startsWith('executor.config.')) configProblems[k.slice('executor.config.'.length)] = v;
  const general = [...(problems.get('') ?? []), ...(problems.get('executor.config') ?? []), ...(problems.get('executor.backend') ?? [])];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Executor">
      <Stack gap="md">
        <Title order={3}>Executor</Title>
        <NativeSelect
          label="Backend"
          description="The engine that schedules the stages' workers on this machine."
          data={backends.map((b) => ({ value: b.name, label: b.title }))}
          value={backend}
          disabled={disabled}
          onChange={(e) => onBackend(e.currentTarget.value)}
        />
        {info && (
          <Group gap="xs">
            {info.experimental && (
              <Badge color="yellow" variant="light">
                Experimental
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              {info.description}
            </Text>
          </Group>
        )}
        {general.length > 0 && (
          <Alert color="red" title="Executor problems">
            {general.join(' · ')}
          </Alert>
        )}
        {fields.length ? (
          <SchemaForm fields={fields} values={config} edits={configEdits} problems={configProblems} disabled={disabled} />
        ) : (
          <Text c="dimmed" size="sm">
            This backend has no settings.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
