/**
 * The piscina task of BusyStage: a fixed number of iterations of the same arithmetic loop as
 * `burnCpuMs`, so that a worker with several CPUs burns a batch's tasks in parallel threads.
 */
export default function spin({ iterations }: { iterations: number }): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}
