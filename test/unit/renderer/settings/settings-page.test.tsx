import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AppSettings, UpdateSettingsRequest } from '../../../../runner/service/contract';
import SettingsPage from '../../../../renderer/src/pages/settings/SettingsPage';
import { renderWithProviders } from '../render';

const settings: AppSettings = { max_concurrent_runs: 1, gpu_allow_list: null, output_dir: '/home/u/outputs', data_dir: '/home/u/.curator', pending_data_dir: null };

describe('Settings page', () => {
  it('saves only what changed and says when the data folder takes effect', async () => {
    const user = userEvent.setup();
    const updateSettings = vi.fn(async (a: UpdateSettingsRequest) => ({ ...settings, ...(a.max_concurrent_runs ? { max_concurrent_runs: a.max_concurrent_runs } : {}), pending_data_dir: a.data_dir ?? null }));
    renderWithProviders(<SettingsPage />, { client: { settings: async () => settings, updateSettings } });
    const dataDir = await screen.findByRole('textbox', { name: 'Data folder' });
    await user.clear(dataDir);
    await user.type(dataDir, '/mnt/big/curator');
    const runs = screen.getByRole('textbox', { name: 'Runs at once' });
    await user.clear(runs);
    await user.type(runs, '3');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(updateSettings).toHaveBeenCalledWith({ data_dir: '/mnt/big/curator', max_concurrent_runs: 3 }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(screen.getByText('The next start uses /mnt/big/curator.')).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Theme' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Output folder' })).toBeTruthy();
  });
});
