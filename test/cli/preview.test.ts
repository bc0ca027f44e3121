/**
 * `service-lens preview --out`: the built CLI writes a standalone page that opens over file:// in
 * real headless Chromium, shows every Service of the workspace, and runs nothing from manifests.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseStandaloneData, type StandaloneData } from '../../client/webview/messages';
import { Browser } from '../webview/browser';
import { REPO_ROOT, runCli, runJson } from './harness';

const HOSTILE_MANIFESTS = `apiVersion: v1
kind: Service
metadata:
  name: "x</script><script>alert(1)</script>"
  namespace: "<img src=x onerror=alert(2)>"
  labels:
    app: "<img src=x onerror=alert(3)>"
  annotations:
    note: "<svg onload=alert(4)>"
spec:
  selector:
    app: "<img src=x onerror=alert(5)>"
  ports:
    - name: "<b>http</b>"
      port: 80
      targetPort: "</script><!--"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web<iframe srcdoc='<script>alert(6)</script>'>"
  namespace: "<img src=x onerror=alert(2)>"
spec:
  selector:
    matchLabels:
      app: "<img src=x onerror=alert(5)>"
  template:
    metadata:
      labels:
        app: "<img src=x onerror=alert(5)>"
    spec:
      containers:
        - name: "c<script>alert(7)</script>"
          image: x
          env:
            - name: "X_SERVICE_HOST"
              value: "<img src=x onerror=alert(8)>"
          ports:
            - name: "</script><!--"
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  type: ExternalName
  externalName: "<img src=x onerror=alert(9)>.example.com"
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: "ing<img src=x onerror=alert(10)>"
  namespace: "<img src=x onerror=alert(2)>"
spec:
  rules:
    - host: "<img src=x onerror=alert(11)>"
      http:
        paths:
          - path: "/<script>alert(12)</script>"
            pathType: Prefix
            backend:
              service:
                name: "x</script><script>alert(1)</script>"
                port:
                  number: 81
`;

/** A Gateway, an HTTPRoute with one good rule and one whose port is the target port, the Service and its Pods. */
const ROUTE_MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  gatewayClassName: example
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: public}]
  hostnames: [shop.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: web, port: 80}]
    - matches: [{path: {type: Exact, value: /admin}}]
      backendRefs: [{name: web, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]
`;

/** The data a written page embeds, read back the way the page itself reads it. */
function embeddedData(file: string): StandaloneData {
  const html = fs.readFileSync(file, 'utf8');
  const match = /<script type="application\/json" id="preview-data" nonce="[^"]+">([^<]*)<\/script>/.exec(html);
  assert.ok(match, 'the page embeds its data');
  const data = parseStandaloneData(match[1]!);
  assert.ok(data, 'the embedded data is a valid message');
  return data;
}

describe('service-lens preview --out', { timeout: 180_000 }, () => {
  let folder: string;
  let browser: Browser | undefined;

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-preview-'));
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function chromium(): Promise<Browser> {
    browser ??= await Browser.launch();
    return browser;
  }

  test('writes a page with every Service of examples, each location a file URL and line in the manifest', () => {
    const out = path.join(folder, 'nested', 'preview.html');
    const run = runCli(['preview', 'examples', '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Wrote .*preview\.html: \d+ Services\.\n$/);
    assert.ok(fs.existsSync(out));

    const { message, sourceRoot } = embeddedData(out);
    assert.equal(sourceRoot, `${pathToFileURL(REPO_ROOT).href}/`);
    assert.equal(message.type, 'preview', 'the engine returned a preview for examples');
    if (message.type !== 'preview') return;
    const { output } = runJson(['check', 'examples', '--fail-on', 'none']);
    const expected = output.services.map((service) => `${service.namespace}/${service.name}`).sort();
    assert.deepEqual(message.preview.services.map((service) => `${service.namespace}/${service.name}`).sort(), expected);

    for (const service of message.preview.services) {
      const file = fileURLToPath(service.location.uri);
      assert.ok(file.startsWith(path.join(REPO_ROOT, 'examples')), file);
      const line = fs.readFileSync(file, 'utf8').split('\n')[service.location.line];
      // The name as written (an overlay may add a prefix or suffix to it: kustomize/quotes/overlays/prod).
      const written = /name:\s*(\S+)/.exec(line ?? '')?.[1];
      assert.ok(written !== undefined && service.name.includes(written), `${service.name} at ${file}:${service.location.line + 1}: ${line}`);
    }
  });

  test('uses --cluster-domain and --default-namespace', () => {
    const manifest = path.join(folder, 'plain.yaml');
    fs.writeFileSync(manifest, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n');
    const out = path.join(folder, 'domain.html');
    const run = runCli(['preview', manifest, '--out', out, '--cluster-domain', 'corp.example', '--default-namespace', 'tools']);
    assert.equal(run.status, 0, run.stderr);
    const { message } = embeddedData(out);
    if (message.type !== 'preview') return assert.fail(`no preview: ${JSON.stringify(message)}`);
    assert.equal(message.preview.clusterDomain, 'corp.example');
    assert.deepEqual(message.preview.services.map((service) => service.dns.fqdn), ['web.tools.svc.corp.example']);
  });

  test('--overlay: only the Services one kustomization builds, an overlay or a base built alone', () => {
    const quotes = (overlay: string) => {
      const out = path.join(folder, `overlay-${path.basename(overlay)}.html`);
      const run = runCli(['preview', 'examples/kustomize', '--out', out, '--overlay', overlay]);
      assert.equal(run.status, 0, run.stderr);
      const { message } = embeddedData(out);
      if (message.type !== 'preview') return assert.fail(`no preview: ${JSON.stringify(message)}`);
      const port = message.preview.services[0]?.ports[0];
      return {
        title: message.preview.title,
        services: message.preview.services.map((service) => `${service.namespace}/${service.name}`),
        pods: port?.hops.filter((hop) => hop.kind === 'pod').map((hop) => hop.broken ?? hop.label),
      };
    };
    assert.deepEqual(quotes('examples/kustomize/quotes/overlays/staging'), {
      title: 'All Services as built by examples/kustomize/quotes/overlays/staging',
      services: ['quotes-staging/quotes'],
      pods: ['No TCP container port named http'],
    });
    assert.deepEqual(quotes('examples/kustomize/quotes/overlays/prod/kustomization.yaml').services, ['quotes-prod/prod-quotes']);
    assert.deepEqual(quotes('examples/kustomize/quotes/base'), {
      title: 'All Services as built by examples/kustomize/quotes/base',
      services: ['default/quotes'],
      pods: ['Deployment/quotes'],
    });
    const missing = runCli(['preview', 'examples/kustomize', '--out', path.join(folder, 'never.html'), '--overlay', 'examples/shop']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'service-lens: --overlay examples/shop names no kustomization among the paths given.\n');
  });

  test('exits 2 on usage and input errors, writing nothing', () => {
    const out = path.join(folder, 'never.html');
    const cases: readonly (readonly string[])[] = [
      ['preview', 'examples'],
      ['preview', 'examples', '--out', ''],
      ['preview', 'examples', '--out', out, '--format', 'json'],
      ['preview', 'examples', '--out', out, '--rule', 'service-ports-invalid=off'],
      ['preview', 'no-such-folder', '--out', out],
      ['check', 'examples', '--out', out],
      ['check', 'examples', '--overlay', 'examples/kustomize/quotes/overlays/prod'],
      ['preview', 'examples', '--out', out, '--overlay', ''],
      ['preview', 'examples', '--out', out, '--helm', 'auto'],
      ['preview', 'examples', '--out', out, '--helm-values', 'examples/charts/cart/values-staging.yaml'],
    ];
    for (const args of cases) {
      const run = runCli(args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^service-lens: /);
    }
    assert.ok(!fs.existsSync(out));
  });

  test('the examples page opens over file:// and renders every Service, with no CSP violation', async () => {
    const out = path.join(folder, 'examples.html');
    assert.equal(runCli(['preview', 'examples', '--out', out]).status, 0);
    const { message } = embeddedData(out);
    if (message.type !== 'preview') return assert.fail('no preview for examples');

    const watched = await (await chromium()).openFile(out);
    const { page } = watched;
    const edges = message.preview.services.flatMap((service) => service.ports).reduce((sum, port) => sum + port.edges.length, 0);
    await watched.waitForEdges(edges);
    assert.equal(await page.locator('section.service').count(), message.preview.services.length);
    const headings = await page.locator('section.service h2').allTextContents();
    assert.deepEqual(headings, message.preview.services.map((service) => `Service ${service.name}`));
    const fqdns = await page.locator('ul.dns-names li:first-child .dns-name').allTextContents();
    assert.deepEqual(fqdns, message.preview.services.map((service) => service.dns.fqdn));
    const graphs = await page.locator('section.service').evaluateAll((sections) => sections.map((section) => section.querySelectorAll('.graph').length));
    assert.deepEqual(graphs, message.preview.services.map((service) => service.ports.length));
    assert.equal(await page.locator('.hop').count(), message.preview.services.flatMap((service) => service.ports).reduce((sum, port) => sum + port.hops.length, 0));
    await watched.screenshot('cli-examples');
    await watched.assertClean();
    await page.close();
  });

  test('a Gateway API route is drawn Gateway → route rule → Service → Pods, its broken backend with the finding\'s message', async () => {
    const workspace = path.join(folder, 'gateway');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'app.yaml'), ROUTE_MANIFESTS);
    const out = path.join(folder, 'gateway.html');
    assert.equal(runCli(['preview', '.', '--out', out], { cwd: workspace }).status, 0);
    const { output } = runJson(['check', '.', '--fail-on', 'none'], { cwd: workspace });
    assert.deepEqual(output.findings.map((finding) => finding.ruleId), ['route-backend-unresolved']);

    const watched = await (await chromium()).openFile(out);
    const { page } = watched;
    const { message } = embeddedData(out);
    if (message.type !== 'preview') return assert.fail('no preview for the route workspace');
    await watched.waitForEdges(message.preview.services.flatMap((service) => service.ports).reduce((sum, port) => sum + port.edges.length, 0));
    // A page wide enough for the path across (a narrow panel lays it out downwards: test/webview/narrow.test.ts).
    await page.setViewportSize({ width: 2400, height: 900 });
    const graph = page.locator('section.service').first().locator('.graph').first();
    await page.locator('section.service .graph[data-layout="across"]').first().waitFor();
    const box = async (hop: string) => {
      const bounds = await graph.locator(`[data-hop="${hop}"]`).boundingBox();
      assert.ok(bounds, `hop ${hop} is drawn`);
      return bounds;
    };
    const [gateway, route, broken, service, pod] = [await box('gateway-0'), await box('route-0'), await box('route-1'), await box('service'), await box('pod-0')];
    assert.ok(gateway.x + gateway.width < route.x, 'the Gateway is left of its route rules');
    assert.ok(Math.abs(route.x - broken.x) < 1, 'both rules in one column');
    assert.ok(route.x + route.width < service.x && service.x + service.width < pod.x, 'then the Service, then the Pods');
    assert.equal(await graph.locator('[data-hop="route-0"] .hop-label').textContent(), 'shop.example.com PathPrefix /api');
    assert.equal(await graph.locator('[data-hop="route-1"] .hop-broken').textContent(), output.findings[0]!.message);
    assert.equal(await graph.locator('.hop.broken').count(), 1);
    await watched.screenshot('cli-gateway-route');
    await watched.assertClean();
    await page.close();
  });

  test('a hostile workspace gives a page that shows its strings as text and runs nothing', async () => {
    const workspace = path.join(folder, 'hostile');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'app.yaml'), HOSTILE_MANIFESTS);
    const out = path.join(folder, 'hostile.html');
    const run = runCli(['preview', '.', '--out', out], { cwd: workspace });
    assert.equal(run.status, 0, run.stderr);
    const html = fs.readFileSync(out, 'utf8');
    assert.equal(html.match(/<script/g)?.length, 2, 'only the data and the bundle');
    assert.ok(!html.includes('alert(1)</script>'), 'no manifest text closes a script element');

    const { message } = embeddedData(out);
    if (message.type !== 'preview') return assert.fail('no preview for the hostile workspace');
    const watched = await (await chromium()).openFile(out);
    const { page } = watched;
    await page.locator('section.service').first().waitFor();
    const headings = await page.locator('section.service h2').allTextContents();
    assert.ok(headings.includes('Service x</script><script>alert(1)</script>'), headings.join('\n'));
    const text = (await page.locator('main').textContent()) ?? '';
    for (const expected of ['<img src=x onerror=alert(9)>.example.com', 'app=<img src=x onerror=alert(5)>']) {
      assert.ok(text.includes(expected), expected);
    }
    const counts = await page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      scripts: document.scripts.length,
      frames: document.querySelectorAll('iframe').length,
      bold: document.querySelectorAll('b').length,
    }));
    assert.deepEqual(counts, { images: 0, scripts: 2, frames: 0, bold: 0 });
    const hops = await page.locator('button.hop').count();
    for (let index = 0; index < hops; index += 1) await page.locator('button.hop').nth(index).click();
    await watched.assertClean();
    await page.close();
  });
});
