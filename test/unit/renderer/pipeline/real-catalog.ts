/**
 * The real catalog (stages, backends, bundled templates) from the service, for renderer tests.
 * The renderer project runs in jsdom, where the engine's modules cannot load, so the catalog
 * comes from the built service (`npm run build`) in a Node child process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalog } from '../../../../runner/service/contract';

const SERVICE = path.resolve('dist/runner/service/service.js');

let cached: Catalog | null = null;

/** The service's catalog over the project's resources folder (read once per test file). */
export function realCatalog(): Catalog {
  if (cached) return cached;
  if (!existsSync(SERVICE)) throw new Error(`${SERVICE} is missing: run \`npm run build\` before the renderer tests`);
  const script = `
    const { createCuratorService } = await import(${JSON.stringify(pathToFileURL(SERVICE).href)});
    const service = createCuratorService({ history: {}, resourcesDir: ${JSON.stringify(path.resolve('resources'))} });
    process.stdout.write(JSON.stringify(await service.catalog()));
    await service.close();`;
  cached = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Catalog;
  return cached;
}
