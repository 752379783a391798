// A run's charts: throughput per stage, CPU, memory and each GPU's use.
import { SimpleGrid } from '@mantine/core';
import type { ChartData } from './chart-data';
import { formatBytes, formatPercent, formatRate } from './formatters';
import { TimeChart } from './TimeChart';

const GIB = 1024 ** 3;

/** `emptyText`: what a chart without points says (see TimeChart). */
export function RunCharts({ data, emptyText }: { data: ChartData; emptyText?: string }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <TimeChart emptyText={emptyText} label="Throughput over time" x={data.throughput.x} series={data.throughput.series} format={formatRate} />
      <TimeChart emptyText={emptyText} label="CPU use" x={data.cpu.x} series={[{ label: 'CPU', values: data.cpu.values }]} format={formatPercent} yRange={[0, 100]} />
      <TimeChart emptyText={emptyText} label="Memory use" x={data.memory.x} series={[{ label: 'Memory in use', values: data.memory.values }]} format={formatBytes} zeroMax={GIB} />
      {data.gpus.map((g) => (
        <TimeChart
          key={g.index}
          label={`GPU ${g.index} use`}
          x={g.x}
          series={[{ label: 'Utilisation', values: g.utilization }]}
          format={formatPercent}
          yRange={[0, 100]}
        />
      ))}
      {data.gpus.map((g) => (
        <TimeChart
          key={`m${g.index}`}
          label={`GPU ${g.index} memory`}
          x={g.x}
          series={[{ label: 'Memory in use', values: g.memoryMb.map((v) => (v === null ? null : v * 1024 * 1024)) }]}
          format={formatBytes}
          zeroMax={GIB}
        />
      ))}
    </SimpleGrid>
  );
}
