// Subscribes to one run's events and folds them into the live state, a few times a second.
import { useEffect, useRef, useState } from 'react';
import type { CuratorEvent } from '../../components/contract-types';
import { useCurator } from '../../api';
import { applyEvents, initialLiveState, type LiveState } from './live-state';

/** How often buffered events are applied (events can arrive hundreds a second). */
const FLUSH_MS = 200;

export function useLiveRun(runId: string): LiveState {
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
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [api, runId]);

  return state;
}
