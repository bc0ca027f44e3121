/**
 * Rename over stdio: a template label (key or value) with the selectors that use it and the
 * workload's matchLabels, across files; a Service with its references by name; refusals with a
 * reason (templated documents near, an invalid name). The edits are applied as the editor would,
 * and the renamed workspace keeps its links.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PrepareRenameRequest, RenameRequest, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { LspSession } from './harness';
import { applyTextEdits } from './textEdits';
import { readMarkers, type Marker } from './markers';

describe('rename', () => {
  let session: LspSession;
  let markers: Map<string, Marker>;
  beforeEach(async () => {
    session = await LspSession.start({ fixture: 'authoring' });
    markers = readMarkers(session.root);
  });
  afterEach(async () => {
    await session?.dispose();
  });

  const at = (name: string, shift = 0) => {
    const marker = markers.get(name)!;
    return { textDocument: { uri: session.uri(marker.file) }, position: { ...marker.position, character: marker.position.character + shift } };
  };

  /** Applies a WorkspaceEdit to the files on disk's text; returns the new texts by relative path. */
  function applyEdit(edit: WorkspaceEdit): Map<string, string> {
    const out = new Map<string, string>();
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const relative = uri.slice(session.uri('.').length + 1);
      out.set(relative, applyTextEdits(session.read(relative), edits));
    }
    return out;
  }

  it('a template label value: the template, every selector using it, the matchLabels', async () => {
    assert.deepEqual(await session.connection.sendRequest(PrepareRenameRequest.type, at('web-label-value')), {
      range: { start: markers.get('web-label-value')!.position, end: { line: markers.get('web-label-value')!.position.line, character: 16 } },
      placeholder: 'web',
    });
    const edit = await session.connection.sendRequest(RenameRequest.type, { ...at('web-label-value'), newName: 'storefront' });
    assert.ok(edit);
    const texts = applyEdit(edit);
    assert.deepEqual([...texts.keys()].sort(), ['shop/apps/web.yaml', 'shop/services/web-internal.yaml', 'shop/services/web.yaml']);
    assert.equal(texts.get('shop/apps/web.yaml')!.match(/app: storefront/g)?.length, 2, 'label and matchLabels');
    assert.match(texts.get('shop/services/web.yaml')!, /selector:\n {4}app: storefront\n/);
    assert.equal(session.read('other/web.yaml').includes('storefront'), false);
    // The renamed workspace keeps its links: the web Service still reaches the template.
    for (const [file, text] of texts) await session.open(file, text);
    const diagnostics = await session.waitForDiagnostics('shop/services/web.yaml', 'the renamed selector', (list) => list.length > 0);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['service-target-port-unresolved'], 'only the https port the fixture leaves unresolved');
  });

  it('a label key from a selector: the same pair everywhere in the namespace', async () => {
    const edit = await session.connection.sendRequest(RenameRequest.type, { ...at('web-selector'), newName: 'app.kubernetes.io/name' });
    const texts = applyEdit(edit!);
    assert.deepEqual([...texts.keys()].sort(), ['shop/apps/web.yaml', 'shop/services/web-internal.yaml', 'shop/services/web.yaml']);
    assert.equal(texts.get('shop/apps/web.yaml')!.match(/app\.kubernetes\.io\/name: web/g)?.length, 2);
    assert.match(texts.get('shop/apps/web.yaml')!, /tier: frontend/, 'other labels stay');
  });

  it('a Service: its name and the Ingress backend that names it', async () => {
    const edit = await session.connection.sendRequest(RenameRequest.type, { ...at('ingress-backend'), newName: 'storefront' });
    const texts = applyEdit(edit!);
    assert.deepEqual([...texts.keys()].sort(), ['shop/edge/ingress.yaml', 'shop/services/web.yaml']);
    assert.match(texts.get('shop/services/web.yaml')!, /name: storefront\n/);
    assert.match(texts.get('shop/edge/ingress.yaml')!, /name: storefront\n/);
  });

  it('refuses near templated documents and for invalid names, saying why', async () => {
    await assert.rejects(session.connection.sendRequest(PrepareRenameRequest.type, at('templated-selector')), /Templated documents of folder templated/);
    await assert.rejects(session.connection.sendRequest(RenameRequest.type, { ...at('web-service'), newName: 'Bad_Name' }), /not a valid Service name/);
    // A DNS label that YAML 1.1 (as kubectl reads it) takes for a boolean: the name would be `true`.
    await assert.rejects(session.connection.sendRequest(RenameRequest.type, { ...at('web-service'), newName: 'on' }), /on would read as a boolean or null in YAML/);
    await assert.rejects(session.connection.sendRequest(RenameRequest.type, { ...at('web-label-value'), newName: 'yes' }), /boolean/);
    assert.equal(await session.connection.sendRequest(PrepareRenameRequest.type, at('web-http')), null, 'nothing to rename on a container port');
  });

  it('refuses while a document beside the renamed label is not valid YAML', async () => {
    const version = await session.open('shop/apps/broken.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-canary\n  name: web-canary\nspec: {}\n');
    await session.waitForVersion('shop/apps/broken.yaml', version);
    await assert.rejects(session.connection.sendRequest(PrepareRenameRequest.type, at('web-label-value')), /A document of broken\.yaml was skipped as not valid YAML and may use this name/);
  });
});
