// The desktop shell's extras (dialogs, dropped-file paths), provided once by the app frame.
import { createContext, useContext, type ReactNode } from 'react';
import type { ShellApi } from './types';

const ShellContext = createContext<ShellApi | null>(null);

export function ShellProvider({ shell, children }: { shell: ShellApi; children: ReactNode }) {
  return <ShellContext.Provider value={shell}>{children}</ShellContext.Provider>;
}

export function useShell(): ShellApi {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell: no ShellProvider above this component');
  return shell;
}
