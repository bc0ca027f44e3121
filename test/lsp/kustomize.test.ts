/**
 * Kustomize overlays in the server: a base's finding lands on the base's line and names the
 * overlay it holds in; an edit of a patch rebuilds the overlays it reaches; a kustomization added on
 * disk builds files the server read as plain files before (their texts are read again).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TRAFFIC_PREVIEW_REQUEST, type SourceLink, type TrafficPreview } from '../../server/src/protocol/traffic';
import { LspSession, messageText, positionOf } from './harness';

const SERVICE = 'base/service.yaml';
const PATCH = 'overlays/staging/port-name.yaml';
const EXTRA = 'extra/service.yaml';

describe('kustomize overlays', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'kustomize' });
    await session.waitForDiagnostics(SERVICE, 'the staging finding', (list) => list.some((diagnostic) => diagnostic.code === 'service-target-port-unresolved'));
  });
  after(async () => {
    await session?.dispose();
  });

  it("reports a base's finding on the base's line, naming the one overlay it holds in", () => {
    const diagnostics = session.diagnostics.get(session.uri(SERVICE))?.diagnostics ?? [];
    assert.equal(diagnostics.length, 1);
    const [finding] = diagnostics;
    assert.equal(finding?.range.start.line, 10);
    assert.match(messageText(finding!), /targetPort http names no TCP port of Deployment\/quotes.*Holds in overlay staging only\.$/);
    assert.deepEqual(session.codesOf(PATCH), []);
  });

  it('shows in the hover what each overlay builds from the base', async () => {
    const text = session.read(SERVICE);
    const hover = await session.hoverText(SERVICE, positionOf(text, 'quotes'));
    assert.ok(hover, 'a hover on the base Service');
    assert.match(hover, /Built by kustomize as:/);
    assert.match(hover, /overlay `prod`: Service quotes-prod\/prod-quotes/);
    assert.match(hover, /overlay `staging`: Service quotes-staging\/quotes/);
  });

  it('previews the base Service in the build the client chooses, offering the base as is and each overlay', async () => {
    const uri = session.uri(SERVICE);
    const position = positionOf(session.read(SERVICE), 'quotes');
    const request = (overlay?: string) =>
      session.connection.sendRequest<TrafficPreview<SourceLink> | null>(TRAFFIC_PREVIEW_REQUEST, { uri, position, scope: 'service', ...(overlay === undefined ? {} : { overlay }) });
    const first = await request();
    assert.deepEqual(
      first?.overlays?.choices.map((choice) => `${choice.kind} ${choice.label}`),
      ['base base', 'overlay prod', 'overlay staging'],
    );
    assert.equal(first?.overlays?.selected, session.uri('overlays/prod/kustomization.yaml'));
    assert.equal(first?.title, 'Service quotes-prod/prod-quotes');
    const staging = await request(session.uri('overlays/staging/kustomization.yaml'));
    assert.equal(staging?.title, 'Service quotes-staging/quotes');
    assert.equal(staging?.services[0]?.location.uri, uri, 'the boxes reveal the base line');
    const base = await request(session.uri('base/kustomization.yaml'));
    assert.equal(base?.title, 'Service default/quotes');
    assert.equal(await session.connection.sendRequest(TRAFFIC_PREVIEW_REQUEST, { uri, position, scope: 'service', overlay: 7 }), null, 'a malformed overlay is refused');
  });

  it('rebuilds the overlay when its patch is edited, and clears the finding', async () => {
    const text = session.read(PATCH);
    await session.open(PATCH, text);
    await session.replace(PATCH, text.replace('name: web', 'name: http'));
    await session.waitForDiagnostics(SERVICE, 'no finding once the patch keeps the port name', (list) => list.length === 0);
    await session.replace(PATCH, text);
    await session.waitForDiagnostics(SERVICE, 'the finding again', (list) => list.some((diagnostic) => diagnostic.code === 'service-target-port-unresolved'));
  });

  it('reports a kustomization kustomize refuses on its value, and builds nothing from it', async () => {
    const file = 'overlays/staging/kustomization.yaml';
    const text = session.read(file);
    await session.open(file, text);
    await session.replace(file, text.replace('namespace: quotes-staging', 'namespace: 0123'));
    const list = await session.waitForDiagnostics(file, 'the refusal', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'kustomization-refused'));
    const [refusal] = list;
    assert.equal(list.length, 1);
    assert.equal(refusal?.severity, 1, 'an error');
    assert.deepEqual([refusal?.range.start, refusal?.range.end], [{ line: 2, character: 11 }, { line: 2, character: 15 }]);
    assert.match(messageText(refusal!), /^kubectl kustomize refuses this kustomization: namespace is a number where kustomize takes a string/);
    // The staging build is gone with it: the finding that held in staging only is gone from the base.
    await session.waitForDiagnostics(SERVICE, 'no staging finding once staging builds nothing', (diagnostics) => diagnostics.length === 0);
    await session.replace(file, text);
    await session.waitForDiagnostics(file, 'no refusal once the namespace is a string', (diagnostics) => diagnostics.length === 0);
    await session.waitForDiagnostics(SERVICE, 'the staging finding again', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'service-target-port-unresolved'));
  });

  it('reports a patch that matches no object of the build on its name, and clears it once it does', async () => {
    const text = session.read(PATCH);
    await session.open(PATCH, text);
    await session.replace(PATCH, text.replace('  name: quotes', '  name: qoutes'));
    const list = await session.waitForDiagnostics(PATCH, 'the failed build', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'kustomize-build-incomplete'));
    assert.equal(list.length, 1);
    const [failure] = list;
    assert.equal(failure?.severity, 1, 'an error: kubectl kustomize fails the build');
    assert.deepEqual([failure?.range.start, failure?.range.end], [{ line: 3, character: 8 }, { line: 3, character: 14 }]);
    assert.equal(messageText(failure!), 'kubectl kustomize fails the build here: No object matches the patch of Deployment/qoutes.');
    await session.replace(PATCH, text);
    await session.waitForDiagnostics(PATCH, 'no note once the patch names the Deployment', (diagnostics) => diagnostics.length === 0);
    await session.waitForDiagnostics(SERVICE, 'the staging finding again', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'service-target-port-unresolved'));
    // A patch file deleted on disk: the kustomization that lists it, untouched, gets the error.
    const kustomization = 'overlays/staging/kustomization.yaml';
    await session.close(PATCH);
    await session.deletePath(PATCH);
    const missing = await session.waitForDiagnostics(kustomization, 'the missing patch file', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'kustomize-build-incomplete'));
    assert.equal(messageText(missing[0]!), 'kubectl kustomize fails the build here: Missing patch file port-name.yaml.');
    await session.writeFile(PATCH, text);
    await session.waitForDiagnostics(kustomization, 'no note once the patch file is back', (diagnostics) => diagnostics.length === 0);
    await session.waitForDiagnostics(SERVICE, 'the staging finding with the patch back', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'service-target-port-unresolved'));
  });

  it('builds a plain file once a kustomization reaches it, reading its text again', async () => {
    await session.waitForDiagnostics(EXTRA, 'the plain nodePort finding', (list) => list.some((diagnostic) => diagnostic.code === 'service-ports-invalid'));
    await session.writeFile(
      'extra/kustomization.yaml',
      ['resources:', '  - service.yaml', 'patches:', '  - target: {kind: Service, name: edge}', '    patch: |-', '      - op: add', '        path: /spec/type', '        value: NodePort', ''].join('\n'),
    );
    await session.waitForDiagnostics(EXTRA, 'no finding once the overlay makes it a NodePort Service', (list) => !list.some((diagnostic) => diagnostic.code === 'service-ports-invalid'));
  });
});

/** The staging overlay's note that its base is not read (information), once its diagnostics come. */
async function expectBaseNotRead(session: LspSession): Promise<void> {
  const KUSTOMIZATION = 'overlays/staging/kustomization.yaml';
  const list = await session.waitForDiagnostics(KUSTOMIZATION, 'the base noted as not read', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'kustomize-build-incomplete'));
  const notes = list.filter((diagnostic) => diagnostic.code === 'kustomize-build-incomplete');
  assert.deepEqual(
    notes.map((diagnostic) => [diagnostic.severity, messageText(diagnostic)]),
    [[3, 'The resource ../../base is outside the folders Service Lens reads (or excluded from them), so it is not built here; open or check a folder that holds it.']],
  );
}

describe('an overlay whose folder alone is open', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'kustomize', folders: ['overlays/staging'] });
  });
  after(async () => {
    await session?.dispose();
  });

  it('notes its base outside the workspace folder as not read, with no error', async () => {
    await expectBaseNotRead(session);
    // The patch of the base's Deployment matches nothing read: information too, never "fails".
    const patch = session.diagnostics.get(session.uri(PATCH))?.diagnostics ?? [];
    assert.ok(patch.every((diagnostic) => diagnostic.severity !== 1), JSON.stringify(patch));
  });
});

describe('a base the exclude settings leave out', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'kustomize', settings: { exclude: ['base/**'] } });
  });
  after(async () => {
    await session?.dispose();
  });

  it('is noted as not read, not as missing: kubectl builds it, and the overlays are built in part', async () => {
    await expectBaseNotRead(session);
    for (const [, published] of session.diagnostics) {
      assert.ok(published.diagnostics.every((diagnostic) => !(diagnostic.code === 'kustomize-build-incomplete' && diagnostic.severity === 1)), JSON.stringify(published.diagnostics));
    }
  });
});
