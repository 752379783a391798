import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ActorPool,
  ActorPoolError,
  TimeoutError,
  type ActorCall,
} from '../../../../../../runner/backends/ray-actor-pool/policy/actor-pool.js';

/** A call whose completion the test decides: `finish(v)` resolves the call made for value v. */
function controlled() {
  const finishers = new Map<number, { resolve: (r: string) => void; reject: (e: unknown) => void }>();
  const started: string[] = [];
  const fn: ActorCall<string, number, string> = (actor, value) =>
    new Promise<string>((resolve, reject) => {
      started.push(`${actor}:${value}`);
      finishers.set(value, { resolve, reject });
    });
  async function finish(value: number, error?: unknown): Promise<void> {
    const f = finishers.get(value);
    if (f === undefined) throw new Error(`value ${value} was never started`);
    if (error === undefined) f.resolve(`r${value}`);
    else f.reject(error);
    // Let the pool observe the settlement (it returns the actor in a promise callback).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { fn, finish, started };
}

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('map and mapUnordered with latencies [4, 1, 1, 1] ms on 2 actors (schedulers.md §4 item 7)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const latencies = [4, 1, 1, 1];

  function timedCall(log: string[], t0: number): ActorCall<string, number, number> {
    return async (actor, value) => {
      log.push(`${actor}:${value}@${Date.now() - t0}`);
      await sleep(latencies[value] ?? 0);
      return value * 10;
    };
  }

  it('map returns results in input order, and a freed actor takes the next value at once', async () => {
    const pool = new ActorPool<string, number, number>(['a', 'b']);
    const log: string[] = [];
    const results = collect(pool.map(timedCall(log, Date.now()), [0, 1, 2, 3]));
    await vi.advanceTimersByTimeAsync(10);
    expect(await results).toEqual([0, 10, 20, 30]);
    // b (last in the list) takes 0, a takes 1; a is free again at 1 ms and 2 ms.
    expect(log).toEqual(['b:0@0', 'a:1@0', 'a:2@1', 'a:3@2']);
    expect(pool.hasNext()).toBe(false);
    expect(pool.hasFree()).toBe(true);
  });

  it('mapUnordered returns the fastest results first', async () => {
    const pool = new ActorPool<string, number, number>(['a', 'b']);
    const log: string[] = [];
    const results = collect(pool.mapUnordered(timedCall(log, Date.now()), [0, 1, 2, 3]));
    await vi.advanceTimersByTimeAsync(10);
    // 1 ends at 1 ms, 2 at 2 ms, 3 at 3 ms, 0 at 4 ms.
    expect(await results).toEqual([10, 20, 30, 0]);
  });

  it('getNext with a timeout throws TimeoutError when the head task is slower', async () => {
    const pool = new ActorPool<string, number, number>(['a']);
    pool.submit(timedCall([], Date.now()), 0); // takes 4 ms
    const next = pool.getNext(2);
    const settled = expect(next).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(2);
    await settled;
    // The task was not ignored: it is still the next result.
    expect(pool.hasNext()).toBe(true);
    const later = pool.getNext(5);
    await vi.advanceTimersByTimeAsync(5);
    expect(await later).toBe(0);
  });
});

describe('submit, hasFree and popIdle', () => {
  it('hasFree is false while submits wait for an actor, true once all are done', async () => {
    const { fn, finish, started } = controlled();
    const pool = new ActorPool<string, number, string>(['a', 'b']);
    expect(pool.hasFree()).toBe(true);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    pool.submit(fn, 2); // waits: both actors busy
    expect(started).toEqual(['b:0', 'a:1']);
    expect(pool.hasFree()).toBe(false);
    expect(pool.popIdle()).toBeUndefined();
    await finish(1); // a is returned and takes the pending value 2 at once
    expect(started).toEqual(['b:0', 'a:1', 'a:2']);
    expect(pool.hasFree()).toBe(false);
    await finish(0);
    expect(pool.hasFree()).toBe(true);
    expect(pool.popIdle()).toBe('b');
    expect(pool.popIdle()).toBeUndefined(); // a is still busy with 2
    await finish(2);
    expect([await pool.getNext(), await pool.getNext(), await pool.getNext()]).toEqual(['r0', 'r1', 'r2']);
  });

  it('reuses idle actors last-in first-out and starts pending submits first-in first-out', async () => {
    const { fn, finish, started } = controlled();
    const pool = new ActorPool<string, number, string>(['a', 'b', 'c']);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    pool.submit(fn, 2);
    expect(started).toEqual(['c:0', 'b:1', 'a:2']);
    pool.submit(fn, 3);
    pool.submit(fn, 4);
    await finish(2); // a frees first: takes 3 (oldest pending)
    await finish(0); // c frees: takes 4
    expect(started.slice(3)).toEqual(['a:3', 'c:4']);
    await finish(1); // b idle
    await finish(4); // c idle
    await finish(3); // a idle -> stack is [b, c, a]
    pool.submit(fn, 5);
    pool.submit(fn, 6);
    pool.submit(fn, 7);
    expect(started.slice(5)).toEqual(['a:5', 'c:6', 'b:7']);
  });

  it('a submit with no actor waits until push() supplies one', async () => {
    const { fn, finish, started } = controlled();
    const pool = new ActorPool<string, number, string>([]);
    pool.submit(fn, 0);
    expect(pool.hasNext()).toBe(true);
    expect(started).toEqual([]);
    pool.push('late');
    expect(started).toEqual(['late:0']);
    await finish(0);
    expect(await pool.getNext()).toBe('r0');
  });

  it('refuses the same actor twice in the constructor', () => {
    expect(() => new ActorPool(['a', 'a'])).toThrow(ActorPoolError);
  });
});

