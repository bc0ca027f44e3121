/**
 * Go to definition, find references, the Outline and code lenses over stdio, on the `authoring`
 * fixture workspace: two namespaces (shop and other) with the same labels, Services across files,
 * an Ingress and a StatefulSet naming Services. Positions are the fixture's `# ^ @name` markers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeLensRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  ReferencesRequest,
  type CodeLens,
  type DocumentSymbol,
  type Location,
} from 'vscode-languageserver-protocol/node';
import { LspSession } from './harness';
import { nameLocation, nameLocations, readMarkers, type Marker } from './markers';

describe('navigation', () => {
  let session: LspSession;
  let markers: Map<string, Marker>;
  before(async () => {
    session = await LspSession.start({ fixture: 'authoring' });
    markers = readMarkers(session.root);
  });
  after(async () => {
    await session?.dispose();
  });

  const marker = (name: string): Marker => {
    const found = markers.get(name);
    if (!found) throw new Error(`No marker @${name}`);
    return found;
  };
  const definition = async (name: string): Promise<string[]> => {
    const { file, position } = marker(name);
    const result = await session.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: session.uri(file) }, position });
    return nameLocations(session.root, markers, (result as Location[] | null) ?? []);
  };
  const references = async (name: string, includeDeclaration = true): Promise<string[]> => {
    const { file, position } = marker(name);
    const result = await session.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: session.uri(file) }, position, context: { includeDeclaration } });
    return nameLocations(session.root, markers, result);
  };

  const definitions: [from: string, to: string[]][] = [
    ['web-selector', ['@web-label']],
    ['internal-selector', ['@web-label']],
    ['web-match', ['@web-label']],
    ['web-target-http', ['@web-http']],
    ['web-target-https', []],
    ['internal-target', ['@web-http']],
    ['db-target', ['@db-sql']],
    ['ingress-backend', ['@web-service']],
    ['db-service-name', ['@db-headless']],
    ['web-label', []],
  ];
  for (const [from, to] of definitions) {
    it(`definition of @${from}: ${to.join(', ') || 'none'}`, async () => {
      assert.deepEqual(await definition(from), to);
    });
  }

  const referenceTable: [from: string, to: string[]][] = [
    // A template label: the selectors of shop that use it and the workload's matchLabels, never the other namespace.
    ['web-label', ['@internal-selector', '@web-label', '@web-match', '@web-selector']],
    ['web-label-value', ['@internal-selector', '@web-label', '@web-match', '@web-selector']],
    ['web-selector', ['@internal-selector', '@web-label', '@web-match', '@web-selector']],
    ['other-label', ['@other-label', 'other/web.yaml:10:6']],
    ['web-tier', ['@web-tier']],
    // A Service name: the Ingress backend; a StatefulSet serviceName.
    ['web-service', ['@ingress-backend', '@web-service']],
    ['ingress-backend', ['@ingress-backend', '@web-service']],
    ['db-headless', ['@db-headless', '@db-service-name']],
    // A container port: the targetPorts that resolve to it.
    ['web-http', ['@internal-target', '@web-http', '@web-target-http']],
    ['web-metrics', ['@web-metrics']],
    ['db-sql', ['@db-sql', '@db-target']],
  ];
  for (const [from, to] of referenceTable) {
    it(`references of @${from}: ${to.join(', ')}`, async () => {
      assert.deepEqual(await references(from), to);
    });
  }

  it('references without the declaration', async () => {
    assert.deepEqual(await references('web-service', false), ['@ingress-backend']);
    assert.deepEqual(await references('web-http', false), ['@internal-target', '@web-target-http']);
  });

  it('outline: one symbol per object with its namespace, Service ports as children', async () => {
    const symbols = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: session.uri('shop/services/web.yaml') } })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((symbol) => ({ name: symbol.name, detail: symbol.detail, children: symbol.children?.map((child) => child.name) })),
      [{ name: 'Service web', detail: 'namespace shop', children: ['http 80→http/TCP', 'https 443→https/TCP'] }],
    );
    assert.equal(nameLocation(session.root, markers, { uri: session.uri('shop/services/web.yaml'), range: symbols[0]!.selectionRange }), '@web-service');
    const workload = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: session.uri('shop/apps/web.yaml') } })) as DocumentSymbol[];
    assert.deepEqual(workload.map((symbol) => symbol.name), ['Deployment web']);
  });

  it('outline: a JSON or flow-style object and its ports span their braces', async () => {
    const file = 'shop/services/outline.json';
    const text = '{\n  "apiVersion": "v1", "kind": "Service",\n  "metadata": {"name": "flow", "namespace": "outline"},\n  "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}\n}\n';
    await session.open(file, text);
    const [symbol, ...rest] = (await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: session.uri(file) } })) as DocumentSymbol[];
    assert.equal(rest.length, 0);
    assert.deepEqual(symbol?.range, { start: { line: 0, character: 0 }, end: { line: 4, character: 1 } }, 'from { to }');
    const port = symbol?.children?.[0];
    assert.equal(port?.name, 'port 80→http/TCP');
    const line = text.split('\n')[3]!;
    assert.deepEqual(port?.range, { start: { line: 3, character: line.indexOf('{"port"') }, end: { line: 3, character: line.indexOf('}]') + 1 } });
    await session.close(file);
  });

  const lenses = async (file: string): Promise<CodeLens[]> => (await session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: session.uri(file) } })) ?? [];

  it('code lens above a Service: workloads and the ports, with the templates to show', async () => {
    const [lens, ...rest] = await lenses('shop/services/web.yaml');
    assert.ok(lens);
    assert.equal(rest.length, 0);
    assert.equal(lens.command?.title, '1 workload · ports 80→http ✓, 443→https ✗');
    assert.equal(lens.command?.command, 'serviceLens.showReferences');
    const [uri, position, locations] = lens.command?.arguments as [string, { line: number; character: number }, Location[]];
    assert.equal(uri, session.uri('shop/services/web.yaml'));
    assert.deepEqual(position, marker('web-service').position);
    assert.deepEqual(locations.map((location) => nameLocation(session.root, markers, location)), ['shop/apps/web.yaml:14:6']);
  });

  it('code lens above a Pod template: the Services that route to it, in its namespace only', async () => {
    const [lens] = await lenses('shop/apps/web.yaml');
    assert.equal(lens?.command?.title, 'routed by web-internal:8080, web:80, web:443');
    const locations = lens?.command?.arguments?.[2] as Location[];
    assert.deepEqual(nameLocations(session.root, markers, locations), ['@internal-service', '@web-service']);
    const [other] = await lenses('other/web.yaml');
    assert.equal(other?.command?.title, 'routed by no Service');
  });
});
