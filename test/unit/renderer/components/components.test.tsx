import { render, screen, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { chartDataOf } from '../../../../renderer/src/components/chart-data';
import { formatBytes, formatCount, formatDuration } from '../../../../renderer/src/components/formatters';
import { Funnel } from '../../../../renderer/src/components/Funnel';
import { RunCharts } from '../../../../renderer/src/components/RunCharts';
import { StatusText } from '../../../../renderer/src/components/StatusText';

const inMantine = (ui: ReactElement) => render(<MantineProvider env="test">{ui}</MantineProvider>);

describe('run view components', () => {
  it('formats durations, counts and bytes', () => {
    expect([formatDuration(0.42), formatDuration(42), formatDuration(185), formatDuration(7620), formatDuration(null)]).toEqual(['0.4 s', '42 s', '3 min 05 s', '2 h 07 min', '—']);
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([formatBytes(512), formatBytes(1536), formatBytes(3 * 2 ** 30)]).toEqual(['512 B', '1.5 KiB', '3.0 GiB']);
  });

  it('shows a status as text', () => {
    inMantine(<StatusText status="cancelled" />);
    expect(screen.getByText('Cancelled')).toBeTruthy();
  });

  it('names every chart and lists its last values in a hidden table', () => {
    const data = chartDataOf([
      { elapsed_s: 0.5, stages: [{ name: 'reader', items_out: 0 }] },
      { elapsed_s: 1, cpu_pct: 40, memory_used_bytes: 2 ** 30, gpus: [{ index: 0, utilization_pct: 55, memory_used_mb: 1024 }] },
      { elapsed_s: 1.5, stages: [{ name: 'reader', items_out: 50 }] },
    ]);
    inMantine(<RunCharts data={data} />);
    for (const name of ['Throughput over time', 'CPU use', 'Memory use', 'GPU 0 use']) expect(screen.getByRole('img', { name })).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Throughput over time: last values' })).getByText('50.0/s')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'CPU use: last values' })).getByText('40%')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'GPU 0 use: last values' })).getByText('55%')).toBeTruthy();
  });

  it('reads the funnel as a table with removal counts by reason', () => {
    inMantine(<Funnel rows={[{ name: 'dedup', items_in: 138, items_out: 89, removed: { exact_duplicate: 49 } }]} />);
    const row = within(screen.getByRole('table', { name: 'Documents per stage' })).getAllByRole('row')[1] as HTMLElement;
    expect(row.textContent).toContain('138');
    expect(row.textContent).toContain('89');
    expect(row.textContent).toContain('exact_duplicate: 49');
  });
});
