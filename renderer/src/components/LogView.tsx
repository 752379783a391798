// Log lines in a scrolling monospace list, and the "Log level" filter both log views share.
import { Badge, Code, NativeSelect, ScrollArea, Table, Text } from '@mantine/core';

/** One line as the views show it (a stored LogLine or a live log event). */
export interface LogViewLine {
  t: string | number;
  level: string;
  source: string;
  message: string;
}

/** The filter's choices: a minimum level. */
export type LogLevelChoice = 'debug' | 'info' | 'warn' | 'error';

const ORDER: LogLevelChoice[] = ['debug', 'info', 'warn', 'error'];

/** The levels a minimum level admits, e.g. "warn" → ["warn", "error"]. */
export function levelsFrom(min: LogLevelChoice): LogLevelChoice[] {
  return ORDER.slice(ORDER.indexOf(min));
}

/** The "Log level" combobox. */
export function LogLevelSelect({ value, onChange }: { value: LogLevelChoice; onChange: (v: LogLevelChoice) => void }) {
  return (
    <NativeSelect
      label="Log level"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value as LogLevelChoice)}
      data={[
        { value: 'debug', label: 'Everything (debug and up)' },
        { value: 'info', label: 'Info and up' },
        { value: 'warn', label: 'Warnings and errors' },
        { value: 'error', label: 'Errors only' },
      ]}
      w={240}
    />
  );
}

const LEVEL_COLOR: Record<string, string> = { debug: 'gray', info: 'blue', warn: 'yellow', error: 'red' };

function timeOf(t: string | number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour12: false });
}

export function LogView({ lines, height = 360, empty = 'No log lines' }: { lines: LogViewLine[]; height?: number; empty?: string }) {
  if (lines.length === 0) {
    return (
      <Text c="dimmed" size="sm" py="md">
        {empty}
      </Text>
    );
  }
  return (
    <ScrollArea h={height} type="auto" offsetScrollbars>
      <Table verticalSpacing={2} fz="xs" aria-label="Log" captionSide="top">
        <Table.Tbody>
          {lines.map((l, i) => (
            <Table.Tr key={i}>
              <Table.Td w={80} c="dimmed" style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                {timeOf(l.t)}
              </Table.Td>
              <Table.Td w={72} style={{ verticalAlign: 'top' }}>
                <Badge size="xs" variant="light" styles={{ label: { overflow: 'visible' } }} color={LEVEL_COLOR[l.level] ?? 'gray'}>
                  {l.level}
                </Badge>
              </Table.Td>
              <Table.Td w={140} c="dimmed" style={{ verticalAlign: 'top' }}>
                {l.source}
              </Table.Td>
              <Table.Td>
                <Code block={l.message.includes('\n')} fz="xs" bg="transparent" p={0} style={{ whiteSpace: l.message.includes('\n') ? 'pre' : 'pre-wrap', overflowX: 'auto' }}>
                  {l.message}
                </Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
