/**
 * The Helm render runner with the real helm (tools/k8s/bin/helm) on the examples chart and the
 * fixtures of test/fixtures/helm, and with stand-in programs for the bounds.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, it } from 'node:test';
import { findCharts, releaseNameFor, renderChart, type HelmRender, type HelmRenderRequest, type RenderedDocument } from '../../server/src/render/helm';
import { runBounded } from '../../server/src/render/process';
import { HELM_FIXTURES, helmBinary } from '../support/helm';
import { REPO_ROOT } from '../support/paths';

const CART = join(REPO_ROOT, 'examples', 'charts', 'cart');
const STORE = join(HELM_FIXTURES, 'store');

/** Runs a shell script through the bounded runner, with 1 KB of standard output allowed. */
function runShell(script: string, timeoutMs: number): ReturnType<typeof runBounded> {
  return runBounded({ command: 'sh', args: ['-c', script], cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '' }, timeoutMs, maxOutputBytes: 1024 });
}

function request(chartDirectory: string, overrides: Partial<HelmRenderRequest> = {}): HelmRenderRequest {
  return { chartDirectory, release: 'shop', valuesFiles: [], helmPath: helmBinary(), timeoutMs: 20_000, maxOutputBytes: 1024 * 1024, ...overrides };
}

function documents(render: HelmRender): readonly RenderedDocument[] {
  assert.ok(render.ok, `the render succeeds: ${render.ok ? '' : `${render.reason}: ${render.message}`}`);
  return render.documents;
}

function object(document: RenderedDocument | undefined): Record<string, unknown> {
  assert.ok(document, 'the document exists');
  return parse(document.text) as Record<string, unknown>;
}

