/**
 * Per-stage speed and fan-out estimates (used by the Xenna autoscaler and the status log): Xenna's `RateEstimatorDuration`
 * and `NumberOfReturnsEstimator` over one shared window, with the "last valid" memory of
 * `SpeedAndNumberOfReturnsEstimator`. Pure bookkeeping; the caller passes the clock.
 */

/** One finished task: when `process_data` started, how long it ran, and how many outputs it made. */
export interface TaskSample {
  /** Seconds on any monotonic clock shared with `now`. */
  start: number;
  /** Seconds spent in `process_data` only (download and deserialisation excluded). */
  duration: number;
  numReturns: number;
}

/**
 * Rolling estimate of a stage's batches per second per worker and outputs per batch (Xenna §1.6).
 *
 * A sample is dropped only when it is both older than the window and more than `minEvents`
 * samples remain, so the `minEvents` most recent samples stay even when stale (Xenna documents
 * that a stalled stage then reports a stale rate). Estimates are "last valid": once a value has
 * been computed it is returned until a newer valid one replaces it, never undefined again.
 */
export class RateEstimator {
  private readonly events: TaskSample[] = [];
  private lastSpeed: number | undefined;
  private lastReturns: number | undefined;

  /** Xenna's defaults: `autoscale_speed_estimation_window_duration_s` 180 and `min_data_points` 5. */
  constructor(
    readonly windowS = 180,
    readonly minEvents = 5,
  ) {}

  /** Records one task; eviction runs with the sample's start as "now", as Xenna's `update` does. */
  add(sample: TaskSample): void {
    this.events.push({ start: sample.start, duration: sample.duration, numReturns: sample.numReturns });
    this.evict(sample.start);
  }

  /** `1 / mean(duration)` in batches per second per worker; undefined until a valid mean exists. */
  speed(now: number): number | undefined {
    this.refresh(now);
    return this.lastSpeed;
  }

  /** `mean(numReturns)` over the kept samples; undefined until the first sample. */
  returnsPerBatch(now: number): number | undefined {
    this.refresh(now);
    return this.lastReturns;
  }

  /** Samples currently kept. */
  get count(): number {
    return this.events.length;
  }

  private evict(now: number): void {
    while (this.events.length > 0) {
      const oldest = this.events[0] as TaskSample;
      const tooOld = now - oldest.start > this.windowS;
      if (!tooOld || this.events.length <= this.minEvents) break;
      this.events.shift();
    }
  }

  private refresh(now: number): void {
    this.evict(now);
    const n = this.events.length;
    if (n === 0) return;
    let durations = 0;
    let returns = 0;
    for (const e of this.events) {
      durations += e.duration;
      returns += e.numReturns;
    }
    const meanDuration = durations / n;
    // Xenna's `maybe_get_rate` has no rate for a non-positive mean; the last valid one stands.
    if (meanDuration > 0) this.lastSpeed = 1 / meanDuration;
    this.lastReturns = returns / n;
  }
}

/** The median of a list (mean of the middle two for an even count); undefined for an empty list. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}
