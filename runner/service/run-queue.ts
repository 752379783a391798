/**
 * The run queue's policy, a pure function: runs start in the order they were queued (first in,
 * first out, never skipping ahead), one at a time by default. With a higher limit, the next run
 * starts beside the running ones only when it fits the machine: the CPUs the runs may use add up
 * to at most the machine's, and no two runs that need GPUs may use the same device.
 */

/** What one run may use, as the queue sees it. */
export interface RunClaim {
  /** The run's CPU cap; null for the whole machine. */
  cpus: number | null;
  /** The run's GPU allow-list (indices or UUIDs); null for every GPU. */
  gpus: string[] | null;
  /** True when a stage of the run asks for a GPU. */
  needsGpu: boolean;
}

/** The machine, as the queue sees it. */
export interface QueueMachine {
  cpus: number;
  gpus: Array<{ index: number; uuid: string }>;
}

/** True when the run at the head of the queue may start beside `running`. */
export function mayStart(head: RunClaim, running: readonly RunClaim[], maxConcurrent: number, machine: QueueMachine): boolean {
  if (running.length === 0) return true;
  if (running.length >= maxConcurrent) return false;
  const cpusOf = (c: RunClaim) => Math.min(c.cpus ?? machine.cpus, machine.cpus);
  const used = running.reduce((n, r) => n + cpusOf(r), 0);
  if (used + cpusOf(head) > machine.cpus + 1e-9) return false;
  const wanted = gpusOf(head, machine);
  if (wanted.size === 0) return true;
  return running.every((r) => ![...gpusOf(r, machine)].some((g) => wanted.has(g)));
}

/** The devices a run may touch, by UUID where the allow-list entry names a known device. */
function gpusOf(c: RunClaim, machine: QueueMachine): Set<string> {
  if (!c.needsGpu) return new Set();
  if (c.gpus === null) return new Set(machine.gpus.map((g) => g.uuid));
  return new Set(
    c.gpus.map((entry) => {
      const e = entry.trim();
      const d = machine.gpus.find((g) => String(g.index) === e || g.uuid === e || (e.startsWith('GPU-') && g.uuid.startsWith(e)));
      return d ? d.uuid : e;
    }),
  );
}
