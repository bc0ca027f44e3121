import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openEditor, positionOf } from './workspace';

/** The text of every hover VS Code shows at a position (all providers), joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? [])
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n\n');
}

function includesAll(text: string, parts: readonly string[], what: string): void {
  const missing = parts.filter((part) => !text.includes(part));
  assert.deepEqual(missing, [], `${what} lacks ${missing.join(', ')}:\n${text}`);
}

/** On a Service's name: the Pod templates it selects, its port resolution and its DNS name. */
export async function checkServiceHover(): Promise<string> {
  const { document } = await openEditor('shop/web.yaml');
  const position = positionOf(document, 'name: numbers-web-node', 'name: '.length + 2);
  const text = await hoverText(document.uri, position);
  includesAll(
    text,
    ['Service/numbers-web-node', 'numbers-web-node.shop.svc.cluster.local', 'Deployment/numbers-web', 'Pod/numbers-web-canary', 'web:8080/TCP'],
    'the Service hover',
  );
  // Links to the templates point into the file that defines them.
  assert.match(text, /\[Deployment\/numbers-web\]\([^)]*shop\/web\.yaml#L\d+\)/, 'a link to the Deployment');
  return 'templates, port resolution and DNS name';
}

/** On a Pod template's labels: every Service that selects the template. */
export async function checkTemplateHover(): Promise<string> {
  const { document } = await openEditor('shop/web.yaml');
  const template = document.getText().indexOf('template:');
  assert.ok(template > 0, 'shop/web.yaml has a Deployment template');
  const label = document.getText().indexOf('app: numbers-web', template);
  const text = await hoverText(document.uri, document.positionAt(label + 1));
  includesAll(
    text,
    ['Service/numbers-web', 'Service/numbers-web-node', 'Service/numbers-web-metrics', 'numbers-web-metrics.shop.svc.cluster.local'],
    'the Pod template hover',
  );
  assert.match(text, /Selected by 3 Services/, 'the Pod template hover counts the Services');
  return 'three selecting Services';
}

/** On the selector pair with a typo: the nearest miss and what it has instead. */
export async function checkNearestMissHover(): Promise<string> {
  const { document } = await openEditor('shop-staging/web.yaml');
  const text = await hoverText(document.uri, positionOf(document, 'app: numbres-web', 1));
  includesAll(text, ['Nearest miss', 'Deployment/numbers-web', 'app=numbers-web'], 'the selector pair hover');
  return 'nearest miss named';
}
