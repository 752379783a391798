// A page of documents: one column per field, long values clipped, a row opens to show the whole document.
import { ActionIcon, Code, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { formatValue } from './formatters';

export interface DocumentTableProps {
  documents: Array<Record<string, unknown>>;
  /** Column order; the union of the documents' keys when absent. */
  fields?: string[];
  caption: string;
  /** The number of the first document (for the row labels). */
  firstIndex?: number;
}

/** The union of the documents' keys, in first-seen order, internal `_curator_*` fields last. */
export function fieldsOf(documents: Array<Record<string, unknown>>): string[] {
  const seen: string[] = [];
  for (const d of documents) for (const k of Object.keys(d)) if (!seen.includes(k)) seen.push(k);
  return [...seen.filter((k) => !k.startsWith('_curator')), ...seen.filter((k) => k.startsWith('_curator'))];
}

export function DocumentTable({ documents, fields, caption, firstIndex = 0 }: DocumentTableProps) {
  const [open, setOpen] = useState<number | null>(null);
  const cols = fields ?? fieldsOf(documents);
  if (documents.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No documents
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped highlightOnHover captionSide="top" fz="sm">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={40}>
              #
            </Table.Th>
            {cols.map((c) => (
              <Table.Th key={c} scope="col">
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {documents.map((doc, i) => {
            const n = firstIndex + i + 1;
            const isOpen = open === i;
            return (
              <Fragment key={i}>
                <Table.Tr>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      size="sm"
                      aria-expanded={isOpen}
                      aria-label={`${isOpen ? 'Hide' : 'Show'} document ${n}`}
                      onClick={() => setOpen(isOpen ? null : i)}
                    >
                      {isOpen ? '▾' : '▸'}
                    </ActionIcon>
                  </Table.Td>
                  {cols.map((c) => (
                    <Table.Td key={c} maw={420} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={formatValue(doc[c], 2000)}>
                      {formatValue(doc[c])}
                    </Table.Td>
                  ))}
                </Table.Tr>
                {isOpen && (
                  <Table.Tr>
                    <Table.Td colSpan={cols.length + 1}>
                      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                        {JSON.stringify(doc, null, 2)}
                      </Code>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
