import type { Piscina } from 'piscina';

/**
 * The worker process's thread pool (piscina) for CPU-parallel work inside one batch. It exists
 * only when the stage's worker was given more than one CPU; stages ask for it with
 * `workerThreads()` and fall back to the worker's own thread when it is null.
 */
let pool: Piscina | null = null;
let size = 0;
let poolFile = '';

/** Sizes the pool; called by the worker entry from the stage's CPU allocation. */
export function setWorkerThreads(threads: number): void {
  size = Math.max(0, Math.floor(threads));
}

/**
 * A pool running the given task module, created on first use; null when the worker has one CPU.
 * piscina is loaded only here, so workers that never use threads do not pay for it at start-up.
 */
export async function workerThreads(filename: string): Promise<Piscina | null> {
  if (size < 2) return null;
  if (!pool) {
    const { Piscina: Pool } = await import('piscina');
    pool = new Pool({ filename, minThreads: size, maxThreads: size, idleTimeout: 60_000 });
    poolFile = filename;
  }
  else if (poolFile !== filename) throw new Error('one thread-pool module per worker process');
  return pool;
}

/** Threads available to the current worker (1 when there is no pool). */
export function workerThreadCount(): number {
  return Math.max(1, size);
}

/** Ends the pool at teardown. */
export async function closeWorkerThreads(): Promise<void> {
  if (pool) await pool.destroy();
  pool = null;
}
