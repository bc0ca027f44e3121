/**
 * The lint rules that keep the webview a browser-only, text-only renderer: they must reject what
 * they are meant to reject (a config edit that drops them fails here).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function ruleIds(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  return (result?.messages ?? []).map((message) => `${message.line}:${message.ruleId ?? message.message}`);
}

test('webview code may import only protocol types and its own modules, and never writes markup', async () => {
  const code = [
    "import * as vscode from 'vscode';",
    "import { readFileSync } from 'node:fs';",
    "import { Workspace } from '../../server/src/engine/workspace';",
    "import { TRAFFIC_PREVIEW_REQUEST } from '../../server/src/protocol/traffic';",
    "import type { HopKind } from '../../server/src/protocol/traffic';",
    "import { element } from './dom';",
    "document.body.innerHTML = 'x';",
    "document.body.outerHTML = 'x';",
    "document.body.insertAdjacentHTML('beforeend', 'x');",
    'export const all = [vscode, readFileSync, Workspace, TRAFFIC_PREVIEW_REQUEST, element];',
    'export type Kind = HopKind;',
    '',
  ].join('\n');
  assert.deepEqual(await ruleIds('client/webview/example.ts', code), [
    '1:@typescript-eslint/no-restricted-imports',
    '2:@typescript-eslint/no-restricted-imports',
    '3:@typescript-eslint/no-restricted-imports',
    '4:@typescript-eslint/no-restricted-imports',
    '7:no-restricted-properties',
    '8:no-restricted-properties',
    '9:no-restricted-properties',
  ]);
});

test('page.ts, the Node-side page builder, may use node:crypto', async () => {
  assert.deepEqual(await ruleIds('client/webview/page.ts', "import { randomBytes } from 'node:crypto';\nexport const bytes = randomBytes;\n"), []);
});
