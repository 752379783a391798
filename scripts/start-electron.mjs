// `npm start`: the desktop app. Checks for the Electron binary first, so a machine without one
// (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline) hears so in one line at once; then
// builds when the build is missing and starts Electron on the project folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron executable, or null when the package or its binary is missing. */
function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.error('curator: Electron is not installed here (no binary; ELECTRON_SKIP_BINARY_DOWNLOAD or an offline install) — run `npm run serve` to use the app in a browser.');
  process.exit(1);
}

const built = ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/electron/utility-worker.js', 'dist/runner/engine/worker-main.js', 'renderer/dist/index.html'];
if (built.some((f) => !existsSync(path.join(root, f)))) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const env = { ...process.env };
// Set by some tools; it would make Electron behave as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
