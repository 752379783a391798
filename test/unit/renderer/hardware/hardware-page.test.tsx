import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AppSettings, HardwareInfo } from '../../../../runner/service/contract';
import HardwarePage from '../../../../renderer/src/pages/hardware/HardwarePage';
import { toggleAllowed } from '../../../../renderer/src/pages/hardware/gpu-allow';
import { renderWithProviders } from '../render';

const gpus = [0, 1].map((index) => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA H100', memory_total_mb: 81559, memory_used_mb: 100, utilization_pct: 3 }));
const inventory = (withGpus: boolean): HardwareInfo => ({
  inventory: {
    cpus: 16, cpu_model: 'AMD EPYC', memory_total_bytes: 64 * 2 ** 30, platform: 'linux-x64',
    gpus: withGpus ? gpus : [],
    gpu_probe: withGpus ? { available: true, reason: null, driver_version: '550.54', source: 'nvidia-smi' } : { available: false, reason: 'no NVIDIA driver / nvidia-smi not found on PATH', driver_version: null, source: 'none' },
  },
});
const settings: AppSettings = { max_concurrent_runs: 1, gpu_allow_list: null, output_dir: '/o', data_dir: '/d', pending_data_dir: null };
const sample = async () => ({ t: 0, cpu_pct: 12, memory_used_bytes: 2 ** 30, memory_total_bytes: 64 * 2 ** 30, gpus: [] });

describe('Hardware page', () => {
  it('computes the allow-list a switch leaves', () => {
    expect(toggleAllowed(null, gpus, gpus[1] as (typeof gpus)[number], false)).toEqual(['0']);
    expect(toggleAllowed(['0'], gpus, gpus[1] as (typeof gpus)[number], true)).toBeNull();
  });

  it('names each GPU switch and saves the allow-list', async () => {
    const user = userEvent.setup();
    const updateSettings = vi.fn(async (a: { gpu_allow_list?: string[] | null }) => ({ ...settings, gpu_allow_list: a.gpu_allow_list ?? null }));
    renderWithProviders(<HardwarePage />, { client: { hardware: async () => inventory(true), hardwareSample: sample, settings: async () => settings, updateSettings } });
    const one = await screen.findByRole('switch', { name: 'Allow GPU 1 NVIDIA H100' });
    expect((one as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect((one as HTMLInputElement).disabled).toBe(false));
    await user.click(one);
    await waitFor(() => expect(updateSettings).toHaveBeenCalledWith({ gpu_allow_list: ['0'] }));
    await waitFor(() => expect((screen.getByRole('switch', { name: 'Allow GPU 1 NVIDIA H100' }) as HTMLInputElement).checked).toBe(false));
    expect(screen.getByText(/Driver 550\.54/)).toBeTruthy();
  });

  it('says why there is no GPU', async () => {
    renderWithProviders(<HardwarePage />, { client: { hardware: async () => inventory(false), hardwareSample: sample, settings: async () => settings } });
    expect(await screen.findByText(/No NVIDIA driver \/ nvidia-smi not found on PATH\./)).toBeTruthy();
  });
});
