// Runs once before the end-to-end suites: says in one line when the Electron suite cannot run here.
import { electronBinary, ELECTRON_SKIP_REASON } from './support/electron.js';

export default function globalSetup(): void {
  if (!electronBinary()) console.log(`Electron end-to-end: not run — ${ELECTRON_SKIP_REASON}`);
}
