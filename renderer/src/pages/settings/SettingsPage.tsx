// `/settings`: where the history lives, how many runs at once, where template outputs go, and the theme.
import { Alert, Button, Group, NativeSelect, NumberInput, Paper, Stack, Text, TextInput, Title, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AppSettings, UpdateSettingsRequest } from '../../../../runner/service/contract';
import { apiErrorOf, useCurator } from '../../api';

interface Draft {
  data_dir: string;
  max_concurrent_runs: number | string;
  output_dir: string;
}

function draftOf(s: AppSettings): Draft {
  return { data_dir: s.pending_data_dir ?? s.data_dir, max_concurrent_runs: s.max_concurrent_runs, output_dir: s.output_dir };
}

/** Only what changed, so a save never rewrites what the user did not touch. */
export function changesOf(s: AppSettings, d: Draft): UpdateSettingsRequest {
  const out: UpdateSettingsRequest = {};
  const dataDir = d.data_dir.trim();
  if (dataDir && dataDir !== (s.pending_data_dir ?? s.data_dir)) out.data_dir = dataDir;
  const n = Number(d.max_concurrent_runs);
  if (Number.isInteger(n) && n !== s.max_concurrent_runs) out.max_concurrent_runs = n;
  const outDir = d.output_dir.trim();
  if (outDir && outDir !== s.output_dir) out.output_dir = outDir;
  return out;
}

export default function SettingsPage() {
  const api = useCurator();
  const queryClient = useQueryClient();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.settings() });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (req: UpdateSettingsRequest) => api.updateSettings(req),
    onSuccess: (s) => {
      queryClient.setQueryData(['settings'], s);
      setDraft(draftOf(s));
      setSaved(true);
    },
  });

  useEffect(() => {
    if (settings.data && draft === null) setDraft(draftOf(settings.data));
  }, [settings.data, draft]);

  if (settings.isError) return <Alert color="red" title="Could not read the settings">{apiErrorOf(settings.error).message}</Alert>;
  if (!settings.data || !draft) return <Text c="dimmed">Loading…</Text>;
  const s = settings.data;
  const changes = changesOf(s, draft);
  const dirty = Object.keys(changes).length > 0;
  const edit = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };

  return (
    <Stack maw={720}>
      <Title order={2}>Settings</Title>
      <Paper withBorder p="md" radius="md" component="form" onSubmit={(e: React.FormEvent) => { e.preventDefault(); if (dirty) save.mutate(changes); }}>
        <Stack>
          <TextInput
            label="Data folder"
            description={`Where the run history and settings are kept. A change takes effect the next time the app starts; until then the history stays in ${s.data_dir}.`}
            value={draft.data_dir}
            onChange={(e) => edit({ data_dir: e.currentTarget.value })}
          />
          {s.pending_data_dir && (
            <Alert color="blue" variant="light">
              {`The next start uses ${s.pending_data_dir}.`}
            </Alert>
          )}
          <NumberInput
            label="Runs at once"
            description="Runs that may go on at the same time when they fit the machine; the others wait in the queue."
            min={1}
            max={16}
            allowDecimal={false}
            value={draft.max_concurrent_runs}
            onChange={(v) => edit({ max_concurrent_runs: v })}
            styles={{ wrapper: { maxWidth: 200 } }}
          />
          <TextInput
            label="Output folder"
            description="Where runs started from templates write their outputs (a folder per template)."
            value={draft.output_dir}
            onChange={(e) => edit({ output_dir: e.currentTarget.value })}
          />
          {save.isError && (
            <Alert color="red" title="Not saved">
              {apiErrorOf(save.error).message}
              {apiErrorOf(save.error).problems?.map((p) => <Text key={p} size="sm">{p}</Text>)}
            </Alert>
          )}
          {saved && !save.isError && (
            <Alert color="green" variant="light" role="status">
              Settings saved.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => { setDraft(draftOf(s)); setSaved(false); }}>
              Undo changes
            </Button>
            <Button type="submit" disabled={!dirty} loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <NativeSelect
          label="Theme"
          description="Applies at once and is remembered on this computer."
          value={colorScheme}
          onChange={(e) => setColorScheme(e.currentTarget.value as MantineColorScheme)}
          data={[
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
            { value: 'auto', label: 'System' },
          ]}
          styles={{ wrapper: { maxWidth: 200 } }}
        />
      </Paper>
    </Stack>
  );
}
