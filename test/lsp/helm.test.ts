/**
 * Helm charts in the server, rendered by the real helm (tools/k8s/bin/helm): the examples chart
 * gets a finding on its template's targetPort line only with its staging values file; an unsaved
 * edit of that values file renders again; a chart that fails to render gets one finding on its
 * Chart.yaml; hovers on a template come from the rendered objects. In an untrusted workspace
 * nothing is rendered and the log says so once, until the client says the workspace is trusted.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../../server/src/protocol/trust';
import { HELM_FIXTURES, helmBinary } from '../support/helm';
import { REPO_ROOT } from '../support/paths';
import { LspSession, messageText, positionOf } from './harness';

const SERVICE = 'charts/cart/templates/service.yaml';
const STAGING = 'charts/cart/values-staging.yaml';
const FAILING = 'charts/failing/Chart.yaml';
const UNTRUSTED_NOTE = /Helm charts are not rendered: the workspace is not trusted/;

/** The examples chart and the failing fixture chart, copied beside the fixture's plain manifest. */
function addCharts(root: string): void {
  fs.cpSync(path.join(REPO_ROOT, 'examples', 'charts', 'cart'), path.join(root, 'charts', 'cart'), { recursive: true });
  fs.cpSync(path.join(HELM_FIXTURES, 'failing'), path.join(root, 'charts', 'failing'), { recursive: true });
  fs.cpSync(path.join(HELM_FIXTURES, 'ranged'), path.join(root, 'charts', 'ranged'), { recursive: true });
  // A chart whose helper is a link out of the workspace folder: helm would read it, so it is not rendered.
  fs.cpSync(path.join(HELM_FIXTURES, 'ranged'), path.join(root, 'charts', 'linked'), { recursive: true });
  fs.writeFileSync(path.join(root, 'charts', 'linked', 'Chart.yaml'), 'apiVersion: v2\nname: linked\nversion: 0.1.0\n');
  fs.symlinkSync(path.join(REPO_ROOT, 'examples', 'charts', 'cart', 'templates', '_helpers.tpl'), path.join(root, 'charts', 'linked', 'templates', '_helpers.tpl'));
}

const rendered = (session: LspSession, chart: string) => session.logs.some((entry) => entry.message.startsWith(`Rendered chart ${chart} `));
const codes = (list: readonly Diagnostic[]) => list.map((diagnostic) => String(diagnostic.code));

