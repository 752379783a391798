// Where the Electron binary is, or null when this install has none (ELECTRON_SKIP_BINARY_DOWNLOAD).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const ELECTRON_SKIP_REASON = 'no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); the browser suite covers the same flow.';

export function electronBinary(): string | null {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}
