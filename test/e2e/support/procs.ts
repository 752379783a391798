// Process trees on Linux (read from /proc), to check that a host leaves no worker behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The parent id of every process now alive, or null where /proc is not available. */
function parents(): Map<number, number> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(name), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Every live descendant of `pid` (children, their children, ...); null where /proc is missing. */
export function descendants(pid: number): number[] | null {
  const all = parents();
  if (!all) return null;
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift() as number;
    for (const [child, parent] of all) if (parent === p && !found.includes(child)) { found.push(child); queue.push(child); }
  }
  return found;
}

/** The ones of `pids` still alive (zombies count as gone). */
export function alive(pids: number[]): number[] {
  return pids.filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  });
}

/** Live processes (of this user) whose environment holds `name=value`; null where /proc is missing. */
export function processesWithEnv(name: string, value: string): number[] | null {
  const all = parents();
  if (!all) return null;
  const want = `${name}=${value}`;
  const found: number[] = [];
  for (const pid of all.keys()) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(want)) found.push(pid);
    } catch {
      // Another user's process, or one that ended.
    }
  }
  return alive(found);
}
