// `npm run dist`: builds the installers of this platform with electron-builder (extra arguments
// pass through, e.g. `npm run dist -- --dir` or `-- --linux deb`). electron-builder rebuilds
// better-sqlite3 for Electron's ABI while packaging (npmRebuild); afterwards it is always rebuilt
// for Node again, so the CLI, `curator serve` and the tests keep working.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  // npm is a .cmd script on Windows, which needs a shell; node itself does not.
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && cmd === npm });
  if (r.error) console.error(`dist: ${cmd} failed to start: ${r.error.message}`);
  return r.status ?? 1;
}

if (run(npm, ['run', 'build']) !== 0) process.exit(1);

let status;
try {
  const cli = require.resolve('electron-builder/cli.js');
  status = run(process.execPath, [cli, '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
} finally {
  // Back to the Node ABI, whatever happened above.
  if (run(npm, ['rebuild', 'better-sqlite3']) !== 0) {
    console.error('dist: `npm rebuild better-sqlite3` failed; run it by hand before using the CLI or the tests');
    status = status || 1;
  }
}
if (status === 0) console.log(`dist: installers are in ${path.join(root, 'release')}`);
process.exit(status);
