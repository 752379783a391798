// Subscribes to one run's events and folds them into the live state, a few times a second.
import { useEffect, useRef, useState } from 'react';
import type { CuratorEvent } from '../../../../runner/service/contract';
import { useCurator } from '../../api';
import { applyEvents, initialLiveState, MAX_LOG_LINES, withEarlierLogs, type LiveState } from './live-state';

/** How often buffered events are applied (events can arrive hundreds a second). */
const FLUSH_MS = 200;
/**
 * How often the view samples the machine itself while the run is going: the run's own samples
 * come every 2 s, which leaves a short run's CPU and memory charts with a point or none.
 */
const POLL_MS = 1000;

/** The live state of a run; `pollHardware` adds machine samples of the view's own while it is true and the run has not ended. */
export function useLiveRun(runId: string, pollHardware = false): LiveState {
  const api = useCurator();
  const [state, setState] = useState<LiveState>(() => initialLiveState(runId));
  const buffer = useRef<CuratorEvent[]>([]);

  useEffect(() => {
    setState(initialLiveState(runId));
    buffer.current = [];
    const flush = () => {
      if (!buffer.current.length) return;
      const batch = buffer.current;
      buffer.current = [];
      setState((s) => applyEvents(s, batch));
    };
    const unsubscribe = api.subscribe(runId, (e) => {
      buffer.current.push(e);
      // The end of a run shows at once.
      if (e.type === 'run_finished') flush();
    });
    const timer = setInterval(flush, FLUSH_MS);
    // The replay has no log lines: fetch what the run logged before this view opened.
    const subscribedAt = Date.now();
    let stopped = false;
    Promise.resolve()
      .then(() => api.runLogs({ run_id: runId, limit: 1 }))
      .then((head) => api.runLogs({ run_id: runId, offset: Math.max(0, head.total - MAX_LOG_LINES), limit: MAX_LOG_LINES }))
      .then(
        (page) => {
          if (!stopped) setState((s) => withEarlierLogs(s, page.lines, subscribedAt));
        },
        // A queued run has no log yet; the live lines still arrive.
        () => undefined,
      );
    return () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    };
  }, [api, runId]);

  const ended = state.summary !== null;
  useEffect(() => {
    if (!pollHardware || ended) return;
    let stopped = false;
    const poll = () =>
      api.hardwareSample().then(
        (sample) => {
          if (!stopped) buffer.current.push({ type: 'hardware_sample', run_id: runId, t: sample.t, sample });
        },
        // A failed sample leaves a gap; the run's own samples still arrive.
        () => undefined,
      );
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, runId, pollHardware, ended]);

  return state;
}
