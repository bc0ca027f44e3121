/**
 * Rendered Helm charts in the engine (analysis/charts.ts), fed what `helm template` prints, as
 * the server and the CLI hand it over: the chart is its own scope with the plain manifests of its
 * folder, findings land on template lines, the templates' skip notes give way to the render, a
 * render dropped or replaced changes the findings, and a suppression comment in a template holds.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { withoutParts, type ChartRender } from '../../server/src/engine/analysis/charts';
import { TestHost } from '../support/testHost';

const CHART = 'shop';
const SERVICE_TEMPLATE = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: {{ .Release.Name }}',
  'spec:',
  '  selector:',
  '    {{- include "shop.selectorLabels" . | nindent 4 }}',
  '  ports:',
  '    - port: 80',
  '      targetPort: {{ .Values.targetPort }}',
  '',
].join('\n');
const DEPLOYMENT_TEMPLATE = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: {{ .Release.Name }}',
  'spec:',
  '  selector:',
  '    matchLabels:',
  '      {{- include "shop.selectorLabels" . | nindent 6 }}',
  '  template:',
  '    metadata:',
  '      labels:',
  '        {{- include "shop.selectorLabels" . | nindent 8 }}',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: web',
  '          ports:',
  '            - name: http',
  '              containerPort: 8080',
  '',
].join('\n');
/** A plain manifest of the chart folder, outside templates/: analysed with the render. */
const PLAIN_SERVICE = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: shop-admin', 'spec:', '  selector:', '    app: shop', '  ports:', '    - port: 9000', '      targetPort: http', ''].join('\n');

function output(targetPort: string): string {
  return [
    '---',
    '# Source: shop/templates/service.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: shop',
    'spec:',
    '  selector:',
    '    app: shop',
    '  ports:',
    '    - port: 80',
    `      targetPort: ${targetPort}`,
    '---',
    '# Source: shop/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: shop',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: shop',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: web',
    '          ports:',
    '            - name: http',
    '              containerPort: 8080',
    '',
  ].join('\n');
}

function rendered(targetPort: string, valuesFiles = ['values.yaml']): ChartRender {
  return { status: 'rendered', output: output(targetPort), valuesFiles };
}

function chartHost(): TestHost {
  const host = new TestHost();
  host.setFiles([
    [`${CHART}/Chart.yaml`, 'apiVersion: v2\nname: shop\nversion: 0.1.0\n'],
    [`${CHART}/values.yaml`, 'targetPort: http\n'],
    [`${CHART}/templates/service.yaml`, SERVICE_TEMPLATE],
    [`${CHART}/templates/deployment.yaml`, DEPLOYMENT_TEMPLATE],
    [`${CHART}/extra/admin.yaml`, PLAIN_SERVICE],
  ]);
  return host;
}

const lineOf = (host: TestHost, fileId: string, offset: number) => host.positionAt(fileId, offset).line;

