/**
 * Rename of a Service that kustomize overlays build, over stdio, checked with the real
 * `kubectl kustomize`: the edit covers the references of every overlay that builds the Service
 * (one of them with a `namePrefix`), the strategic-merge patch that names it and the patch target
 * that selects it by name; both overlays still build after the edit, with the patches applied. A
 * target that selects other objects by the same name refuses the rename.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PrepareRenameRequest, ReferencesRequest, RenameRequest, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from '../support/paths';
import { LspSession } from './harness';
import { applyTextEdits } from './textEdits';

const KUBECTL = join(REPO_ROOT, 'tools/k8s/bin/kubectl');
const SERVICE = 'base/app.yaml';

describe('rename of a Service kustomize overlays build', { skip: existsSync(KUBECTL) ? false : 'kubectl is not installed (node scripts/setup/index.mjs 40-k8s-tools)' }, () => {
  let session: LspSession;
  beforeEach(async () => {
    session = await LspSession.start({ fixture: 'kustomize-rename' });
  });
  afterEach(async () => {
    await session?.dispose();
  });

  /** The cursor on the Service's `metadata.name` value in the base. */
  const onServiceName = () => {
    const lines = session.read(SERVICE).split('\n');
    const line = lines.findIndex((text, index) => text === '  name: web' && lines[index - 2] === 'kind: Service');
    return { textDocument: { uri: session.uri(SERVICE) }, position: { line, character: 9 } };
  };

  const relative = (uri: string): string => uri.slice(session.uri('.').length + 1);

  const build = (overlay: string): string => {
    const result = spawnSync(KUBECTL, ['kustomize', join(session.root, overlay)], { encoding: 'utf8' });
    assert.equal(result.status, 0, `kubectl kustomize ${overlay}: ${result.stderr}`);
    return result.stdout;
  };

  it('edits the name as the file writes it, every overlay reference, the patch and the patch target; both overlays still build', async () => {
    // Both overlays build before the rename, dev with its prefix.
    assert.match(build('overlays/dev'), /name: dev-web\n/);
    assert.match(build('overlays/prod'), /type: LoadBalancer/);
    const prepared = await session.connection.sendRequest(PrepareRenameRequest.type, onServiceName());
    assert.ok(prepared && 'placeholder' in prepared);
    assert.equal(prepared.placeholder, 'web', 'the name in the file, not the dev overlay built name dev-web');

    const edit: WorkspaceEdit | null = await session.connection.sendRequest(RenameRequest.type, { ...onServiceName(), newName: 'storefront' });
    assert.ok(edit?.changes);
    const files = Object.keys(edit.changes).map(relative).sort();
    assert.deepEqual(files, ['base/app.yaml', 'overlays/dev/ingress.yaml', 'overlays/prod/ingress.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/svc-patch.yaml']);
    for (const [uri, edits] of Object.entries(edit.changes)) writeFileSync(session.path(relative(uri)), applyTextEdits(session.read(relative(uri)), edits));
    assert.match(session.read('overlays/prod/kustomization.yaml'), /target:\n {4}kind: Service\n {4}name: storefront\n/);
    assert.match(session.read('base/app.yaml'), /kind: Deployment\nmetadata:\n {2}name: web\n/, 'the Deployment of the same name stays');

    // kubectl builds both overlays after the edit: the patches still apply, the backends follow.
    const prod = build('overlays/prod');
    const prodService = prod.split('\n---\n').find((document) => document.includes('kind: Service'))!;
    assert.match(prodService, /name: storefront\n/);
    assert.match(prodService, /type: LoadBalancer/, 'the strategic-merge patch still applies');
    assert.match(prodService, /team: a/, 'the JSON patch of the target still applies');
    const dev = build('overlays/dev');
    assert.match(dev, /kind: Service\nmetadata:\n {2}name: dev-storefront\n/);
    assert.match(dev, /service:\n {6}name: dev-storefront\n/, 'the dev Ingress backend follows the prefixed name');
  });

  it('lists the patch and the patch target among the references', async () => {
    const references = await session.connection.sendRequest(ReferencesRequest.type, { ...onServiceName(), context: { includeDeclaration: true } });
    const places = references!.map((location) => `${relative(location.uri)}:${location.range.start.line + 1}`).sort();
    assert.deepEqual(places, ['base/app.yaml:24', 'overlays/dev/ingress.yaml:8', 'overlays/prod/ingress.yaml:8', 'overlays/prod/kustomization.yaml:8', 'overlays/prod/svc-patch.yaml:4']);
  });

  it('refuses when a patch target without a kind also selects the Deployment and the Ingress of the same name', async () => {
    const kustomization = session.read('overlays/prod/kustomization.yaml').replace('    kind: Service\n', '');
    const version = await session.open('overlays/prod/kustomization.yaml', kustomization);
    await session.waitForVersion('overlays/prod/kustomization.yaml', version);
    let message: string;
    try {
      message = JSON.stringify(await session.connection.sendRequest(PrepareRenameRequest.type, onServiceName()));
    } catch (error) {
      message = (error as Error).message;
    }
    assert.equal(message, 'A kustomize patch target in kustomization.yaml selects this Service and Deployment/web, Ingress/web by the name web; renaming it there would unpatch those objects, so rename by hand.');
  });
});
