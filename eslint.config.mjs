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
    // The traffic preview page runs in a browser: it imports the protocol types (type-only) and its
    // own modules, nothing else, and builds DOM from text, never from markup. page.ts is the
    // Node-side page builder (it uses node:crypto) and is the one exception.
    files: ['client/webview/**/*.ts'],
    ignores: ['client/webview/page.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^[^.]', message: 'The webview imports no packages (no vscode*, no node:*): it talks to the extension by postMessage.' },
          { regex: '^\\.\\./(?!\\.\\./server/src/protocol/traffic$)', message: 'The webview imports only the protocol types (server/src/protocol/traffic), never the engine.' },
          { regex: '/protocol/traffic$', allowTypeImports: true, message: 'The webview imports only types from the protocol.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Render manifest strings as text: element() and text nodes, never markup.' },
        { property: 'outerHTML', message: 'Render manifest strings as text: element() and text nodes, never markup.' },
        { property: 'insertAdjacentHTML', message: 'Render manifest strings as text: element() and text nodes, never markup.' },
        { property: 'createContextualFragment', message: 'Render manifest strings as text: element() and text nodes, never markup.' },
        { object: 'document', property: 'write', message: 'Render manifest strings as text: element() and text nodes, never markup.' },
        { object: 'document', property: 'writeln', message: 'Render manifest strings as text: element() and text nodes, never markup.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
