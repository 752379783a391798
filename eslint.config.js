// Lint, including the layering rules of DESIGN.md §2: runner/ is pure Node (no electron, react or
// renderer code); renderer/ is the browser (no Node built-ins, and from runner/ only type-only
// imports of the service contract).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', '.device/**', '.bench/**', 'node_modules/**', 'output/**', 'coverage/**', 'test-results/**', 'test-artifacts/**', 'release/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', structuredClone: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['runner/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'runner/ must run under plain Node: never import electron (DESIGN.md §1, §7).' },
          { name: 'react', message: 'runner/ never imports react.' },
          { name: 'react-dom', message: 'runner/ never imports react-dom.' },
        ],
        patterns: [{ group: ['**/renderer/**', 'electron/*', 'react/*', 'react-dom/*'], message: 'runner/ may not import the renderer, electron or react.' }],
      }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'renderer/ runs in the browser: no Node built-ins.' })),
        patterns: [{ regex: '(^|/)runner/(?!service/(contract|method-names)$)', message: 'renderer/ may import only the service contract (types) and its method names from runner/.' },
          { regex: '(^|/)runner/service/contract$', allowTypeImports: true, message: 'renderer/ may import the service contract as types only.' }],
      }],
    },
  },
  {
    files: ['renderer/src/**/*.tsx', 'renderer/src/**/*.ts', 'test/unit/renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'react', message: 'electron/ is the thin shell: no react.' },
          { name: 'react-dom', message: 'electron/ is the thin shell: no react-dom.' },
        ],
        patterns: [{ group: ['**/renderer/**'], message: 'electron/ may not import renderer code.' }],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/window.ts', 'electron/protocol.ts', 'electron/ipc.ts', 'electron/preload.ts', 'electron/dialogs.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          { name: 'react', message: 'electron/ is the thin shell: no react.' },
          { name: 'react-dom', message: 'electron/ is the thin shell: no react-dom.' },
          { name: 'electron', allowTypeImports: true, message: 'only main, window, protocol, ipc, preload and dialogs import electron at run time; pure modules use `import type` so the unit tests run them under Node.' },
        ],
        patterns: [{ group: ['**/renderer/**'], message: 'electron/ may not import renderer code.' }],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]', message: 'raw ipcMain / ipcRenderer only in electron/ipc.ts and electron/preload.ts' }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
