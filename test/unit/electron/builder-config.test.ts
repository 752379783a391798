import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
// electron-builder's own check: its ajv over app-builder-lib/scheme.json, plus its deprecation rules.
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};
const debug = { isEnabled: false, add: () => undefined };

type Config = {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[]; icon: string };
  deb: { depends: string[] };
  mac: { target: string };
  win: { target: string };
  nsis: { oneClick: boolean };
};
const load = (): Config => parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own configuration schema', async () => {
    await expect(validateConfiguration(load(), debug)).resolves.toBeUndefined();
  });

  it('a misspelt key is rejected, so the check above is real', async () => {
    const cfg = load() as Config & { linux: Record<string, unknown> };
    cfg.linux.taregt = 'AppImage';
    await expect(validateConfiguration(cfg, debug)).rejects.toThrow(/Invalid configuration object/);
    await expect(validateConfiguration({ ...load(), asarUnpak: ['x'] }, debug)).rejects.toThrow(/Invalid configuration object/);
  });

  it('names the app and builds AppImage and deb, dmg and nsis', () => {
    const cfg = load();
    expect(cfg.appId).toBe('org.curator.desktop');
    expect(cfg.productName).toBe('Curator Desktop');
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target).toBe('dmg');
    expect(cfg.win.target).toBe('nsis');
    expect(cfg.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libasound2', 'xdg-utils']));
  });

  it('unpacks native modules and worker entries, and rebuilds native modules at packaging time', () => {
    const cfg = load();
    expect(cfg.asar).toBe(true);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'dist/runner/**', 'dist/electron/utility-worker.js', 'node_modules/**']));
    expect(cfg.npmRebuild).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string; productName: string };
    expect(pkg.scripts.postinstall ?? '').not.toMatch(/rebuild|install-app-deps/);
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(pkg.productName).toBe(cfg.productName);
  });

  it('packs compiled code only: no sources, tests, maps or other platforms’ prebuilds', () => {
    const files = load().files;
    expect(files).toEqual(expect.arrayContaining(['dist/electron/**/*.{js,cjs}', 'dist/runner/**/*.js', 'renderer/dist/**', '!**/*.map', '!**/*.ts', '!dist/test/**', '!**/node_modules/**/prebuilds/**', '**/node_modules/**/prebuilds/${platform}-${arch}/**']));
    expect(files.some((f) => /^(runner|electron|renderer\/src)\//.test(f))).toBe(false);
  });

  it('has its icon: a 512×512 PNG', () => {
    const png = readFileSync(path.join(ROOT, load().linux.icon));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
