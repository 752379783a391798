// Starts a new builder draft: empty, or from a bundled template.
import { Button, Group, Modal, NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import type { TemplateInfo } from '../../../../runner/service/contract';
import type { PipelineDraft } from '../../pipeline/draft-store';
import { EMPTY_PIPELINE } from '../../pipeline/yaml-sync';

export interface NewPipelineDialogProps {
  opened: boolean;
  templates: readonly TemplateInfo[];
  makeDraft: (template: TemplateInfo) => PipelineDraft;
  onCreate: (draft: PipelineDraft) => void;
  onClose: () => void;
}

export function NewPipelineDialog({ opened, templates, makeDraft, onCreate, onClose }: NewPipelineDialogProps) {
  const [choice, setChoice] = useState('');
  const template = templates.find((t) => t.id === choice);
  return (
    <Modal opened={opened} onClose={onClose} title="New pipeline" centered>
      <NativeSelect
        label="Start from"
        data={[{ value: '', label: 'An empty pipeline' }, ...templates.map((t) => ({ value: t.id, label: `Template: ${t.name}` }))]}
        value={choice}
        onChange={(e) => setChoice(e.currentTarget.value)}
        description={template?.description ?? 'Add stages from the catalog.'}
      />
      <Text size="sm" c="dimmed" mt="sm">
        This replaces the pipeline in the builder. Save it first to keep it.
      </Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={() => onCreate(template ? makeDraft(template) : { text: EMPTY_PIPELINE })}>Create</Button>
      </Group>
    </Modal>
  );
}
