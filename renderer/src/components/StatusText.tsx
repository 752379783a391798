import { Badge } from '@mantine/core';

/** Run statuses as the history records them. */
export type RunStatusName = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

const LABELS: Record<RunStatusName, { text: string; color: string }> = {
  queued: { text: 'Queued', color: 'gray' },
  running: { text: 'Running', color: 'blue' },
  succeeded: { text: 'Succeeded', color: 'green' },
  failed: { text: 'Failed', color: 'red' },
  cancelled: { text: 'Cancelled', color: 'yellow' },
  interrupted: { text: 'Interrupted', color: 'orange' },
};

/** The display text of a run status ("Succeeded", "Failed", ...). */
export function statusLabel(status: string): string {
  return (LABELS as Record<string, { text: string } | undefined>)[status]?.text ?? status;
}

/** A run status as text in a colored badge. */
export function StatusText({ status }: { status: string }) {
  const entry = (LABELS as Record<string, { text: string; color: string } | undefined>)[status];
  return (
    <Badge color={entry?.color ?? 'gray'} variant="light" tt="none" size="md" miw="max-content" data-status={status}>
      {entry?.text ?? status}
    </Badge>
  );
}