describe('rendered Helm charts in the engine', () => {
  it('without a render, keeps the templates quiet and the plain Service softened', () => {
    const host = chartHost();
    assert.equal(host.skipped(`${CHART}/templates/service.yaml`).length, 1);
    const [plain] = host.findings(`${CHART}/extra/admin.yaml`);
    assert.equal(plain?.severity, 'information', 'a selector in an unrendered chart is information only');
  });

  it('links the rendered objects with the plain manifests of the chart folder, in the chart scope', () => {
    const host = chartHost();
    host.setCharts({ [CHART]: rendered('http') });
    assert.deepEqual(host.allFindings(), []);
    assert.deepEqual(host.skipped(`${CHART}/templates/service.yaml`), [], 'the render replaces the skip note');
    const admin = host.serviceReports().find((report) => report.name === 'shop-admin');
    assert.deepEqual(admin?.matches.map((match) => `${match.kind}/${match.name} ${match.fileId}`), ['Deployment/shop shop/templates/deployment.yaml']);
  });

  it('puts a finding on the template line that wrote the value, and says what the render gave', () => {
    const host = chartHost();
    host.setCharts({ [CHART]: rendered('web', ['values.yaml', 'values-staging.yaml']) });
    const [finding, ...rest] = host.findings(`${CHART}/templates/service.yaml`);
    assert.equal(rest.length, 0);
    assert.equal(finding?.ruleId, 'service-target-port-unresolved');
    assert.equal(lineOf(host, finding.fileId, finding.span.start), 9);
    assert.equal(SERVICE_TEMPLATE.slice(finding.span.start, finding.span.end), '{{ .Values.targetPort }}');
    assert.match(finding.message, / Rendered with values\.yaml, values-staging\.yaml: targetPort web\.$/);
    assert.deepEqual(finding.scopes, [CHART]);
    assert.deepEqual(finding.fixes, [], 'no text edit on a rendered value');
    // The hover on the selector's include line shows the rendered Service and its match.
    const hover = host.hoverAt(`${CHART}/templates/service.yaml`, SERVICE_TEMPLATE.indexOf('include'));
    assert.equal(hover?.kind, 'selector-pair', 'the hover on the include line is about the selector pairs it wrote');
    // The traffic preview of the template file shows the rendered Service and the Deployment it reaches.
    const preview = host.trafficPreview({ scope: 'file', fileId: `${CHART}/templates/service.yaml`, offset: SERVICE_TEMPLATE.indexOf('kind') });
    assert.deepEqual(preview?.services.map((service) => service.name), ['shop']);
    assert.match(JSON.stringify(preview), /Deployment/);
  });

  it('follows a new render, and drops back to the plain reading when the render is forgotten', () => {
    const host = chartHost();
    host.setCharts({ [CHART]: rendered('web') });
    assert.equal(host.findings(`${CHART}/templates/service.yaml`).length, 1);
    const changed = host.setCharts({ [CHART]: rendered('http') });
    assert.ok(changed.includes(`${CHART}/templates/service.yaml`));
    assert.deepEqual(host.findings(`${CHART}/templates/service.yaml`), []);
    host.setCharts({ [CHART]: null });
    assert.equal(host.skipped(`${CHART}/templates/service.yaml`).length, 1);
    assert.equal(host.findings(`${CHART}/extra/admin.yaml`)[0]?.severity, 'information');
  });

  it('reports a failed render once on Chart.yaml and nothing else of the chart', () => {
    const host = chartHost();
    host.setCharts({ [CHART]: { status: 'failed', message: 'template: shop/templates/service.yaml:7:6: no template "shop.selectorLabels"' } });
    const findings = host.allFindings();
    assert.deepEqual(findings.map((finding) => `${finding.fileId} ${finding.ruleId}`), [`${CHART}/Chart.yaml chart-render-failed`]);
    assert.match(findings[0]!.message, /^helm template could not render chart shop: template: .*"shop\.selectorLabels"\.$/);
  });

  it('honours a suppression comment written in the template', () => {
    const host = chartHost();
    const suppressed = SERVICE_TEMPLATE.replace('      targetPort:', '      # service-lens-disable-next-line service-target-port-unresolved\n      targetPort:');
    host.setFile(`${CHART}/templates/service.yaml`, suppressed);
    host.setCharts({ [CHART]: rendered('web') });
    assert.deepEqual(host.allFindings(), []);
  });

  it('maps again when a template is edited while its render stays', () => {
    const host = chartHost();
    host.setCharts({ [CHART]: rendered('web') });
    const edited = `# a comment line on top\n${SERVICE_TEMPLATE}`;
    host.setFile(`${CHART}/templates/service.yaml`, edited);
    const [finding] = host.findings(`${CHART}/templates/service.yaml`);
    assert.equal(finding?.ruleId, 'service-target-port-unresolved');
    assert.equal(edited.slice(finding.span.start, finding.span.end), '{{ .Values.targetPort }}');
  });
});

describe('what a render gave, in a message', () => {
  it('says a rendered selector once when its pairs map to the same template line as it', () => {
    assert.deepEqual(withoutParts(['selector app=q', 'selector version=2', 'selector app=q, version=2']), ['selector app=q, version=2']);
    assert.deepEqual(withoutParts(['selector app=q', 'selector version=2']), ['selector app=q', 'selector version=2'], 'pairs of a loop line stay');
    assert.deepEqual(withoutParts(['targetPort web', 'matchLabels app=q, tier=web', 'labels app=q']), ['targetPort web', 'matchLabels app=q, tier=web', 'labels app=q'], 'other fields stay');
  });
});
