/**
 * Live run events for subscribers. A subscriber that arrives late (the usual case: a client starts
 * a run, then subscribes) is first given what it missed that still matters: the run's queued or
 * started event, its latest status, and its end.
 */
import type { CuratorEvent, CuratorEventListener } from './contract.js';

/** How many finished runs keep their last events for late subscribers. */
const FINISHED_KEPT = 200;

/** The events of one run a late subscriber is given. */
interface Snapshot {
  queued?: CuratorEvent;
  started?: CuratorEvent;
  status?: CuratorEvent;
  finished?: CuratorEvent;
}

/** Fans run events out to per-run and all-run subscribers. */
export class RunEventHub {
  private readonly byRun = new Map<string, Set<CuratorEventListener>>();
  private readonly all = new Set<CuratorEventListener>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly finishedOrder: string[] = [];

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  /** Delivers an event to the run's subscribers and the all-run subscribers. */
  publish(event: CuratorEvent): void {
    this.remember(event);
    for (const l of [...(this.byRun.get(event.run_id) ?? []), ...this.all]) this.deliver(l, event);
  }

  /**
   * Subscribes to one run (or every run with `null`). A run's subscriber first receives the
   * remembered events of that run, in order. Returns the unsubscribe function.
   */
  subscribe(runId: string | null, listener: CuratorEventListener): () => void {
    if (runId === null) {
      this.all.add(listener);
      return () => void this.all.delete(listener);
    }
    let set = this.byRun.get(runId);
    if (!set) this.byRun.set(runId, (set = new Set()));
    set.add(listener);
    const snap = this.snapshots.get(runId);
    if (snap) for (const e of [snap.queued, snap.started, snap.status, snap.finished]) if (e) this.deliver(listener, e);
    return () => {
      const s = this.byRun.get(runId);
      s?.delete(listener);
      if (s && s.size === 0) this.byRun.delete(runId);
    };
  }

  private remember(e: CuratorEvent): void {
    const snap = this.snapshots.get(e.run_id) ?? {};
    switch (e.type) {
      case 'run_queued':
        snap.queued = e;
        break;
      case 'run_started':
        snap.queued = undefined;
        snap.started = e;
        break;
      case 'stage_status':
        snap.status = e;
        break;
      case 'run_finished':
        snap.queued = undefined;
        snap.finished = e;
        this.finishedOrder.push(e.run_id);
        while (this.finishedOrder.length > FINISHED_KEPT) this.snapshots.delete(this.finishedOrder.shift() as string);
        break;
      default:
        return;
    }
    this.snapshots.set(e.run_id, snap);
  }

  private deliver(listener: CuratorEventListener, e: CuratorEvent): void {
    try {
      listener(e);
    } catch (err: unknown) {
      this.onListenerError(err);
    }
  }
}
