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

// electron-builder's own file matchers: the app's files (with the exclusions it adds itself, such as
// the buildResources folder), the production dependencies (only the `!` patterns of `files` apply
// to them) and asarUnpack. Internal modules, like the schema check above.
type Filter = (file: string, stat: { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean;
type Matcher = { patterns: string[]; createFilter(): Filter };
const matchers = require('app-builder-lib/out/fileMatcher.js') as {
  getMainFileMatchers(appDir: string, dest: string, expand: (s: string) => string, options: unknown, packager: unknown, outDir: string, electronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, dest: string, expand: (s: string) => string, options: unknown, info: unknown): Matcher;
  getFileMatchers(config: unknown, name: string, dest: string, options: unknown): Matcher[] | null;
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => Matcher;
};

type Config = {
  directories: { output: string; buildResources?: string };
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
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['package.json', '**/*.node', 'dist/runner/**', 'dist/electron/utility-worker.js', 'node_modules/**', 'resources/templates/**']));
    expect(cfg.npmRebuild).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string; productName: string };
    expect(pkg.scripts.postinstall ?? '').not.toMatch(/rebuild|install-app-deps/);
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(pkg.productName).toBe(cfg.productName);
  });

  it('packs compiled code only: no sources, tests or maps', () => {
    const files = load().files;
    expect(files).toEqual(expect.arrayContaining(['dist/electron/**/*.{js,cjs}', 'dist/runner/**/*.js', 'renderer/dist/**', '!**/*.map', '!**/*.ts', '!dist/test/**']));
    expect(files.some((f) => /^(runner|electron|renderer\/src)\//.test(f))).toBe(false);
  });

  describe('as electron-builder’s matchers read it', () => {
    const cfg = load();
    const dest = '/out/app';
    const expand = (s: string): string => s.replace('${platform}', 'linux').replace('${arch}', 'x64');
    const info = { projectDir: ROOT, buildResourcesDir: path.join(ROOT, cfg.directories.buildResources ?? 'build'), config: cfg, isPrepackedAppAsar: false, debugLogger: debug };
    const file = { isDirectory: () => false };
    const app = matchers.getMainFileMatchers(ROOT, dest, expand, cfg.linux, { info }, path.join(ROOT, cfg.directories.output), false)[0]?.createFilter();
    const deps = new matchers.FileMatcher(path.join(ROOT, 'node_modules'), `${dest}/node_modules`, expand, matchers.getNodeModuleFileMatcher(ROOT, dest, expand, cfg.linux, info).patterns).createFilter();
    const unpack = matchers.getFileMatchers(cfg, 'asarUnpack', dest, { macroExpander: expand, customBuildOptions: cfg.linux, globalOutDir: path.join(ROOT, 'release'), defaultSrc: ROOT })?.[0]?.createFilter();
    const packs = (f: string): boolean => app?.(path.join(ROOT, f), file) ?? false;
    const packsDep = (f: string): boolean => deps('/x', { ...file, moduleFullFilePath: f });
    const unpacks = (f: string): boolean => unpack?.(path.join(ROOT, f), f.startsWith('node_modules/') ? { ...file, moduleFullFilePath: f } : file) ?? false;

    it('packs what the app runs, the icon included (a buildResources folder would be left out)', () => {
      for (const f of ['package.json', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/electron/utility-worker.js', 'dist/runner/engine/worker-main.js', 'renderer/dist/index.html', 'resources/templates/quickstart.yaml', 'resources/sample/web-00.jsonl', 'resources/icons/icon.png']) expect(packs(f), f).toBe(true);
      for (const f of ['electron/main.ts', 'dist/runner/index.d.ts', 'dist/electron/main.js.map', 'dist/test/bench/run-all.js', 'test/unit/x.test.ts']) expect(packs(f), f).toBe(false);
    });

    it('keeps the run-time code of the production dependencies', () => {
      // yaml keeps modules in dist/doc, hyparquet in src: a blanket doc/src exclusion breaks them.
      for (const f of ['node_modules/yaml/dist/doc/Document.js', 'node_modules/hyparquet/src/index.js', 'node_modules/hyparquet-writer/src/index.js', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz']) {
        expect(packsDep(f), f).toBe(true);
      }
      for (const f of ['node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', 'node_modules/piscina/test/fixtures/eval.js', 'node_modules/zod/src/index.ts', 'node_modules/yaml/README.md', 'node_modules/some-native/prebuilds/win32-x64/some.node', 'node_modules/some-native/prebuilds/darwin-arm64/some.node']) expect(packsDep(f), f).toBe(false);
    });

    it('unpacks package.json (module type), worker code, dependencies and the bundled resources', () => {
      for (const f of ['package.json', 'dist/electron/utility-worker.js', 'dist/runner/engine/worker-main.js', 'node_modules/yaml/dist/index.js', 'resources/templates/quickstart.yaml', 'resources/sample/web-00.jsonl']) expect(unpacks(f), f).toBe(true);
      for (const f of ['dist/electron/main.js', 'renderer/dist/index.html']) expect(unpacks(f), f).toBe(false);
    });
  });

  it('has its icon: a 512×512 PNG', () => {
    const png = readFileSync(path.join(ROOT, load().linux.icon));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
