// The pipeline's stages in order, each with reorder and remove buttons and its editor.
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { StageInfo } from '../../../../runner/service/contract';
import type { FieldSpec } from '../../forms/ParamField';
import type { FormEdits } from '../../forms/SchemaForm';
import type { StageEntry } from '../../pipeline/yaml-sync';
import { StageEditor } from './StageEditor';

export interface StageListProps {
  stages: StageEntry[];
  catalog: readonly StageInfo[];
  problems: Map<number, Map<string, string[]>>;
  overrides: { resources: FieldSpec[]; entry: FieldSpec[] };
  editsFor: (index: number) => FormEdits;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  disabled?: boolean;
}

/** The label a stage goes by in buttons: its name, or its type. */
export function stageLabel(entry: StageEntry): string {
  return typeof entry.name === 'string' && entry.name ? entry.name : entry.stage || 'stage';
}

export function StageList({ stages, catalog, problems, overrides, editsFor, onMove, onRemove, disabled }: StageListProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const toggle = (i: number): void =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  if (!stages.length) {
    return (
      <Paper withBorder p="xl" radius="md">
        <Text c="dimmed" ta="center">
          No stages yet. Press “Add stage” to pick one from the catalog: a reader first, then filters, then a writer.
        </Text>
      </Paper>
    );
  }
  return (
    <Stack gap="sm">
      {stages.map((entry, i) => {
        const info = catalog.find((s) => s.type === entry.stage);
        const label = stageLabel(entry);
        const open = !collapsed.has(i);
        const count = [...(problems.get(i)?.values() ?? [])].reduce((n, l) => n + l.length, 0);
        const external = info?.category === 'external' || entry.stage === 'CommandStage';
        return (
          <Paper key={i} withBorder radius="md" p="md" component="section" aria-label={`Stage ${i + 1}: ${label}`}>
            <Group justify="space-between" wrap="nowrap" mb={open ? 'md' : 0}>
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <Badge variant="default" radius="sm">
                  {i + 1}
                </Badge>
                <div style={{ minWidth: 0 }}>
                  <Group gap={6}>
                    <Text fw={600}>{label}</Text>
                    {label !== entry.stage && (
                      <Text size="sm" c="dimmed">
                        {entry.stage}
                      </Text>
                    )}
                    {info && (
                      <Badge size="xs" variant="light" color="gray">
                        {info.category}
                      </Badge>
                    )}
                    {external && (
                      <Badge size="sm" color="orange" variant="filled">
                        Runs a program on this computer
                      </Badge>
                    )}
                    {count > 0 && (
                      <Badge size="sm" color="red" variant="light">
                        {count} problem{count === 1 ? '' : 's'}
                      </Badge>
                    )}
                  </Group>
                  {info && !open && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {info.description}
                    </Text>
                  )}
                </div>
              </Group>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-sm" variant="subtle" onClick={() => toggle(i)} aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}>
                  {open ? 'Collapse' : 'Edit'}
                </Button>
                <Button size="compact-sm" variant="default" disabled={disabled || i === 0} onClick={() => onMove(i, i - 1)} aria-label={`Move ${label} up`}>
                  ↑
                </Button>
                <Button size="compact-sm" variant="default" disabled={disabled || i === stages.length - 1} onClick={() => onMove(i, i + 1)} aria-label={`Move ${label} down`}>
                  ↓
                </Button>
                <Button size="compact-sm" variant="light" color="red" disabled={disabled} onClick={() => onRemove(i)} aria-label={`Remove ${label}`}>
                  Remove
                </Button>
              </Group>
            </Group>
            {open && (
              <>
                {info && (
                  <Text size="sm" c="dimmed" mb="sm">
                    {info.description}
                  </Text>
                )}
                <StageEditor entry={entry} info={info} edits={editsFor(i)} problems={problems.get(i)} overrides={overrides} disabled={disabled} />
              </>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}
