/**
 * Ray's `ray.util.ActorPool` (`python/ray/util/actor_pool.py`) over promises: a fixed set of
 * actors, each running at most one call at a time, with results returned in submission order
 * (`getNext`) or completion order (`getNextUnordered`).
 *
 * Kept from Ray: idle actors form a stack (the most recently returned actor is reused first),
 * submits that find no idle actor wait in a FIFO list, result indices follow submission order,
 * and `hasFree`/`popIdle`/`push` keep their contracts.
 *
 * Where promises allow better, and so differ from Ray:
 * - An actor goes back to the pool as soon as its call settles, not when its result is collected,
 *   so a slow head result does not hold the other actors idle.
 * - An actor whose call rejected is returned to the pool like any other; the rejection is kept as
 *   that task's result and rethrown by the `getNext`/`getNextUnordered` call that returns it.
 * - A task dropped by `ignoreIfTimedOut` keeps its actor busy until its call settles (the fix
 *   Ray's own TODO asks for) and its result, or rejection, is discarded.
 * - `hasNext` also counts submits still waiting for an actor, and `getNext` after
 *   `getNextUnordered` returns the oldest result not yet returned instead of raising.
 *
 * No I/O; the only timer is the optional timeout of `getNext`/`getNextUnordered`.
 */

/** Starts the work for `value` on `actor`; the actor is busy until the promise settles (Ray's `fn(actor, v)`). */
export type ActorCall<A, V, R> = (actor: A, value: V) => Promise<R>;

/** Options of `getNext`/`getNextUnordered`, as Ray's `ignore_if_timedout`. */
export interface GetNextOptions {
  /** On timeout, drop the task being waited for (its result is discarded), then throw. */
  ignoreIfTimedOut?: boolean;
}

/** No result arrived within the timeout (Ray raises `TimeoutError("Timed out waiting for result")`). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(
    message: string,
    /** Submission index of the task that was dropped, when `ignoreIfTimedOut` was set. */
    readonly ignoredTask: number | null = null,
  ) {
    super(message);
  }
}

/** Misuse of the pool: an actor pushed twice, or a result asked for when none is outstanding. */
export class ActorPoolError extends Error {
  override name = 'ActorPoolError';
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Entry<A, V, R> {
  readonly index: number;
  readonly fn: ActorCall<A, V, R>;
  readonly value: V;
  started: boolean;
  outcome: Outcome<R> | null;
  /** The result will never be returned (ignored after a timeout, or discarded by map). */
  dropped: boolean;
  /** A getNext call is waiting for exactly this entry. */
  claimed: boolean;
  readonly settled: Promise<void>;
  readonly markSettled: () => void;
}

/**
 * `ray.util.ActorPool` for promise-returning calls; see the module comment for the contract and
 * the places it differs from Ray.
 */
export class ActorPool<A, V, R> {
  /** Idle actors, used as a stack: `pop()` takes the most recently returned one. */
  readonly #idle: A[];
  readonly #busy = new Map<A, Entry<A, V, R>>();
  /** Submits waiting for an actor, oldest first. */
  readonly #pending: Entry<A, V, R>[] = [];
  /** Results not yet returned nor dropped; Map order is submission order. */
  readonly #outstanding = new Map<number, Entry<A, V, R>>();
  #claimed = 0;
  /** Settled entries in completion order; entries already returned or dropped are skipped lazily. */
  readonly #completed: Entry<A, V, R>[] = [];
  #waiters: (() => void)[] = [];
  #nextIndex = 0;

  /** A pool over `actors`; the last actor of the list is the first one used, as in Ray. */
  constructor(actors: A[]) {
    if (new Set(actors).size !== actors.length) {
      throw new ActorPoolError('ActorPool was given the same actor twice; pass each actor once.');
    }
    this.#idle = [...actors];
  }

