// The result of the last check: "Pipeline is valid" with what will run, or every problem with its line.
import { Alert, List, Text } from '@mantine/core';
import type { BackendInfo, ValidateResult } from '../../../../runner/service/contract';
import type { ProblemIndex } from '../../pipeline/problems';

export interface ProblemsSummaryProps {
  check: ValidateResult | null;
  problems: readonly string[];
  index: ProblemIndex;
  backends: readonly BackendInfo[];
}

export function ProblemsSummary({ check, problems, index, backends }: ProblemsSummaryProps) {
  if (check?.valid) {
    const backend = backends.find((b) => b.name === check.backend)?.title ?? check.backend;
    return (
      <Alert color="green" title="Pipeline is valid" role="status">
        <Text size="sm">
          {check.stages.length} stage{check.stages.length === 1 ? '' : 's'} will run on {backend}: {check.stages.map((s) => s.name).join(' → ')}.
        </Text>
        {check.warnings.map((w) => (
          <Text key={w} size="sm" c="orange">
            {w}
          </Text>
        ))}
      </Alert>
    );
  }
  if (!problems.length) return null;
  return (
    <Alert color="red" title={`The pipeline has ${problems.length} problem${problems.length === 1 ? '' : 's'}`} role="alert">
      <Text size="sm" mb={4}>
        Problems in a stage are also shown under its fields.
      </Text>
      <List size="sm" spacing={2}>
        {index.all.map((p, i) => (
          <List.Item key={i}>
            {p.line !== null ? `Line ${p.line}: ` : ''}
            {p.text.replace(/^[^:\n]*:\d+: /, '')}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
