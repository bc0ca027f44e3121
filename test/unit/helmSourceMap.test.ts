/**
 * The source map from rendered Helm documents back to template lines, on what the real helm
 * (tools/k8s/bin/helm) renders from the examples chart and the fixtures of test/fixtures/helm, and
 * on small templates for the fallbacks.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { mapToTemplate, type TemplateLocation } from '../../server/src/engine/render/sourceMap';
import { renderChart, type RenderedDocument } from '../../server/src/render/helm';
import { HELM_FIXTURES, helmBinary } from '../support/helm';
import { REPO_ROOT } from '../support/paths';

const CART = join(REPO_ROOT, 'examples', 'charts', 'cart');
const STORE = join(HELM_FIXTURES, 'store');

async function render(chartDirectory: string, valuesFiles: string[] = []): Promise<readonly RenderedDocument[]> {
  const result = await renderChart({ chartDirectory, release: 'shop', valuesFiles, helmPath: helmBinary(), timeoutMs: 20_000, maxOutputBytes: 1024 * 1024 });
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.documents;
}

interface Mapped {
  /** 1-based line in the template file. */
  readonly line: number;
  /** The template text the span covers. */
  readonly text: string;
  readonly exact: boolean;
  readonly via: TemplateLocation['via'];
}

/**
 * Maps the `occurrence`-th (0-based) appearance of `needle` in the rendered document of kind
 * `kind` (`Kind@source` to name its template too), and reads the template span back as line and text.
 */
function mapNeedle(documents: readonly RenderedDocument[], which: string, needle: string, occurrence = 0): Mapped {
  const [kind, source] = which.split('@');
  const document = documents.find((candidate) => candidate.text.includes(`\nkind: ${kind}\n`) && (source === undefined || candidate.source === source));
  assert.ok(document?.templateFile, `a rendered ${kind} with its template`);
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen++) start = document.text.indexOf(needle, start + 1);
  assert.ok(start >= 0, `${needle} is in the rendered ${kind}`);
  const template = readFileSync(document.templateFile, 'utf8');
  return describeLocation(template, mapToTemplate(document.text, template, { start, end: start + needle.length }));
}

function describeLocation(template: string, location: TemplateLocation): Mapped {
  return {
    line: template.slice(0, location.span.start).split('\n').length,
    text: template.slice(location.span.start, location.span.end),
    exact: location.exact,
    via: location.via,
  };
}

