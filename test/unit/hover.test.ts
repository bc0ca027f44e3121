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

function at(workspace: TestHost, fileId: string, needle: string, occurrence = 0) {
  const text = FILES.find(([id]) => id === fileId)![1];
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
