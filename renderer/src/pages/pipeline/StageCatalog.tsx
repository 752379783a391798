// The "Add stage" dialog: the catalog grouped by category, searchable by type and description.
import { Badge, Button, Group, Modal, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { StageInfo } from '../../../../runner/service/contract';

const CATEGORY_TITLES: Record<string, string> = {
  io: 'Read and write',
  text: 'Text filters and modifiers',
  dedup: 'Deduplication',
  external: 'External programs',
  diagnostic: 'Diagnostics and testing',
};

export interface StageCatalogProps {
  opened: boolean;
  stages: readonly StageInfo[];
  onAdd: (type: string) => void;
  onClose: () => void;
}

export function StageCatalog({ opened, stages, onAdd, onClose }: StageCatalogProps) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const hits = stages.filter((s) => !q || s.type.toLowerCase().includes(q) || s.description.toLowerCase().includes(q) || s.category.includes(q));
    const out = new Map<string, StageInfo[]>();
    for (const s of hits) out.set(s.category, [...(out.get(s.category) ?? []), s]);
    return [...out.entries()];
  }, [stages, query]);

  return (
    <Modal opened={opened} onClose={onClose} title="Add stage" size="xl" scrollAreaComponent={ScrollArea.Autosize}>
      <TextInput type="search" role="searchbox" aria-label="Search stages" placeholder="Search stages by name or description" value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-autofocus mb="md" />
      {groups.length === 0 && <Text c="dimmed">No stage matches “{query}”.</Text>}
      <Stack gap="lg">
        {groups.map(([category, list]) => (
          <section key={category} aria-label={CATEGORY_TITLES[category] ?? category}>
            <Title order={4} mb="xs">
              {CATEGORY_TITLES[category] ?? category}
            </Title>
            <Stack gap="xs">
              {list.map((s) => (
                <Group key={s.type} justify="space-between" wrap="nowrap" align="flex-start" className="catalog-item">
                  <div style={{ minWidth: 0 }}>
                    <Group gap="xs">
                      <Text fw={600}>{s.type}</Text>
                      {s.category === 'external' && (
                        <Badge color="orange" variant="light" size="sm">
                          Runs a program
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" c="dimmed">
                      {s.description}
                    </Text>
                  </div>
                  <Button size="xs" variant="light" style={{ flexShrink: 0 }} aria-label={`Add ${s.type}`} onClick={() => onAdd(s.type)}>
                    Add
                  </Button>
                </Group>
              ))}
            </Stack>
          </section>
        ))}
      </Stack>
    </Modal>
  );
}
