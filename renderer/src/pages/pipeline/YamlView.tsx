// The YAML tab: the lazily loaded CodeMirror editor and, below it, the syntax error with its line.
import { Alert, Loader, Stack, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { YamlSyntaxError } from '../../pipeline/yaml-sync';

const YamlEditor = lazy(() => import('./YamlEditor'));

export interface YamlViewProps {
  text: string;
  onChange: (text: string) => void;
  error: YamlSyntaxError | null;
}

export function YamlView({ text, onChange, error }: YamlViewProps) {
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        The same pipeline as the form: edit either one. Comments you write here are kept when you change the form.
      </Text>
      <Suspense fallback={<Loader size="sm" aria-label="Loading the editor" />}>
        <YamlEditor value={text} onChange={onChange} error={error} label="Pipeline YAML" />
      </Suspense>
      {error && (
        <Alert color="red" title="The YAML has an error" role="alert">
          Line {error.line}: {error.message}. The form keeps the last valid pipeline until this is fixed.
        </Alert>
      )}
    </Stack>
  );
}
