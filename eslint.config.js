// Lint rules, chiefly the layering: which folder may import what.
//   electron            only in electron/main and electron/preload
//   @duckdb/node-api    only in electron/engine/store (the one module that holds SQL)
//   node built-ins      never in renderer/ or shared/ (they run in a browser)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const electronOnly = {
  name: 'electron',
  message: "'electron' may be imported only under electron/main and electron/preload.",
};
const duckdbOnly = {
  name: '@duckdb/node-api',
  message: '@duckdb/node-api may be imported only by the store module (electron/engine/store).',
};
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
  name,
  message: 'Node built-ins are not available in the renderer or shared code.',
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnly, duckdbOnly] }],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [duckdbOnly] }] },
  },
  {
    files: ['electron/engine/store/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly] }] },
  },
  {
    files: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnly, duckdbOnly, ...nodeBuiltins] }] },
  },
  {
    // Tests may reach into any layer (they start the store, the server, the browser).
    files: ['tests/**', 'bench/**', 'scripts/**', '*.config.ts', '*.config.js'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
