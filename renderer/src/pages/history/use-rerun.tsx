// Re-running a recorded run: its pipeline as run (paths already absolute), backend and config;
// a pipeline that runs programs on this computer asks first.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { BackendName, StartRunRequest } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';

export interface Rerun {
  /** Starts the run again; opens its live view when it was accepted. */
  rerun: (runId: string) => Promise<void>;
  /** The run being started, while it is. */
  busy: string | null;
  error: string | null;
  /** The confirmation dialog; render it somewhere. */
  dialog: ReactNode;
}

export function useRerun(): Rerun {
  const api = useCurator();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ request: StartRunRequest; commands: string[] } | null>(null);

  async function start(request: StartRunRequest): Promise<void> {
    const started = await api.startRun(request);
    navigate(`/live/${started.run_id}`);
  }

  async function rerun(runId: string): Promise<void> {
    setBusy(runId);
    setError(null);
    try {
      const run = await api.getRun({ run_id: runId });
      const request: StartRunRequest = {
        pipeline: run.pipeline as Record<string, unknown>,
        backend: run.backend as BackendName,
        config: run.config,
        name: run.name,
      };
      const check = await api.validatePipeline(request);
      if (!check.valid) {
        setError(`This run can no longer be started: ${check.problems.join(' ')}`);
        return;
      }
      if (check.runs_external_commands) {
        setPending({ request, commands: check.external_commands.map((c) => `${c.stage}: ${c.command ? c.command.join(' ') : c.type}`) });
        return;
      }
      await start(request);
    } catch (e: unknown) {
      setError(apiErrorOf(e).message);
    } finally {
      setBusy(null);
    }
  }

  const dialog = (
    <Modal opened={pending !== null} onClose={() => setPending(null)} title="Run programs on this computer?">
      <Stack>
        <Text size="sm">This pipeline runs programs on this computer with your permissions:</Text>
        {pending?.commands.map((c) => (
          <Text key={c} size="sm" ff="monospace">
            {c}
          </Text>
        ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setPending(null)}>
            Go back
          </Button>
          <Button
            color="red"
            onClick={() => {
              const req = pending?.request;
              setPending(null);
              if (req) start({ ...req, confirm_external_commands: true }).catch((e: unknown) => setError(apiErrorOf(e).message));
            }}
          >
            Run anyway
          </Button>
        </Group>
      </Stack>
    </Modal>
  );

  return { rerun, busy, error, dialog };
}
