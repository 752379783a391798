/**
 * Who owns a running run: the process id, host name and process start time are stored with it, so
 * that the next start of any host (CLI, `curator serve`, the app) can tell a run whose process died
 * from one still in progress, and mark the first `interrupted`. The start time guards against pid
 * reuse; runs owned by another host fall back to their heartbeat.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The identity of the process that writes a run. */
export interface RunOwner {
  pid: number;
  host: string;
  /** When the process started, in ms since the epoch (Linux: from /proc; elsewhere: now minus uptime). */
  startedMs: number;
}

/** What a stored owner row holds (any field may be missing in a damaged or foreign row). */
export interface StoredOwner {
  pid: number | null;
  host: string | null;
  startedMs: number | null;
  /** The last write of the run's recorder, ISO; null before the first. */
  heartbeatAt: string | null;
  createdAt: string;
}

/** How the current machine answers questions about processes; injected in tests. */
export interface ProcessProbe {
  host: string;
  now: number;
  /** True while a process with this id exists. */
  alive(pid: number): boolean;
  /** The start time of a live process in ms since the epoch, or null when the platform cannot tell. */
  startedMs(pid: number): number | null;
}

/** Two start times closer than this are the same process (/proc's boot time has 1 s resolution). */
const START_TOLERANCE_MS = 2_000;
/** A run of another host is given up after this long without a write from its recorder. */
export const FOREIGN_HEARTBEAT_TIMEOUT_MS = 10 * 60_000;

/**
 * True when the process that owned a run is gone: on this host, the pid is dead or now belongs to a
 * process that started at another time; on another host, no heartbeat for FOREIGN_HEARTBEAT_TIMEOUT_MS.
 */
export function ownerIsGone(owner: StoredOwner, probe: ProcessProbe): boolean {
  if (owner.pid === null || owner.host === null) return true;
  if (owner.host !== probe.host) {
    const last = Date.parse(owner.heartbeatAt ?? owner.createdAt);
    return !(probe.now - last < FOREIGN_HEARTBEAT_TIMEOUT_MS);
  }
  if (!probe.alive(owner.pid)) return true;
  const started = probe.startedMs(owner.pid);
  return started !== null && owner.startedMs !== null && Math.abs(started - owner.startedMs) > START_TOLERANCE_MS;
}

/** Whether a pid exists (EPERM: it exists but belongs to another user); a Linux zombie counts as dead. */
function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return linuxState(pid) !== 'Z';
}

/** Linux: the fields of /proc/<pid>/stat after the command name (state first); null elsewhere. */
function linuxStatFields(pid: number): string[] | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function linuxState(pid: number): string | null {
  return linuxStatFields(pid)?.[0] ?? null;
}

let bootMs: number | null | undefined;

/** Linux: boot time from /proc/stat `btime`, cached. */
function linuxBootMs(): number | null {
  if (bootMs !== undefined) return bootMs;
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    bootMs = m ? Number(m[1]) * 1000 : null;
  } catch {
    bootMs = null;
  }
  return bootMs;
}

/**
 * Linux: a process's start time from field 22 of /proc/<pid>/stat (clock ticks after boot; the
 * kernel's USER_HZ is 100 on every architecture Node supports). Null elsewhere.
 */
function linuxStartedMs(pid: number): number | null {
  const fields = linuxStatFields(pid);
  const boot = fields ? linuxBootMs() : null;
  if (!fields || boot === null) return null;
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? boot + ticks * 10 : null;
}

/** The probe of the running machine. */
export function systemProbe(): ProcessProbe {
  return { host: os.hostname(), now: Date.now(), alive: pidAlive, startedMs: linuxStartedMs };
}

/** The identity of this process, as stored with the runs it writes. */
export function currentOwner(): RunOwner {
  return {
    pid: process.pid,
    host: os.hostname(),
    startedMs: linuxStartedMs(process.pid) ?? Math.round(Date.now() - process.uptime() * 1000),
  };
}
