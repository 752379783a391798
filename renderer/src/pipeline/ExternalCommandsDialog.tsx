// Asks before a run that starts programs on this computer (CommandStage and stages given a `command`).
import { Button, Code, Group, List, Modal, Text } from '@mantine/core';
import type { ExternalCommandUse } from '../../../runner/service/contract';

export interface ExternalCommandsDialogProps {
  commands: ExternalCommandUse[] | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The confirmation dialog "Run programs on this computer?" with "Run anyway" and "Go back". */
export function ExternalCommandsDialog({ commands, onConfirm, onCancel }: ExternalCommandsDialogProps) {
  return (
    <Modal opened={commands !== null} onClose={onCancel} title="Run programs on this computer?" centered size="lg">
      <Text size="sm" mb="sm">
        This pipeline starts programs with your user&apos;s rights. Run it only if you trust where it came from.
      </Text>
      <List spacing="xs" size="sm" mb="md">
        {(commands ?? []).map((c) => (
          <List.Item key={`${c.stage_index}-${c.stage}`}>
            <Text span fw={600}>
              {c.stage}
            </Text>{' '}
            ({c.type}):{' '}
            {c.command ? <Code>{c.command.join(' ')}</Code> : <Text span c="dimmed">the program named in its parameters</Text>}
          </List.Item>
        ))}
      </List>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Go back
        </Button>
        <Button color="orange" onClick={onConfirm}>
          Run anyway
        </Button>
      </Group>
    </Modal>
  );
}
