// A time series chart (uPlot) with an accessible name and, for screen readers, a table of the last values.
import { Paper, Table, Text, VisuallyHidden, useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  /** One value per x; null leaves a gap. */
  values: Array<number | null>;
}

export interface TimeChartProps {
  /** The accessible name, e.g. "Throughput over time"; also the chart's title. */
  label: string;
  /** Seconds since the run started. */
  x: number[];
  series: ChartSeries[];
  /** How the y values read ("12/s", "40%", "1.2 GiB"). */
  format?: (v: number | null) => string;
  /** The top of the y axis while every value is 0 (e.g. 1 GiB for memory, so the ticks read in whole units). */
  zeroMax?: number;
  /** Fixed y range, e.g. [0, 100] for percentages. */
  yRange?: [number, number];
  height?: number;
  /** What an empty chart says: "No data yet" while a run goes, something else once it has ended. */
  emptyText?: string;
}

const COLORS = ['#228be6', '#40c057', '#fab005', '#fa5252', '#7950f2', '#15aabf', '#fd7e14', '#e64980', '#82c91e', '#868e96'];

/** True where drawing is impossible (the test DOM has no canvas). */
function cannotDraw(): boolean {
  return typeof navigator !== 'undefined' && /jsdom/i.test(navigator.userAgent);
}

export function TimeChart({ label, x, series, format = (v) => (v === null ? '—' : String(v)), yRange, zeroMax = 1, height = 180, emptyText = 'No data yet' }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const scheme = useComputedColorScheme('light');
  const shape = `${series.map((s) => s.label).join('|')}|${scheme}|${yRange?.join(',') ?? ''}`;
  const formatRef = useRef(format);
  formatRef.current = format;

  // Build the plot when the set of series changes; feed it data on every render below.
  useEffect(() => {
    const el = box.current;
    if (!el || cannotDraw()) return;
    const axisColor = scheme === 'dark' ? '#c1c2c5' : '#495057';
    const gridColor = scheme === 'dark' ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.07)';
    const axis = { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: series.length > 1, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: yRange ? { range: yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : zeroMax] } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((t) => `${t}s`) },
        { ...axis, size: 84, values: (_u, ticks) => ticks.map((t) => formatRef.current(t)) },
      ],
      series: [{ label: 'Time (s)' }, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false, value: (_u: uPlot, v: number | null) => formatRef.current(v) }))],
    };
    const u = new uPlot(opts, [[], ...series.map(() => [])] as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt only when the shape changes
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  });

  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="sm" fw={600} mb={4} aria-hidden>
        {label}
      </Text>
      <div ref={box} role="img" aria-label={label} style={{ minHeight: height }} />
      {x.length === 0 && (
        <Text size="xs" c="dimmed">
          {emptyText}
        </Text>
      )}
      <VisuallyHidden>
        <Table>
          <caption>{`${label}: last values`}</caption>
          <tbody>
            {series.map((s) => (
              <tr key={s.label}>
                <th scope="row">{s.label}</th>
                <td>{format(lastValue(s.values))}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </VisuallyHidden>
    </Paper>
  );
}

function lastValue(values: Array<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}