describe('helm render runner', () => {
  it('renders the examples chart: selector labels from its helpers, targetPort from values.yaml', async () => {
    const rendered = documents(await renderChart(request(CART)));
    assert.deepEqual(rendered.map((document) => document.source), ['cart/templates/service.yaml', 'cart/templates/deployment.yaml']);
    assert.deepEqual(rendered.map((document) => document.templateFile), [join(CART, 'templates', 'service.yaml'), join(CART, 'templates', 'deployment.yaml')]);
    const service = object(rendered[0]);
    assert.deepEqual(service['spec'], {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/instance': 'shop' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    assert.ok(!rendered[0]!.text.includes('# Source:'), 'the text is the document alone');
  });

  it('applies extra values files in order: values-staging.yaml changes targetPort', async () => {
    const rendered = documents(await renderChart(request(CART, { valuesFiles: [join(CART, 'values-staging.yaml')] })));
    const spec = object(rendered.find((document) => document.source === 'cart/templates/service.yaml'))['spec'] as { ports: { targetPort: string }[] };
    assert.equal(spec.ports[0]!.targetPort, 'web');
  });

  it('sets .Release.Namespace from the request, never from a kubeconfig', async () => {
    const rendered = documents(await renderChart(request(join(HELM_FIXTURES, 'namespaced'), { namespace: 'shop-staging' })));
    assert.equal((object(rendered[0])['metadata'] as Record<string, unknown>)['namespace'], 'shop-staging');
    const byDefault = documents(await renderChart(request(join(HELM_FIXTURES, 'namespaced'))));
    assert.equal((object(byDefault[0])['metadata'] as Record<string, unknown>)['namespace'], 'default');
  });

  it('renders a subchart with its parent and finds its template through the dependency alias', async () => {
    const rendered = documents(await renderChart(request(STORE)));
    assert.deepEqual(rendered.map((document) => document.source).sort(), [
      'store/charts/database/templates/service.yaml',
      'store/charts/database/templates/statefulset.yaml',
      'store/templates/web.yaml',
      'store/templates/web.yaml',
    ]);
    const database = rendered.find((document) => document.source === 'store/charts/database/templates/service.yaml');
    assert.equal(database?.templateFile, join(STORE, 'charts', 'db', 'templates', 'service.yaml'));
    assert.equal(((object(database)['spec'] as { ports: { port: number }[] }).ports[0]!).port, 5432);
    const kinds = rendered.filter((document) => document.source === 'store/templates/web.yaml').map((document) => object(document)['kind']);
    assert.deepEqual(kinds.sort(), ['Deployment', 'Service'], 'each document of a multi-document template is its own document');
  });

  it("returns helm's own message for a chart that fails to render", async () => {
    const render = await renderChart(request(join(HELM_FIXTURES, 'failing')));
    assert.equal(render.ok, false);
    assert.ok(!render.ok);
    assert.equal(render.reason, 'failed');
    assert.equal(render.message, 'execution error at (failing/templates/service.yaml:4:11): Set a name for the Service (values: name)');
  });

  it('renders a chart with missing dependencies without them, with one note', async () => {
    const chartFile = join(HELM_FIXTURES, 'missing-dependency', 'Chart.yaml');
    const before = readFileSync(chartFile, 'utf8');
    const render = await renderChart(request(join(HELM_FIXTURES, 'missing-dependency')));
    assert.ok(render.ok, render.ok ? '' : render.message);
    assert.deepEqual(render.missingDependencies, ['redis', 'queue']);
    assert.equal(render.notes.length, 1);
    assert.match(render.notes[0]!, /redis, queue/);
    assert.deepEqual(render.documents.map((document) => [document.source, document.templateFile]), [
      ['orders/templates/service.yaml', join(HELM_FIXTURES, 'missing-dependency', 'templates', 'service.yaml')],
    ]);
    assert.equal(readFileSync(chartFile, 'utf8'), before, 'the chart itself is left as it was');
  });

  it('kills a helm that does not finish in time', async () => {
    const started = Date.now();
    const render = await renderChart(request(CART, { helmPath: join(HELM_FIXTURES, 'bin', 'slow-helm'), timeoutMs: 300 }));
    assert.deepEqual(render, { ok: false, reason: 'timeout', message: 'helm template did not finish within 300 ms.' });
    assert.ok(Date.now() - started < 5_000, `returned after ${Date.now() - started} ms`);
  });

  it('stops reading past the output limit', async () => {
    const render = await renderChart(request(CART, { maxOutputBytes: 200 }));
    assert.deepEqual(render, { ok: false, reason: 'too-large', message: 'helm template wrote more than 200 bytes.' });
  });

  it('reports a helm path that does not exist', async () => {
    const missing = join(HELM_FIXTURES, 'bin', 'no-such-helm');
    const render = await renderChart(request(CART, { helmPath: missing }));
    assert.deepEqual(render, { ok: false, reason: 'not-found', message: `The helm program ${missing} was not found.` });
    const relative = await renderChart(request(CART, { helmPath: join('tools', 'k8s', 'bin', 'helm') }));
    assert.equal(relative.ok === false ? relative.reason : 'rendered', 'not-found', 'a relative path would depend on the working folder');
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    const pending = renderChart(request(CART, { helmPath: join(HELM_FIXTURES, 'bin', 'slow-helm') }), controller.signal);
    setTimeout(() => controller.abort(), 100);
    assert.deepEqual(await pending, { ok: false, reason: 'cancelled', message: 'The render was cancelled.' });
  });

  it('runs helm with its own empty home, PATH, and none of the caller environment', async () => {
    process.env['SERVICE_LENS_TEST_PRIVATE'] = 'not for helm';
    try {
      const rendered = documents(await renderChart(request(CART, { helmPath: join(HELM_FIXTURES, 'bin', 'env-helm') })));
      const env = object(rendered[0])['data'] as Record<string, string>;
      assert.equal(env['SERVICE_LENS_TEST_PRIVATE'], undefined);
      const home = env['HOME']!;
      assert.notEqual(home, process.env['HOME']);
      for (const name of ['HELM_CONFIG_HOME', 'HELM_CACHE_HOME', 'HELM_DATA_HOME', 'KUBECONFIG']) {
        assert.ok(env[name]?.startsWith(home), `${name}=${env[name]} is inside the run's home`);
      }
      assert.equal(env['PATH'], process.env['PATH']);
      assert.equal(env['ARGS'], `template shop ${CART} --namespace default --skip-tests`);
    } finally {
      delete process.env['SERVICE_LENS_TEST_PRIVATE'];
    }
  });

  it("keeps the start and the end of a long standard error, in whole lines", async () => {
    const result = await runShell('i=0; while [ $i -lt 5000 ]; do echo "level=INFO msg=line $i" >&2; i=$((i+1)); done; echo "Error: the end" >&2; exit 1', 20_000);
    assert.equal(result.outcome, 'exited');
    const lines = result.outcome === 'exited' ? result.stderr.trimEnd().split('\n') : [];
    assert.equal(lines[0], 'level=INFO msg=line 0');
    assert.equal(lines.at(-1), 'Error: the end');
    assert.ok(lines.length < 5000, `lines left out: ${lines.length} kept`);
    assert.ok(lines.slice(0, -1).every((line) => /^level=INFO msg=line \d+$/.test(line)), 'no line cut in two');
  });

  it("gives helm's error after thousands of its log lines (one per symbolic link followed)", async () => {
    const chart = mkdtempSync(join(tmpdir(), 'service-lens-helm-links-'));
    try {
      writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: links\nversion: 0.1.0\n');
      mkdirSync(join(chart, 'templates'));
      writeFileSync(join(chart, 'templates', 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "nope" . }}\n');
      mkdirSync(join(chart, 'files'));
      for (let index = 0; index < 800; index++) symlinkSync('../Chart.yaml', join(chart, 'files', `link-${index}.txt`));
      const render = await renderChart(request(chart));
      assert.equal(render.ok, false);
      assert.match(render.ok ? '' : render.message, /no template "nope"/);
    } finally {
      rmSync(chart, { recursive: true, force: true });
    }
  });

  it('does not run helm on a chart with a symbolic link out of the folder its links may lead into', async () => {
    const root = mkdtempSync(join(tmpdir(), 'service-lens-helm-out-'));
    const outside = mkdtempSync(join(tmpdir(), 'service-lens-helm-elsewhere-'));
    try {
      const chart = join(root, 'web');
      mkdirSync(join(chart, 'templates'), { recursive: true });
      writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
      writeFileSync(join(root, 'shared.tpl'), '{{- define "web.name" -}}web{{- end }}\n');
      writeFileSync(join(outside, 'secret.tpl'), '{{- define "web.secret" -}}secret{{- end }}\n');
      writeFileSync(join(chart, 'templates', 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "web.name" . }}\nspec:\n  ports: [{port: 80}]\n');
      // A link within the workspace renders; one out of it is refused before helm runs.
      symlinkSync(join('..', '..', 'shared.tpl'), join(chart, 'templates', '_shared.tpl'));
      assert.equal((await renderChart(request(chart, { linksWithin: root }))).ok, true);
      symlinkSync(join(outside, 'secret.tpl'), join(chart, 'templates', '_secret.tpl'));
      const refused = await renderChart(request(chart, { linksWithin: root, helmPath: join(HELM_FIXTURES, 'bin', 'no-such-helm') }));
      assert.deepEqual(refused, { ok: false, reason: 'outside', message: `templates/_secret.tpl links to ${join(outside, 'secret.tpl')}, outside the workspace folder, and helm would read it` });
      assert.equal((await renderChart(request(chart))).ok, true, 'without a bound, links are followed');
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('kills the whole process group of a program past its time', async () => {
    const result = await runShell('sleep 30 & echo $! >&2; wait', 500);
    assert.equal(result.outcome, 'timeout');
    const child = Number(result.outcome === 'timeout' ? result.stderr.trim() : NaN);
    assert.ok(child > 0, 'the child printed its process id');
    await waitUntil(() => !isAlive(child), 5_000);
  });

  it('names a release after the chart, as helm accepts release names', () => {
    assert.equal(releaseNameFor(CART), 'cart');
    assert.equal(releaseNameFor(join(HELM_FIXTURES, 'missing-dependency')), 'orders');
    assert.equal(releaseNameFor(join(HELM_FIXTURES, 'no-such-chart', 'My_Chart.v2')), 'my-chart-v2');
  });

  it('finds charts among workspace files, leaving out subcharts and library charts', () => {
    const files = [
      join(HELM_FIXTURES, 'library', 'Chart.yaml'),
      join(HELM_FIXTURES, 'library', 'templates', '_service.tpl'),
      join(STORE, 'Chart.yaml'),
      join(STORE, 'values.yaml'),
      join(STORE, 'charts', 'db', 'Chart.yaml'),
      join(CART, 'Chart.yaml'),
      join(CART, 'templates', 'service.yaml'),
      join(REPO_ROOT, 'examples', 'chart', 'Chart.yaml'),
    ];
    assert.deepEqual(findCharts(files), [join(REPO_ROOT, 'examples', 'chart'), CART, STORE].sort());
  });
});

describe('library charts', () => {
  it('are refused by helm on their own, which is why findCharts leaves them out', async () => {
    const render = await renderChart(request(join(HELM_FIXTURES, 'library')));
    assert.equal(render.ok, false);
    assert.match(render.ok ? '' : render.message, /library charts are not installable/);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