  /** Ray's `submit`: run `fn` on the most recently idle actor now, or queue it (FIFO) until one is free. */
  submit(fn: ActorCall<A, V, R>, value: V): void {
    let markSettled = (): void => {};
    const settled = new Promise<void>((resolve) => {
      markSettled = resolve;
    });
    const entry: Entry<A, V, R> = {
      index: this.#nextIndex++, fn, value, started: false, outcome: null, dropped: false, claimed: false, settled, markSettled,
    };
    this.#outstanding.set(entry.index, entry);
    if (this.#idle.length > 0) this.#start(entry, this.#idle.pop() as A);
    else this.#pending.push(entry);
  }

  /** Ray's `has_next`: whether any submitted task's result is still to be returned (queued submits included). */
  hasNext(): boolean {
    return this.#outstanding.size - this.#claimed > 0;
  }

  /**
   * Ray's `get_next`: the result of the oldest task not yet returned, strictly in submission
   * order; a rejected call rethrows its error here. With `timeoutMs` (0 only looks at what has
   * already settled) it throws {@link TimeoutError} when that task is not done in time; with
   * `ignoreIfTimedOut` the task is dropped first, so the next call moves on to the following one.
   */
  async getNext(timeoutMs?: number, options: GetNextOptions = {}): Promise<R> {
    const entry = this.#firstUnclaimed();
    if (entry === undefined) throw noResults('getNext');
    entry.claimed = true;
    this.#claimed++;
    const ready = await waitSettled(entry, timeoutMs);
    entry.claimed = false;
    this.#claimed--;
    if (ready) return this.#take(entry);
    if (options.ignoreIfTimedOut === true) {
      this.#drop(entry);
      throw new TimeoutError(`Timed out waiting for result. The task ${entry.index} has been ignored.`, entry.index);
    }
    // Put a result that settled during the timeout back where getNextUnordered can find it.
    if (entry.outcome !== null) this.#completed.push(entry);
    throw new TimeoutError('Timed out waiting for result');
  }

  /**
   * Ray's `get_next_unordered`: the result of whichever task finished first among those not yet
   * returned. On timeout throws {@link TimeoutError}; with `ignoreIfTimedOut` it first drops the
   * oldest outstanding task (Ray's version could reference an undefined future here).
   */
  async getNextUnordered(timeoutMs?: number, options: GetNextOptions = {}): Promise<R> {
    if (!this.hasNext()) throw noResults('getNextUnordered');
    let expired = timeoutMs !== undefined && timeoutMs <= 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expiry =
      timeoutMs !== undefined && timeoutMs > 0
        ? new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              expired = true;
              resolve();
            }, timeoutMs);
          })
        : null;
    try {
      for (;;) {
        const entry = this.#nextCompleted();
        if (entry !== undefined) return this.#take(entry);
        if (!this.hasNext()) throw noResults('getNextUnordered');
        if (expired) break;
        const changed = new Promise<void>((resolve) => this.#waiters.push(resolve));
        await (expiry === null ? changed : Promise.race([changed, expiry]));
      }
    } finally {
      clearTimeout(timer);
    }
    const oldest = options.ignoreIfTimedOut === true ? this.#firstUnclaimed() : undefined;
    if (oldest === undefined) throw new TimeoutError('Timed out waiting for result');
    this.#drop(oldest);
    throw new TimeoutError(`Timed out waiting for result. The task ${oldest.index} has been ignored.`, oldest.index);
  }

  /** Ray's `has_free`: an actor is idle and no submit is waiting for one. */
  hasFree(): boolean {
    return this.#idle.length > 0 && this.#pending.length === 0;
  }

  /** Ray's `pop_idle`: removes and returns the most recently idle actor if {@link hasFree}, else undefined. */
  popIdle(): A | undefined {
    return this.hasFree() ? this.#idle.pop() : undefined;
  }

  /**
   * Ray's `push`: adds an actor as idle, which may start the oldest waiting submit on it at once.
   * Throws {@link ActorPoolError} if the actor is already idle or busy in this pool.
   */
  push(actor: A): void {
    if (this.#idle.includes(actor) || this.#busy.has(actor)) {
      throw new ActorPoolError('Actor already belongs to this ActorPool; push() only adds new actors.');
    }
    this.#returnActor(actor);
  }

  /**
   * Ray's `map`: discards every result still outstanding from earlier submits, submits all
   * `values` now, and yields their results in input order. A rejected call ends the iteration
   * with its error; the other tasks keep running and the next `map` discards their results.
   */
  map(fn: ActorCall<A, V, R>, values: Iterable<V>): AsyncGenerator<R, void, undefined> {
    this.#submitAll(fn, values);
    return this.#results(false);
  }

  /** Ray's `map_unordered`: as {@link map}, but yields results in completion order. */
  mapUnordered(fn: ActorCall<A, V, R>, values: Iterable<V>): AsyncGenerator<R, void, undefined> {
    this.#submitAll(fn, values);
    return this.#results(true);
  }

  #submitAll(fn: ActorCall<A, V, R>, values: Iterable<V>): void {
    for (const entry of [...this.#outstanding.values()]) if (!entry.claimed) this.#drop(entry);
    for (const value of values) this.submit(fn, value);
  }

  async *#results(unordered: boolean): AsyncGenerator<R, void, undefined> {
    while (this.hasNext()) yield unordered ? await this.getNextUnordered() : await this.getNext();
  }

  #start(entry: Entry<A, V, R>, actor: A): void {
    entry.started = true;
    this.#busy.set(actor, entry);
    let call: Promise<R>;
    try {
      call = Promise.resolve(entry.fn(actor, entry.value));
    } catch (error: unknown) {
      call = Promise.reject(error);
    }
    void call.then(
      (value) => this.#settle(entry, actor, { ok: true, value }),
      (error: unknown) => this.#settle(entry, actor, { ok: false, error }),
    );
  }

  #settle(entry: Entry<A, V, R>, actor: A, outcome: Outcome<R>): void {
    entry.outcome = outcome;
    this.#busy.delete(actor);
    this.#returnActor(actor);
    if (!entry.dropped) this.#completed.push(entry);
    entry.markSettled();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Ray's `_return_actor`: the actor becomes idle, then the oldest waiting submit takes an idle actor. */
  #returnActor(actor: A): void {
    this.#idle.push(actor);
    const next = this.#pending.shift();
    if (next !== undefined) this.#start(next, this.#idle.pop() as A);
  }

  #firstUnclaimed(): Entry<A, V, R> | undefined {
    for (const entry of this.#outstanding.values()) if (!entry.claimed) return entry;
    return undefined;
  }

  #nextCompleted(): Entry<A, V, R> | undefined {
    for (let entry = this.#completed.shift(); entry !== undefined; entry = this.#completed.shift()) {
      // A claimed entry belongs to a waiting getNext, which re-queues it if it gives up.
      if (this.#outstanding.has(entry.index) && !entry.claimed) return entry;
    }
    return undefined;
  }

  #take(entry: Entry<A, V, R>): R {
    this.#outstanding.delete(entry.index);
    const outcome = entry.outcome;
    if (outcome === null) throw new ActorPoolError(`task ${entry.index} was taken before it settled`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  #drop(entry: Entry<A, V, R>): void {
    this.#outstanding.delete(entry.index);
    entry.dropped = true;
    if (!entry.started) {
      const at = this.#pending.indexOf(entry);
      if (at >= 0) this.#pending.splice(at, 1);
    }
  }
}

function noResults(method: string): ActorPoolError {
  return new ActorPoolError(`${method}() called with no results outstanding; check hasNext() or submit() first.`);
}

/** Whether the entry settles within `timeoutMs` (undefined waits forever, <= 0 only checks). */
function waitSettled<A, V, R>(entry: Entry<A, V, R>, timeoutMs: number | undefined): Promise<boolean> {
  if (entry.outcome !== null) return Promise.resolve(true);
  if (timeoutMs === undefined) return entry.settled.then(() => true);
  if (timeoutMs <= 0) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    void entry.settled.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
