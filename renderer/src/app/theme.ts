// The app's look: Mantine's defaults with a calm indigo accent, system fonts and rounder corners.
import { createTheme, localStorageColorSchemeManager } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", "Cascadia Mono", "Liberation Mono", Menlo, monospace',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
});

/**
 * Light, dark or auto (the system's), kept in localStorage; the Settings page switches it with
 * Mantine's `useMantineColorScheme`.
 */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'curator-color-scheme' });