describe('helm source map', () => {
  let cart: readonly RenderedDocument[] = [];
  let staging: readonly RenderedDocument[] = [];
  let store: readonly RenderedDocument[] = [];
  let storeWithoutMetrics: readonly RenderedDocument[] = [];
  before(async () => {
    [cart, staging, store, storeWithoutMetrics] = await Promise.all([
      render(CART),
      render(CART, [join(CART, 'values-staging.yaml')]),
      render(STORE),
      render(STORE, [join(STORE, 'values-no-metrics.yaml')]),
    ]);
  });

  it('maps a targetPort that values wrote to its template line', () => {
    assert.deepEqual(mapNeedle(cart, 'Service', 'http', 1), { line: 14, text: '{{ .Values.service.targetPort }}', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(staging, 'Service', 'web'), { line: 14, text: '{{ .Values.service.targetPort }}', exact: true, via: 'key' });
  });

  it('maps selector labels that a helper wrote to the line that includes it', () => {
    const include = { line: 10, text: '{{- include "cart.selectorLabels" . | nindent 4 }}', exact: true, via: 'include' };
    assert.deepEqual(mapNeedle(cart, 'Service', 'app.kubernetes.io/name: cart', 1), include);
    assert.deepEqual(mapNeedle(cart, 'Service', 'instance: shop', 1), include);
    assert.deepEqual(mapNeedle(cart, 'Deployment', 'app.kubernetes.io/instance: shop', 1), {
      line: 11,
      text: '{{- include "cart.selectorLabels" . | nindent 6 }}',
      exact: true,
      via: 'include',
    });
  });

  it('maps a container port deep in a Deployment', () => {
    assert.deepEqual(mapNeedle(cart, 'Deployment', '8080'), { line: 22, text: '{{ .Values.containerPort }}', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(cart, 'Deployment', 'name: http'), { line: 21, text: 'name', exact: true, via: 'key' });
  });

  it('maps into a flow collection the template writes as helm copies it', async () => {
    const flow = await render(join(HELM_FIXTURES, 'flow'));
    assert.deepEqual(mapNeedle(flow, 'Service@flow/templates/service.yaml', 'http'), { line: 7, text: 'http', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(flow, 'Service@flow/templates/service.yaml', '80'), { line: 7, text: '80', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(flow, 'Service@flow/templates/service.yaml', 'app: web'), { line: 6, text: 'app: web', exact: true, via: 'key' });
    // A document a helper writes whole: the include line stands for it, not the comment above.
    assert.deepEqual(mapNeedle(flow, 'Service@flow/templates/admin.yaml', 'The admin'), { line: 2, text: '{{ include "flow.admin" . }}', exact: false, via: 'document' });
  });

  it('picks the document of a multi-document template by kind', () => {
    assert.deepEqual(mapNeedle(store, 'Deployment', 'tier: frontend'), { line: 14, text: 'tier', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(store, 'Service@store/templates/web.yaml', 'tier: frontend'), { line: 30, text: 'tier', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(store, 'Deployment', 'containerPort: 8080'), { line: 21, text: 'containerPort', exact: true, via: 'key' });
  });

  it('tells apart documents of one template that differ only in templated names', async () => {
    const documents = (await render(join(HELM_FIXTURES, 'twins'))).filter((document) => document.source === 'twins/templates/services.yaml');
    const template = readFileSync(join(HELM_FIXTURES, 'twins', 'templates', 'services.yaml'), 'utf8');
    // The admin Service is left out by `if`: three template documents, two rendered.
    assert.equal(documents.length, 2);
    const lineOf = (index: number, position?: { index: number; count: number }): number => {
      const text = documents[index]!.text;
      const at = text.lastIndexOf('targetPort: http') + 'targetPort: '.length;
      const location = mapToTemplate(text, template, { start: at, end: at + 4 }, position);
      assert.equal(location.exact, true);
      return template.slice(0, location.span.start).split('\n').length;
    };
    // By the rendered name against `{{ .Release.Name }}-api`.
    assert.equal(lineOf(0), 10);
    assert.equal(lineOf(1), 21);
    // By position, when as many documents were rendered as the template holds.
    const both = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x" . }}\nspec:\n  ports:\n    - targetPort: http\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "y" . }}\nspec:\n  ports:\n    - targetPort: http\n';
    const second = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  ports:\n    - targetPort: http\n';
    const at = second.indexOf('http');
    const located = mapToTemplate(second, both, { start: at, end: at + 4 }, { index: 1, count: 2 });
    assert.equal(both.slice(0, located.span.start).split('\n').length, 15);
  });

  it('skips a document switched off by `if` whose templated name rules the rendered one out', () => {
    const template = '{{- if .Values.metrics.enabled }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-metrics\nspec:\n  ports:\n    - targetPort: metrics\n---\n{{- end }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n    - targetPort: grpc\n';
    const rendered = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - targetPort: grpc\n';
    const at = rendered.indexOf('grpc');
    const located = mapToTemplate(rendered, template, { start: at, end: at + 4 }, { index: 0, count: 1 });
    assert.equal(template.slice(0, located.span.start).split('\n').length, 17);
    assert.equal(located.exact, true);
  });

  it('maps an object written whole by an action (toYaml of values) to that action, though helm sorts the output by kind', () => {
    const template = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, targetPort: http}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]\n{{- range .Values.extraObjects }}\n---\n{{ toYaml . }}\n{{- end }}\n';
    const lineOf = (rendered: string, needle: string, index: number): number => {
      const at = rendered.indexOf(needle);
      const located = mapToTemplate(rendered, template, { start: at, end: at + needle.length }, { index, count: 3 });
      return template.slice(0, located.span.start).split('\n').length;
    };
    // helm prints the Services first: web, then extra (from values), then the Deployment.
    assert.equal(lineOf('apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  ports:\n  - port: 81\n    targetPort: nope\n', 'nope', 1), 16);
    assert.equal(lineOf('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80, targetPort: http}]\n', 'http', 0), 5);
    assert.equal(lineOf('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]\n', '8080', 2), 13);
  });

  it('maps sequence items written by if and range blocks', () => {
    // metrics (an if block), then http and admin (a range over values).
    assert.deepEqual(mapNeedle(store, 'Service@store/templates/web.yaml', 'targetPort: 9090'), { line: 35, text: 'targetPort', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(store, 'Service@store/templates/web.yaml', 'web', 2), { line: 40, text: '{{ .targetPort }}', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(store, 'Service@store/templates/web.yaml', '9000'), { line: 40, text: '{{ .targetPort }}', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(store, 'Service@store/templates/web.yaml', 'admin'), { line: 38, text: '{{ .name }}', exact: true, via: 'key' });
    // Without the metrics port, the first item comes from the range, not from the if block.
    assert.deepEqual(mapNeedle(storeWithoutMetrics, 'Service@store/templates/web.yaml', 'port: 80'), { line: 39, text: 'port', exact: true, via: 'key' });
  });

  it("maps a subchart's values to the subchart's template", () => {
    assert.deepEqual(mapNeedle(store, 'StatefulSet', '5432'), { line: 20, text: '{{ .Values.port }}', exact: true, via: 'key' });
    assert.deepEqual(mapNeedle(store, 'Service@store/charts/database/templates/service.yaml', 'targetPort: postgres'), { line: 11, text: 'targetPort', exact: true, via: 'key' });
  });

  it('falls back to the deepest key found, then to the first line, as not exact', () => {
    const template = 'apiVersion: v1\nkind: Service\nspec:\n  selector:\n    app: web\n';
    const rendered = 'apiVersion: v1\nkind: Service\nspec:\n  type: ClusterIP\n  selector:\n    app: web\n';
    const ancestor = mapToTemplate(rendered, template, { start: rendered.indexOf('ClusterIP'), end: rendered.indexOf('ClusterIP') + 9 });
    assert.deepEqual(describeLocation(template, ancestor), { line: 3, text: 'spec', exact: false, via: 'ancestor' });
    const extra = 'apiVersion: v1\nkind: Service\nstatus: {}\n';
    const first = mapToTemplate(extra, template, { start: extra.indexOf('status'), end: extra.indexOf('status') + 6 });
    assert.deepEqual(describeLocation(template, first), { line: 1, text: 'apiVersion: v1', exact: false, via: 'document' });
  });

  it('maps pairs a range over a map wrote to the line of the templated key, a value to its value', () => {
    const template = 'kind: Service\nspec:\n  selector:\n    app: web\n    {{- range $k, $v := .Values.extra }}\n    {{ $k }}: {{ $v }}\n    {{- end }}\n';
    const rendered = 'kind: Service\nspec:\n  selector:\n    app: web\n    version: 2\n';
    const literal = mapToTemplate(rendered, template, { start: rendered.indexOf('web'), end: rendered.indexOf('web') + 3 });
    assert.deepEqual(describeLocation(template, literal), { line: 4, text: 'web', exact: true, via: 'key' });
    const value = mapToTemplate(rendered, template, { start: rendered.indexOf('2\n'), end: rendered.indexOf('2\n') + 1 });
    assert.deepEqual(describeLocation(template, value), { line: 6, text: '{{ $v }}', exact: true, via: 'key' });
    const key = mapToTemplate(rendered, template, { start: rendered.indexOf('version'), end: rendered.indexOf('version') + 7 });
    assert.deepEqual(describeLocation(template, key), { line: 6, text: '{{ $k }}: {{ $v }}', exact: true, via: 'key' });
  });

  it('maps what toYaml wrote under a key to that action, and survives text that is not YAML', () => {
    const template = 'kind: Pod\nspec:\n  {{- with .Values.nodeSelector }}\n  nodeSelector:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n';
    const rendered = 'kind: Pod\nspec:\n  nodeSelector:\n    disk: ssd\n';
    const location = mapToTemplate(rendered, template, { start: rendered.indexOf('ssd'), end: rendered.indexOf('ssd') + 3 });
    assert.deepEqual(describeLocation(template, location), { line: 5, text: '{{- toYaml . | nindent 4 }}', exact: true, via: 'include' });
    const broken = mapToTemplate('kind: [unclosed\n', template, { start: 2, end: 3 });
    assert.equal(broken.exact, false);
  });
});
