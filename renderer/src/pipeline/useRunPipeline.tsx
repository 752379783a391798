/**
 * The one way the app starts a run, shared by the Run page and the builder: validate, show the
 * problems, ask before running programs on this computer, start, then open the live view.
 */
import { useState, type ReactElement } from 'react';
import { useNavigate } from 'react-router';
import type { ExternalCommandUse, StartRunRequest } from '../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../api';
import { ExternalCommandsDialog } from './ExternalCommandsDialog';

export interface RunPipelineState {
  /** Validates and starts the run (asking first when it runs programs). */
  run: (req: StartRunRequest) => Promise<void>;
  busy: boolean;
  /** Problems of the last attempt: validation problems or the error of the call. */
  problems: string[];
  /** The text the problems were found for, so a caller can hide them once the pipeline changes. */
  problemsFor: StartRunRequest | null;
  clearProblems: () => void;
  /** The confirmation dialog; render it once. */
  dialog: ReactElement;
}

export function useRunPipeline(): RunPipelineState {
  const api = useCurator();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [problemsFor, setProblemsFor] = useState<StartRunRequest | null>(null);
  const [pending, setPending] = useState<{ req: StartRunRequest; commands: ExternalCommandUse[] } | null>(null);

  const fail = (req: StartRunRequest, e: unknown): void => {
    const err = apiErrorOf(e);
    setProblems(err.problems?.length ? err.problems : [err.message]);
    setProblemsFor(req);
  };

  const start = async (req: StartRunRequest): Promise<void> => {
    setBusy(true);
    try {
      const res = await api.startRun(req);
      navigate(`/live/${encodeURIComponent(res.run_id)}`);
    } catch (e: unknown) {
      fail(req, e);
    } finally {
      setBusy(false);
    }
  };

  const run = async (req: StartRunRequest): Promise<void> => {
    setBusy(true);
    setProblems([]);
    setProblemsFor(null);
    try {
      const { confirm_external_commands: _c, name: _n, ...check } = req;
      const v = await api.validatePipeline(check);
      if (!v.valid) {
        setProblems(v.problems);
        setProblemsFor(req);
        return;
      }
      if (v.runs_external_commands && !req.confirm_external_commands) {
        setPending({ req, commands: v.external_commands });
        return;
      }
    } catch (e: unknown) {
      fail(req, e);
      return;
    } finally {
      setBusy(false);
    }
    await start(req);
  };

  const dialog = (
    <ExternalCommandsDialog
      commands={pending?.commands ?? null}
      onCancel={() => setPending(null)}
      onConfirm={() => {
        const req = pending?.req;
        setPending(null);
        if (req) void start({ ...req, confirm_external_commands: true });
      }}
    />
  );

  return { run, busy, problems, problemsFor, clearProblems: () => setProblems([]), dialog };
}
