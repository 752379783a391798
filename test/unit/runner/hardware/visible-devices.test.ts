import { describe, expect, it } from 'vitest';
import type { GpuDevice } from '../../../../runner/hardware/types.js';
import { applyCudaVisibleDevices, describeIgnoredEntries } from '../../../../runner/hardware/visible-devices.js';

function gpu(index: number, uuid: string): GpuDevice {
  return { index, uuid, name: `GPU ${index}`, memory_total_mb: 81559, memory_used_mb: 0, utilization_pct: 0 };
}

const ALL = [
  gpu(0, 'GPU-1234abcd-0000-0000-0000-000000000000'),
  gpu(1, 'GPU-5678abcd-0000-0000-0000-000000000000'),
  gpu(2, 'GPU-5679ffff-0000-0000-0000-000000000000'),
];
const indices = (value: string | undefined): number[] => applyCudaVisibleDevices(ALL, value).gpus.map((g) => g.index);

describe('applyCudaVisibleDevices', () => {
  it('keeps every device in probe order when the variable is unset', () => {
    expect(applyCudaVisibleDevices(ALL, undefined)).toEqual({ gpus: ALL, hidden_reason: null, ignored_from: null });
  });

  it('selects and orders devices by index', () => {
    expect(indices('2,0')).toEqual([2, 0]);
    expect(indices(' 1 , 2 ')).toEqual([1, 2]);
  });

  it('selects devices by full uuid, in any case, and by a prefix naming one device', () => {
    expect(indices('GPU-5678abcd-0000-0000-0000-000000000000,gpu-1234ABCD-0000-0000-0000-000000000000')).toEqual([1, 0]);
    expect(indices('GPU-1234,GPU-5679')).toEqual([0, 2]);
  });

  it('treats a prefix that names two devices as naming none', () => {
    const visible = applyCudaVisibleDevices(ALL, '0,GPU-567,1');
    expect(visible.gpus.map((g) => g.index)).toEqual([0]);
    expect(visible.ignored_from).toBe('GPU-567');
  });

  it('ends the list at the first entry that names no device, as CUDA does', () => {
    const visible = applyCudaVisibleDevices(ALL, '1,7,0');
    expect(visible.gpus.map((g) => g.index)).toEqual([1]);
    expect(visible.ignored_from).toBe('7');
    expect(visible.hidden_reason).toBeNull();
    expect(describeIgnoredEntries('1,7,0', visible)).toBe(
      'CUDA_VISIBLE_DEVICES="1,7,0": entry "7" names no device (or one already named), so it and every entry after it are ignored',
    );
  });

  it('ends the list at a device named twice', () => {
    expect(indices('0,GPU-1234,2')).toEqual([0]);
  });

  it('hides everything for an empty value and says so', () => {
    expect(applyCudaVisibleDevices(ALL, '')).toEqual({
      gpus: [],
      hidden_reason: 'CUDA_VISIBLE_DEVICES is set but empty, which hides all 3 GPUs',
      ignored_from: null,
    });
    expect(indices('  ')).toEqual([]);
  });

  it.each(['-1', 'NoDevFiles'])('hides everything for %s and names the entry', (value) => {
    const visible = applyCudaVisibleDevices(ALL, value);
    expect(visible.gpus).toEqual([]);
    expect(visible.hidden_reason).toBe(`CUDA_VISIBLE_DEVICES="${value}" hides all 3 GPUs: its first entry "${value}" names no device`);
    expect(describeIgnoredEntries(value, visible)).toBeNull();
  });

  it('has nothing to hide on a machine without GPUs', () => {
    expect(applyCudaVisibleDevices([], '0')).toEqual({ gpus: [], hidden_reason: null, ignored_from: '0' });
  });

  it('does not warn when every entry was used', () => {
    expect(describeIgnoredEntries('0,1', applyCudaVisibleDevices(ALL, '0,1'))).toBeNull();
  });
});
