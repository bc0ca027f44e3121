import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TestHost } from '../support/testHost';

const FILES: [string, string][] = [
  [
    'web.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web
          ports:
            - {name: http, containerPort: 8080}
`,
  ],
  [
    'service.yaml',
    `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: typo
  namespace: shop
spec:
  selector:
    app: webb
  ports:
    - port: 80
`,
  ],
];

function at(workspace: TestHost, fileId: string, needle: string, occurrence = 0, files: readonly [string, string][] = FILES) {
  const text = files.find(([id]) => id === fileId)![1];
  let offset = -1;
  for (let index = 0; index <= occurrence; index++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, needle);
  return workspace.hoverAt(fileId, offset + needle.length - 1);
}

describe('hover model', () => {
  const workspace = new TestHost({ clusterDomain: 'cluster.example' });
  workspace.setFiles(FILES);

  it('on a Service name: matched templates, port resolutions and the DNS name', () => {
    const hover = at(workspace, 'service.yaml', 'name: web');
    assert.equal(hover?.kind, 'service');
    if (hover?.kind !== 'service') return;
    assert.equal(hover.service.dnsName, 'web.shop.svc.cluster.example');
    assert.deepEqual(hover.service.matches.map((match) => `${match.kind}/${match.name}@${match.fileId}`), ['Deployment/web@web.yaml']);
    const port = hover.service.ports[0]!;
    assert.deepEqual([port.port, port.targetPort, port.protocol], [80, 'http', 'TCP']);
    assert.deepEqual(port.resolutions.map((resolution) => `${resolution.container}:${resolution.containerPort}/${resolution.protocol} via ${resolution.via}`), ['web:8080/TCP via name']);
  });

  it('on a template label: the Services selecting it', () => {
    const hover = at(workspace, 'web.yaml', 'app: web', 1);
    assert.equal(hover?.kind, 'template');
    if (hover?.kind !== 'template') return;
    assert.deepEqual(hover.services.map((service) => service.name), ['web']);
    assert.deepEqual(hover.labels, { app: 'web' });
  });

  it('on a selector pair that misses: the nearest miss', () => {
    const hover = at(workspace, 'service.yaml', 'app: webb');
    assert.equal(hover?.kind, 'selector-pair');
    if (hover?.kind !== 'selector-pair') return;
    assert.equal(hover.nearestMiss?.template.name, 'web');
    assert.equal(hover.nearestMiss?.actual, 'web');
    assert.equal(hover.nearestMiss?.wanted, 'webb');
  });

  it('nothing elsewhere', () => {
    assert.equal(at(workspace, 'service.yaml', 'apiVersion'), undefined);
    assert.equal(workspace.hoverAt('missing.yaml', 0), undefined);
  });
});

describe('hover model: a route backendRef to another namespace', () => {
  const workspace = new TestHost();
  const files: [string, string][] = [
    [
      'api.yaml',
      `apiVersion: v1
kind: Service
metadata: {name: orders, namespace: api}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: api}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: web-to-orders, namespace: api}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}]
  to: [{group: "", kind: Service, name: orders}]
`,
    ],
    [
      'routes.yaml',
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: web}
spec:
  rules:
    - backendRefs:
        - {name: orders, namespace: api, port: 80}
        - {name: payments, namespace: api, port: 80}
`,
    ],
  ];
  workspace.setFiles(files);

  it('is refused, with the reason, when no ReferenceGrant allows it; a granted one is not', () => {
    const granted = at(workspace, 'routes.yaml', 'name: orders', 0, files);
    assert.equal(granted?.kind, 'reference');
    if (granted?.kind !== 'reference') return;
    assert.equal(granted.service?.name, 'orders');
    assert.equal(granted.refused, undefined);
    const refused = at(workspace, 'routes.yaml', 'name: payments', 0, files);
    assert.equal(refused?.kind, 'reference');
    if (refused?.kind !== 'reference') return;
    assert.equal(refused.refused, 'ReferenceGrant/web-to-orders there allows HTTPRoute from namespace web only to Service/orders');
  });

  it("marks the refused route among the Service's referrers", () => {
    const payments = at(workspace, 'api.yaml', 'name: payments', 0, files);
    assert.equal(payments?.kind, 'service');
    if (payments?.kind !== 'service') return;
    assert.deepEqual(payments.referrers.map((referrer) => referrer.via), ['HTTPRoute backendRef (refused: ReferenceGrant/web-to-orders there allows HTTPRoute from namespace web only to Service/orders)']);
    const orders = at(workspace, 'api.yaml', 'name: orders', 0, files);
    if (orders?.kind !== 'service') return assert.fail('a Service hover');
    assert.deepEqual(orders.referrers.map((referrer) => referrer.via), ['HTTPRoute backendRef']);
  });
});
