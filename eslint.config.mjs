import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { group: ['vscode', 'vscode-*'], message: 'The engine is pure: no editor or LSP imports.' };
const noFs = { group: ['fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process'], message: 'The engine does no IO.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'examples/**', 'out/**', '.e2e/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noVscode, noFs] }] },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/src/engine/**'], message: 'The client talks to the engine only through the language server.' }] }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
