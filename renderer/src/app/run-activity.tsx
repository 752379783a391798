/**
 * The app-wide run subscription: one `subscribe(null, …)` for every run. It keeps the set of
 * active (queued or running) runs for the sidebar's live indicator, and refreshes cached queries
 * when runs change: `['runs']` on every start and end, `['run', id]` when a run finishes.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useCurator } from '../api';

const ActiveRunsContext = createContext<ReadonlySet<string>>(new Set());

/** The ids of runs that are queued or running now. */
export function useActiveRuns(): ReadonlySet<string> {
  return useContext(ActiveRunsContext);
}

function withId(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  return set.has(id) ? set : new Set([...set, id]);
}

function withoutId(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!set.has(id)) return set;
  const next = new Set(set);
  next.delete(id);
  return next;
}

export function RunActivityProvider({ children }: { children: ReactNode }) {
  const api = useCurator();
  const queryClient = useQueryClient();
  const [active, setActive] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let alive = true;
    const finished = new Set<string>();
    api
      .listRuns({ status: ['queued', 'running'], limit: 500 })
      .then((list) => {
        if (!alive) return;
        setActive((cur) => list.runs.reduce((s, r) => (finished.has(r.run_id) ? s : withId(s, r.run_id)), cur));
      })
      .catch(() => undefined);
    const unsubscribe = api.subscribe(null, (event) => {
      if (event.type === 'run_queued' || event.type === 'run_started') {
        setActive((cur) => withId(cur, event.run_id));
        void queryClient.invalidateQueries({ queryKey: ['runs'] });
      } else if (event.type === 'run_finished') {
        finished.add(event.run_id);
        setActive((cur) => withoutId(cur, event.run_id));
        void queryClient.invalidateQueries({ queryKey: ['runs'] });
        void queryClient.invalidateQueries({ queryKey: ['run', event.run_id] });
      }
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [api, queryClient]);

  return <ActiveRunsContext.Provider value={active}>{children}</ActiveRunsContext.Provider>;
}
