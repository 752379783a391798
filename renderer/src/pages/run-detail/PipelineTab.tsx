// The pipeline exactly as it ran (paths made absolute), as YAML, read-only.
import { Code, Group, Text, CopyButton, Button } from '@mantine/core';
import { stringify } from 'yaml';

export function PipelineTab({ pipeline }: { pipeline: unknown }) {
  const text = stringify(pipeline, { lineWidth: 0 });
  return (
    <div>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">
          The pipeline as run, with its paths made absolute.
        </Text>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy YAML'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block aria-label="Pipeline YAML" fz="sm">
        {text}
      </Code>
    </div>
  );
}