describe('Helm charts in a trusted workspace', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({
      fixture: 'helm',
      prepare: addCharts,
      settings: { helm: { path: helmBinary() } },
      initializationOptions: { workspaceTrusted: true },
    });
    await session.waitFor('the cart and ranged charts rendered', () => rendered(session, 'charts/cart') && rendered(session, 'charts/ranged'));
  });
  after(async () => {
    await session?.dispose();
  });

  it('renders the examples chart with values.yaml: no finding on its templates', async () => {
    await session.waitForDiagnostics(FAILING, 'the failing chart reported', (list) => list.length === 1);
    assert.deepEqual(session.codesOf(SERVICE), []);
    assert.deepEqual(session.codesOf('charts/cart/templates/deployment.yaml'), []);
    assert.ok(!session.logs.some((entry) => UNTRUSTED_NOTE.test(entry.message)), 'no untrusted note');
  });

  it('reports a chart that fails to render once, on its Chart.yaml, with helm\'s message, and nothing else of it', () => {
    const [finding, ...rest] = session.diagnostics.get(session.uri(FAILING))?.diagnostics ?? [];
    assert.equal(rest.length, 0);
    assert.equal(finding?.code, 'chart-render-failed');
    assert.equal(finding?.range.start.line, 1, 'on the name line');
    assert.match(messageText(finding!), /^helm template could not render chart failing: .*failing\/templates\/service\.yaml.*\.$/);
    assert.deepEqual(session.codesOf('charts/failing/templates/service.yaml'), []);
  });

  it('shows the rendered Service on a template line in the hover', async () => {
    const text = session.read(SERVICE);
    const hover = await session.hoverText(SERVICE, positionOf(text, 'include "cart.selectorLabels"'));
    assert.ok(hover, 'a hover on the selector line of the template');
    assert.match(hover, /Deployment\/cart/);
  });

  it('does not render a chart with a link out of the workspace folder, and says why', async () => {
    await session.waitFor('the linked chart noted', () => session.logs.some((entry) => /^Chart linked not rendered: templates\/_helpers\.tpl links to .*examples\/charts\/cart\/templates\/_helpers\.tpl, outside the workspace folder, and helm would read it/.test(entry.message)));
    assert.ok(!rendered(session, 'charts/linked'), 'helm did not run on it');
  });

  it('shows every Service a range writes from the template line in its hover', async () => {
    const file = 'charts/ranged/templates/services.yaml';
    const text = session.read(file);
    const hover = await session.hoverText(file, positionOf(text, '{{ .name }}'));
    assert.ok(hover, 'a hover on the name line of the range');
    assert.match(hover, /\*\*Service\/api\*\*/);
    assert.match(hover, /This text makes 2 Services in the render; the others:/);
    assert.match(hover, /\*\*Service\/admin\*\*/);
    assert.ok(hover.indexOf('Service/api') < hover.indexOf('Service/admin'), 'in file order');
    // Each Service's own ports: admin's 9000 reaches the admin container port.
    assert.match(hover.slice(hover.indexOf('**Service/admin**')), /9000/);
  });

  it('reports the staging targetPort on the template line once the second values file is set', async () => {
    await session.changeSettings({ helm: { path: helmBinary(), valuesFiles: { 'charts/cart': [STAGING] } } });
    const list = await session.waitForDiagnostics(SERVICE, 'the targetPort finding', (diagnostics) => codes(diagnostics).includes('service-target-port-unresolved'));
    const finding = list.find((diagnostic) => diagnostic.code === 'service-target-port-unresolved')!;
    const text = session.read(SERVICE);
    assert.deepEqual(finding.range.start, positionOf(text, '{{ .Values.service.targetPort }}'));
    assert.match(messageText(finding), /^targetPort web names no TCP port of Deployment\/cart.* Rendered with values\.yaml, values-staging\.yaml: targetPort web\.$/);
  });

  it('renders an unsaved edit of the values file, and the finding clears', async () => {
    const text = session.read(STAGING);
    await session.open(STAGING, text);
    await session.replace(STAGING, text.replace('targetPort: web', 'targetPort: http'));
    await session.waitForDiagnostics(SERVICE, 'no finding with targetPort http', (list) => list.length === 0);
    await session.replace(STAGING, text);
    await session.waitForDiagnostics(SERVICE, 'the finding again', (list) => codes(list).includes('service-target-port-unresolved'));
    await session.close(STAGING);
  });

  it('forgets the render when the chart loses its Chart.yaml: its templates are skipped again', async () => {
    await session.deletePath('charts/cart/Chart.yaml');
    await session.waitForDiagnostics(SERVICE, 'no finding once the folder is no chart', (list) => list.length === 0);
  });
});

describe('Helm charts in an untrusted workspace', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'helm', prepare: addCharts, settings: { helm: { path: helmBinary() } } });
  });
  after(async () => {
    await session?.dispose();
  });

  it('renders nothing and says once how to enable it', async () => {
    await session.waitFor('the untrusted note', () => session.logs.some((entry) => UNTRUSTED_NOTE.test(entry.message)));
    // An edit of a chart file asks again; the note is not repeated.
    const staging = session.read(STAGING);
    await session.open(STAGING, staging);
    await session.replace(STAGING, `${staging}\n# edited\n`);
    await session.close(STAGING);
    await session.waitForDiagnostics('plain/echo.yaml', 'the plain manifest analysed', () => true);
    assert.equal(session.logs.filter((entry) => UNTRUSTED_NOTE.test(entry.message)).length, 1);
    assert.ok(!rendered(session, 'charts/cart'));
    assert.deepEqual(session.codesOf(FAILING), []);
    assert.deepEqual(session.codesOf(SERVICE), []);
  });

  it('renders once the client says the workspace is trusted', async () => {
    await session.connection.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION, {});
    await session.waitForDiagnostics(FAILING, 'the failing chart reported after trust', (list) => codes(list).includes('chart-render-failed'));
  });
});
