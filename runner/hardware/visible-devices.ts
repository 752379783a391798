/**
 * The parent's `CUDA_VISIBLE_DEVICES`, applied to the probed GPU list the way the CUDA runtime
 * reads it, so the runner never hands a worker a device the user meant to hide.
 */
import type { GpuDevice } from './types.js';

/** The variable CUDA reads; set on every worker by `workerEnv`. */
export const CUDA_VISIBLE_DEVICES = 'CUDA_VISIBLE_DEVICES';

/** The devices left visible, and why some or all were hidden. */
export interface VisibleDevices {
  /** The visible devices, in the order the variable names them. */
  gpus: GpuDevice[];
  /** Set when the variable hides every probed device: the sentence for `GpuProbe.reason`. */
  hidden_reason: string | null;
  /** The entry that named no device (or a device twice) and so ended the list; null when every entry was used. */
  ignored_from: string | null;
}

/**
 * Applies `CUDA_VISIBLE_DEVICES` to `all`:
 * - unset: every device, in probe order;
 * - empty (or blank): none — CPU-only, as Xenna sets it for CPU workers;
 * - otherwise a comma list whose entries are indices (nvidia-smi's, i.e. PCI bus order) or
 *   device UUIDs, a UUID prefix such as `GPU-1234` being enough when it names exactly one
 *   device. The list is read left to right and, as in CUDA, the first entry that names no
 *   device ends it: `0,7,1` on a two-GPU machine gives only GPU 0; `-1` and `NoDevFiles`
 *   (what some batch schedulers set) therefore hide everything. A device named twice also
 *   ends the list, since CUDA cannot expose one device as two.
 *
 * CUDA numbers devices fastest-first unless `CUDA_DEVICE_ORDER=PCI_BUS_ID`; on a machine with
 * mixed GPU models a numeric entry can therefore mean a different card to CUDA than to
 * nvidia-smi. UUIDs are unambiguous, which is why workers are always pinned by UUID.
 */
export function applyCudaVisibleDevices(all: readonly GpuDevice[], value: string | undefined): VisibleDevices {
  if (value === undefined) return { gpus: [...all], hidden_reason: null, ignored_from: null };
  const count = `${all.length} GPU${all.length === 1 ? '' : 's'}`;
  if (value.trim() === '') {
    return {
      gpus: [],
      hidden_reason: all.length ? `CUDA_VISIBLE_DEVICES is set but empty, which hides all ${count}` : null,
      ignored_from: null,
    };
  }
  const picked: GpuDevice[] = [];
  let ignoredFrom: string | null = null;
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    const device = findDevice(all, entry);
    if (!device || picked.includes(device)) {
      ignoredFrom = entry;
      break;
    }
    picked.push(device);
  }
  let hidden: string | null = null;
  if (picked.length === 0 && all.length > 0) {
    hidden = `CUDA_VISIBLE_DEVICES="${value}" hides all ${count}: its first entry "${ignoredFrom ?? ''}" names no device`;
  }
  return { gpus: picked, hidden_reason: hidden, ignored_from: ignoredFrom };
}

/** The one device an entry names: an index, an exact UUID, or a UUID prefix that matches a single device. */
function findDevice(all: readonly GpuDevice[], entry: string): GpuDevice | undefined {
  if (entry === '') return undefined;
  if (/^\d+$/.test(entry)) {
    const index = Number(entry);
    return all.find((d) => d.index === index);
  }
  const wanted = entry.toLowerCase();
  const exact = all.find((d) => d.uuid.toLowerCase() === wanted);
  if (exact) return exact;
  const byPrefix = all.filter((d) => d.uuid.toLowerCase().startsWith(wanted));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}

/**
 * A warning for the CLI and the run log when an entry cut the list short while some devices
 * stayed visible (the all-hidden case is already the probe's reason); null when nothing was cut.
 */
export function describeIgnoredEntries(value: string | undefined, visible: VisibleDevices): string | null {
  if (value === undefined || visible.ignored_from === null || visible.gpus.length === 0) return null;
  return (
    `CUDA_VISIBLE_DEVICES="${value}": entry "${visible.ignored_from}" names no device (or one already named), ` +
    `so it and every entry after it are ignored`
  );
}
