// Bundles the Electron preload into one CommonJS file: a sandboxed preload cannot load other files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'electron', 'preload.ts');
if (existsSync(entry)) {
  await build({
    entryPoints: [entry],
    outfile: path.join(root, 'dist', 'electron', 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
}
