/**
 * Delivers the events that arrive over one connection to the page's listeners, keyed by run id or
 * `*` (every run). The server keeps one subscription per key and replays a run's missed events
 * (queued or started, latest status, end) whenever that key is subscribed, which happens again
 * after every reconnect. So each listener remembers the time of the last replayable event of each
 * type per run, and a replayed event it has already had is not given to it twice. A listener that
 * joins a key already subscribed gets the same replay from the copy kept here.
 */
import type { CuratorEvent, CuratorEventListener } from '../../../runner/service/contract';

/** The all-runs key. */
export const ALL_RUNS = '*';

/** Event types the server replays to a late subscriber. */
const REPLAYED = new Set<CuratorEvent['type']>(['run_queued', 'run_started', 'stage_status', 'run_finished']);
/** Finished runs whose last events are kept for late listeners. */
const FINISHED_KEPT = 200;

interface Entry {
  listener: CuratorEventListener;
  /** `${run_id} ${type}` → time of the last such event given to this listener. */
  seen: Map<string, number>;
}

interface Snapshot {
  queued?: CuratorEvent;
  started?: CuratorEvent;
  status?: CuratorEvent;
  finished?: CuratorEvent;
}

/** Listeners by key, with replay de-duplication. */
export class EventRouter {
  private readonly byKey = new Map<string, Set<Entry>>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly finishedOrder: string[] = [];

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  /** The keys with at least one listener (to subscribe again after a reconnect). */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /**
   * Adds a listener; answers whether its key is new (so the server must be asked to subscribe) and
   * the function that removes it, which answers whether the key is now empty.
   */
  add(key: string, listener: CuratorEventListener): { isNewKey: boolean; remove: () => boolean } {
    let set = this.byKey.get(key);
    const isNewKey = !set;
    if (!set) this.byKey.set(key, (set = new Set()));
    const entry: Entry = { listener, seen: new Map() };
    set.add(entry);
    if (key !== ALL_RUNS) {
      // What this connection already knows of the run; the server's own replay may follow.
      const snap = this.snapshots.get(key);
      const missed = snap ? [snap.queued, snap.started, snap.status, snap.finished].filter((e): e is CuratorEvent => e !== undefined) : [];
      if (missed.length) queueMicrotask(() => missed.forEach((e) => set.has(entry) && this.give(entry, e)));
    }
    let removed = false;
    return {
      isNewKey,
      remove: () => {
        if (removed) return false;
        removed = true;
        const s = this.byKey.get(key);
        s?.delete(entry);
        if (s && s.size === 0) {
          this.byKey.delete(key);
          return true;
        }
        return false;
      },
    };
  }

  /** One event from the server: to the all-runs listeners and to the run's own listeners. */
  dispatch(event: CuratorEvent): void {
    this.remember(event);
    const targets = [...(this.byKey.get(ALL_RUNS) ?? []), ...(this.byKey.get(event.run_id) ?? [])];
    for (const entry of targets) this.give(entry, event);
  }

  private give(entry: Entry, e: CuratorEvent): void {
    if (REPLAYED.has(e.type)) {
      const k = `${e.run_id} ${e.type}`;
      const last = entry.seen.get(k);
      if (last !== undefined && e.t <= last) return;
      entry.seen.set(k, e.t);
    }
    try {
      entry.listener(e);
    } catch (err: unknown) {
      this.onListenerError(err);
    }
  }

  private remember(e: CuratorEvent): void {
    if (!REPLAYED.has(e.type)) return;
    const snap = this.snapshots.get(e.run_id) ?? {};
    if (e.type === 'run_queued') snap.queued = e;
    else if (e.type === 'run_started') {
      snap.queued = undefined;
      snap.started = e;
    } else if (e.type === 'stage_status') snap.status = e;
    else if (e.type === 'run_finished') {
      if (!snap.finished) this.finishedOrder.push(e.run_id);
      snap.queued = undefined;
      snap.finished = e;
      while (this.finishedOrder.length > FINISHED_KEPT) this.snapshots.delete(this.finishedOrder.shift() as string);
    }
    this.snapshots.set(e.run_id, snap);
  }
}
