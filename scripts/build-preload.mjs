// Bundles the Electron preload into one CommonJS file: a sandboxed preload cannot load other files,
// and may require only `electron`. Checks, at build time, that the preload's list of API methods
// is the service's `API_METHODS` (from the compiled runner), so the two cannot drift apart.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'electron', 'preload.ts');
const outfile = path.join(root, 'dist', 'electron', 'preload.cjs');

function fail(message) {
  console.error(`build-preload: ${message}`);
  process.exit(1);
}

if (existsSync(entry)) {
  const schemas = path.join(root, 'dist', 'runner', 'service', 'schemas.js');
  const methods = path.join(root, 'dist', 'runner', 'service', 'method-names.js');
  if (existsSync(schemas) && existsSync(methods)) {
    const { API_METHODS } = await import(pathToFileURL(schemas).href);
    const { API_METHOD_NAMES } = await import(pathToFileURL(methods).href);
    const want = [...API_METHODS].sort().join(', ');
    const have = [...API_METHOD_NAMES].sort().join(', ');
    if (want !== have) fail(`runner/service/method-names.ts lists [${have}] but the service's API_METHODS are [${want}]; update the list`);
  }
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
  const required = [...readFileSync(outfile, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => m !== 'electron');
  if (required.length) fail(`the preload bundle requires ${[...new Set(required)].join(', ')}; a sandboxed preload may require only electron`);
}
