// One esbuild context per bundle: the extension client, the language server and the CLI.
// Bundles are CommonJS for Node 20 (the VS Code extension host requires CommonJS entry points).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const bundles = [
  { entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  { entryPoints: { server: 'server/src/lsp/main.ts' } },
  { entryPoints: { cli: 'server/src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: { bench: 'scripts/bench.ts' } },
  { entryPoints: { fuzz: 'scripts/fuzz.ts' } },
  // The traffic preview page, for browsers: dist/webview.js (IIFE) and dist/webview.css.
  {
    entryPoints: [
      { in: 'client/webview/main.ts', out: 'webview' },
      { in: 'client/webview/webview.css', out: 'webview' },
    ],
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
  },
  // The in-extension-host test suite (test/e2e): loaded by VS Code through `extensionTestsPath`.
  { entryPoints: { 'e2e-suite': 'test/e2e/suite/index.ts' }, external: ['vscode'] },
];

const contexts = await Promise.all(
  bundles.map((bundle) => esbuild.context({ ...common, outdir: 'dist', ...bundle })),
);
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