describe('push', () => {
  it('throws for an idle actor and for a busy actor, and accepts a new one', async () => {
    const { fn, finish } = controlled();
    const pool = new ActorPool<string, number, string>(['a', 'b']);
    pool.submit(fn, 0); // b busy
    expect(() => pool.push('a')).toThrow(ActorPoolError);
    expect(() => pool.push('b')).toThrow(/already belongs/);
    pool.push('c');
    expect(pool.popIdle()).toBe('c');
    await finish(0);
    expect(() => pool.push('b')).toThrow(ActorPoolError);
  });
});

describe('failed calls', () => {
  it('getNext rethrows the rejection and the actor goes back to the pool', async () => {
    const { fn, finish, started } = controlled();
    const pool = new ActorPool<string, number, string>(['a']);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    const boom = new Error('boom');
    await finish(0, boom);
    expect(started).toEqual(['a:0', 'a:1']); // a was returned despite the failure
    await expect(pool.getNext()).rejects.toBe(boom);
    await finish(1);
    expect(await pool.getNext()).toBe('r1');
    expect(pool.hasFree()).toBe(true);
  });

  it('a call that throws synchronously counts as a rejected result', async () => {
    const pool = new ActorPool<string, number, string>(['a']);
    pool.submit(() => {
      throw new Error('sync failure');
    }, 0);
    await expect(pool.getNext()).rejects.toThrow('sync failure');
    expect(pool.hasFree()).toBe(true);
  });

  it('map stops with the first error in input order', async () => {
    const pool = new ActorPool<string, number, number>(['a', 'b']);
    const fn: ActorCall<string, number, number> = async (_actor, v) => {
      if (v === 1) throw new Error(`bad value ${v}`);
      return v;
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const r of pool.map(fn, [0, 1, 2])) seen.push(r);
      })(),
    ).rejects.toThrow('bad value 1');
    expect(seen).toEqual([0]);
  });
});

describe('ordering, timeouts and ignoring', () => {
  it('getNext(0) throws TimeoutError for an unsettled head and keeps it', async () => {
    const { fn, finish } = controlled();
    const pool = new ActorPool<string, number, string>(['a', 'b']);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    await finish(1);
    await expect(pool.getNext(0)).rejects.toBeInstanceOf(TimeoutError);
    await finish(0);
    expect(await pool.getNext(0)).toBe('r0');
    expect(await pool.getNext(0)).toBe('r1');
  });

  it('ignoreIfTimedOut drops the head, keeps its actor busy until it settles, and discards its result', async () => {
    const { fn, finish, started } = controlled();
    const pool = new ActorPool<string, number, string>(['a']);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    const error = await pool.getNext(0, { ignoreIfTimedOut: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).ignoredTask).toBe(0);
    expect(started).toEqual(['a:0']); // 1 still waits: a is busy with the ignored task
    expect(pool.hasNext()).toBe(true);
    await finish(0, new Error('ignored failure')); // must not surface anywhere
    expect(started).toEqual(['a:0', 'a:1']);
    await finish(1);
    expect(await pool.getNext()).toBe('r1');
    expect(pool.hasNext()).toBe(false);
  });

  it('getNextUnordered with ignoreIfTimedOut drops the oldest task instead of failing', async () => {
    const { fn, finish } = controlled();
    const pool = new ActorPool<string, number, string>(['a', 'b']);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    const error = await pool.getNextUnordered(0, { ignoreIfTimedOut: true }).catch((e: unknown) => e);
    expect((error as TimeoutError).ignoredTask).toBe(0);
    await finish(0);
    await finish(1);
    expect(await pool.getNextUnordered()).toBe('r1');
    expect(pool.hasNext()).toBe(false);
  });

  it('getNext after getNextUnordered returns the oldest result not yet returned', async () => {
    const { fn, finish } = controlled();
    const pool = new ActorPool<string, number, string>(['a', 'b']);
    pool.submit(fn, 0);
    pool.submit(fn, 1);
    await finish(1);
    expect(await pool.getNextUnordered()).toBe('r1');
    await finish(0);
    expect(await pool.getNext()).toBe('r0');
  });

  it('asking for a result when none is outstanding is an ActorPoolError', async () => {
    const pool = new ActorPool<string, number, string>(['a']);
    await expect(pool.getNext()).rejects.toBeInstanceOf(ActorPoolError);
    await expect(pool.getNextUnordered()).rejects.toThrow(/no results outstanding/);
  });

  it('map discards the results of earlier submits', async () => {
    const pool = new ActorPool<string, number, number>(['a', 'b']);
    pool.submit(async (_a, v) => v, 100);
    expect(await collect(pool.map(async (_a, v) => v + 1, [1, 2]))).toEqual([2, 3]);
  });
});
