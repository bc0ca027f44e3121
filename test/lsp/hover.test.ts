/**
 * Hovers: a Service shows the Pod templates it selects (with links), its port resolution and DNS
 * name; a Pod template's labels show the Services selecting it; a missing selector pair shows the
 * nearest miss; elsewhere there is no hover.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspSession, positionAt, positionOf } from './harness';

const DEPLOYMENT = 'apps/web-deployment.yaml';
const SERVICE = 'services/web-service.yaml';
const ORPHAN = 'services/orphan-service.yaml';

describe('hover', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'shop' });
  });
  after(async () => {
    await session?.dispose();
  });

  it('on a Service name: leads with the templates it reaches (links), then its ports, port-forward, selector and DNS name', async () => {
    const text = session.read(SERVICE);
    const hover = await session.hover(SERVICE, positionOf(text, 'name: web', 0, 'name: '.length + 1));
    assert.ok(hover, 'a hover');
    const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.ok(typeof hover.contents === 'object' && 'kind' in hover.contents && hover.contents.kind === 'markdown');
    const sections = value.split('\n\n');
    assert.equal(sections[0], '**Service/web** · namespace `shop` · ClusterIP');
    // What it reaches comes right after the heading, with a link to the Deployment's file at a line inside it.
    const link = new RegExp(`^Reaches 1 Pod template: \\[Deployment/web\\]\\(${escapeRegExp(session.uri(DEPLOYMENT))}#L(\\d+)\\)$`).exec(sections[1] ?? '');
    assert.ok(link, value);
    const line = Number(link[1]);
    assert.ok(line >= 1 && line <= session.read(DEPLOYMENT).split('\n').length, `line ${line}`);
    // One row per port: port 80 → targetPort http → container web:8080/TCP.
    assert.equal(sections[2], '| Port | Reaches |\n| --- | --- |\n| http: 80/TCP → http | web:8080/TCP |');
    assert.equal(sections[3], 'Port-forward: `kubectl port-forward svc/web -n shop 8080:80`');
    assert.equal(sections[4], 'Selector `app=web` · DNS `web.shop.svc.cluster.local`');
    assert.match(sections[5] ?? '', /^\[Show traffic preview\]\(command:serviceLens\.showTrafficPreview\?/);
    // The hover range covers the hovered name.
    assert.ok(hover.range);
    assert.equal(hover.range.start.line, positionOf(text, 'name: web').line);
  });

  it('keeps a Service of many ports and templates short: one row per port, a port-forward command per TCP port', async () => {
    const relative = 'apps/many-ports.yaml';
    const text = `apiVersion: v1
kind: Service
metadata: {name: edge, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http, nodePort: 30080}
    - {name: admin, port: 9000}
    - {name: dns, port: 53, protocol: UDP}
---
apiVersion: v1
kind: Pod
metadata: {name: web-canary, namespace: shop, labels: {app: web}}
spec:
  containers:
    - name: web
      image: registry.example/web:1.1
      ports: [{name: http, containerPort: 8080}, {containerPort: 9000}]
`;
    await session.open(relative, text);
    const value = await session.hoverText(relative, positionOf(text, 'name: edge', 0, 'name: '.length + 1));
    assert.ok(value, 'a hover');
    const sections = value.split('\n\n');
    assert.match(sections[1] ?? '', /^Reaches 2 Pod templates: \[Pod\/web-canary\]\([^)]+\), \[Deployment\/web\]\([^)]+\)$/);
    const rows = (sections[2] ?? '').split('\n').slice(2);
    assert.equal(rows.length, 3, value);
    assert.equal(rows[0], '| http: 80/TCP → http · node 30080 | web:8080/TCP on all 2 |');
    assert.match(rows[1] ?? '', /^\| admin: 9000\/TCP → 9000 \(default\) \| \[Pod\/web-canary\]\([^)]+\) web:9000\/TCP · \[Deployment\/web\]\([^)]+\) web:9000\/TCP \(not declared\) \|$/);
    assert.equal(rows[2], '| dns: 53/UDP → 53 (default) | web:53/UDP (not declared) on all 2 |');
    assert.equal(
      sections[3],
      ['Port-forward:', '- `kubectl port-forward svc/edge -n shop 8080:80`', '- `kubectl port-forward svc/edge -n shop 9000:9000`'].join('\n'),
    );
    await session.close(relative);
  });

  it('on Pod template labels: the Services selecting the template, with their ports', async () => {
    const text = session.read(DEPLOYMENT);
    const templateLabel = text.indexOf('app: web', text.indexOf('labels:'));
    const value = await session.hoverText(DEPLOYMENT, positionAt(text, templateLabel + 1));
    assert.ok(value, 'a hover');
    assert.match(value, /Service\/web/);
    assert.match(value, new RegExp(escapeRegExp(session.uri(SERVICE))));
    assert.match(value, /80→http\/TCP/);
    assert.doesNotMatch(value, /Service\/orphan/, 'the orphan Service does not select this template');
  });

  it('on a selector pair that misses: the nearest miss', async () => {
    const text = session.read(ORPHAN);
    const value = await session.hoverText(ORPHAN, positionOf(text, 'tier: backend', 0, 1));
    assert.ok(value, 'a hover');
    assert.match(value, /Nearest miss/);
    assert.match(value, /Deployment\/web/);
    assert.match(value, /tier=frontend/);
  });

  it('returns null where there is nothing to show', async () => {
    const text = session.read(DEPLOYMENT);
    assert.equal(await session.hover(DEPLOYMENT, positionOf(text, 'replicas: 2', 0, 'replicas: '.length)), null);
    assert.equal(await session.hover('config/settings.json', { line: 0, character: 3 }), null);
  });

  it('analyses a file outside every workspace folder on its own', async () => {
    const text = session.read(SERVICE).replace('name: web', 'name: outside');
    const relative = '../outside-of-folder.yaml';
    await session.open(relative, text);
    const value = await session.hoverText(relative, positionOf(text, 'name: outside', 0, 'name: '.length));
    assert.ok(value, 'a hover');
    assert.match(value, /Service\/outside/);
    assert.doesNotMatch(value, /Deployment\/web/, 'templates of the folder are not linked');
    await session.waitForDiagnostics(relative, 'selects nothing alone', (list) => list.some((diagnostic) => diagnostic.code === 'service-selector-no-match'));
    await session.close(relative);
    await session.waitForDiagnostics(relative, 'cleared after close', (list) => list.length === 0);
    assert.deepEqual(session.errors, []);
  });
});

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
