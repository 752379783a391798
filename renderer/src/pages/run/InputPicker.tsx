/**
 * Choosing the input data: a path typed or pasted, the shell's file and folder dialogs ("Browse…",
 * Electron only), or a file or folder dropped on the drop zone; below it a live preview of what
 * the path holds (file count and the first documents).
 */
import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { apiErrorOf, useCurator } from '../../api';
import { useShell } from '../../shell';

export interface InputPickerProps {
  value: string;
  onChange: (path: string) => void;
  /** Folder a relative path resolves against (the pipeline's). */
  baseDir: string | undefined;
  description: string;
}

function snippet(doc: Record<string, unknown>): string {
  const text = typeof doc.text === 'string' ? doc.text : JSON.stringify(doc);
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

export function InputPicker({ value, onChange, baseDir, description }: InputPickerProps) {
  const api = useCurator();
  const shell = useShell();
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [path] = useDebouncedValue(value.trim(), 400);
  const native = shell.kind === 'electron';
  const preview = useQuery({
    queryKey: ['preview-input', path, baseDir ?? null],
    queryFn: () => api.previewInput({ path, ...(baseDir ? { base_dir: baseDir } : {}), limit: 3, max_value_chars: 300 }),
    enabled: path !== '',
    retry: false,
  });

  const browse = async (kind: 'file' | 'folder'): Promise<void> => {
    const picked = await shell.pickPath({ kind, title: kind === 'folder' ? 'Choose the input folder' : 'Choose the input file', ...(kind === 'file' ? { filters: [{ name: 'Documents', extensions: ['jsonl', 'json', 'gz', 'zst', 'parquet'] }] } : {}) });
    if (picked) onChange(picked);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const p = shell.pathForFile(file);
    if (p) {
      onChange(p);
      setDropNote(null);
    } else setDropNote(`This browser does not tell the app where “${file.name}” is; type or paste its path above.`);
  };

  return (
    <Stack gap="xs">
      <Group align="flex-end" wrap="nowrap" gap="xs">
        <TextInput
          style={{ flex: 1 }}
          label="Input data"
          description={description}
          placeholder="A JSONL or Parquet file, or a folder of them"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          spellCheck={false}
        />
        <Button variant="default" disabled={!native} onClick={() => void browse('folder')} title={native ? 'Choose a folder' : 'Type the path: a browser cannot open folders on the service machine'}>
          Browse…
        </Button>
        <Button variant="default" disabled={!native} onClick={() => void browse('file')} aria-label="Choose a file">
          File…
        </Button>
      </Group>
      {!native && (
        <Text size="xs" c="dimmed">
          In a browser, type or paste the path of a file or folder on the computer running Curator.
        </Text>
      )}
      <Paper
        withBorder
        radius="md"
        p="sm"
        className={dragging ? 'drop-zone drop-zone-active' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Text size="sm" c="dimmed" ta="center">
          Drop a file or folder here
        </Text>
      </Paper>
      {dropNote && (
        <Text size="sm" c="orange" role="status">
          {dropNote}
        </Text>
      )}
      {path !== '' && (
        <Paper withBorder radius="md" p="sm" component="section" aria-label="Input preview">
          {preview.isPending && <Text size="sm" c="dimmed">Looking at {path}…</Text>}
          {preview.isError && (
            <Text size="sm" c="red" role="alert">
              {apiErrorOf(preview.error).message}
            </Text>
          )}
          {preview.data && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {preview.data.files.length} file{preview.data.files.length === 1 ? '' : 's'}
                {preview.data.files.length ? ` · first documents` : ''}
              </Text>
              {preview.data.documents.map((d, i) => (
                <Text key={i} size="xs" ff="monospace" lineClamp={2}>
                  {typeof d.id === 'string' || typeof d.id === 'number' ? `${d.id}: ` : ''}
                  {snippet(d)}
                </Text>
              ))}
              {preview.data.problems.map((p) => (
                <Text key={p} size="xs" c="red">
                  {p}
                </Text>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
