/**
 * Go to definition, find references and rename over the links beyond selectors, through the
 * engine's features on a real snapshot: Ingress backends (v1 and the legacy fields), Gateway API
 * backendRefs (every route kind, across namespaces), a StatefulSet's `serviceName`, ServiceMonitor
 * and PodMonitor selectors and ports. Locations are shown as `file:line:text`.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { definitionAt, referencesAt } from '../../server/src/engine/features/navigation';
import { prepareRenameAt, renameAt } from '../../server/src/engine/features/rename';
import type { FileSpan } from '../../server/src/engine/types';
import { TestHost } from '../support/testHost';

const FILES: Record<string, string> = {
  'shop/web.yaml': `apiVersion: apps/v1
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
            - {name: metrics, containerPort: 9090}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels:
    team: store
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: web-metrics
      port: 9090
      targetPort: metrics
`,
  'shop/db.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: db
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: None
  selector: {app: db}
  ports:
    - {name: sql, port: 5432}
`,
  'shop/edge.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: edge, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
          - path: /metrics
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 9090
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: legacy, namespace: shop}
spec:
  backend:
    serviceName: web
    servicePort: http
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route, namespace: shop}
spec:
  rules:
    - backendRefs:
        - name: web
          port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc, namespace: shop}
spec:
  rules:
    - backendRefs:
        - name: web
          port: 9090
`,
  'staging/route.yaml': `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: tcp, namespace: staging}
spec:
  rules:
    - backendRefs:
        - name: db
          namespace: shop
          port: 5432
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: tls, namespace: staging}
spec:
  rules:
    - backendRefs:
        - name: web
          namespace: shop
          port: 80
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: UDPRoute
metadata: {name: udp, namespace: shop}
spec:
  rules:
    - backendRefs:
        - name: db
          port: 5432
`,
  'monitoring/monitors.yaml': `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: store, namespace: monitoring}
spec:
  namespaceSelector:
    matchNames: [shop]
  selector:
    matchLabels:
      team: store
  endpoints:
    - port: web-metrics
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: everywhere, namespace: monitoring}
spec:
  namespaceSelector:
    any: true
  selector:
    matchLabels:
      team: store
  endpoints:
    - port: http
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: own-namespace, namespace: monitoring}
spec:
  selector:
    matchLabels:
      team: store
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: pods, namespace: shop}
spec:
  selector:
    matchLabels:
      app: web
  podMetricsEndpoints:
    - port: metrics
`,
};

function load(files: Record<string, string> = FILES): TestHost {
  const host = new TestHost();
  host.setFiles(Object.entries(files));
  return host;
}

/** The offset of the last character of the `occurrence`-th `needle` in a file. */
function offsetOf(files: Record<string, string>, fileId: string, needle: string, occurrence = 0): number {
  const text = files[fileId]!;
  let offset = -1;
  for (let index = 0; index <= occurrence; index++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `${needle} #${occurrence} in ${fileId}`);
  }
  return offset + needle.length - 1;
}

/** `file:line:text` of each location, sorted. */
function show(host: TestHost, files: Record<string, string>, locations: readonly FileSpan[]): string[] {
  return locations
    .map((location) => `${location.fileId}:${host.positionAt(location.fileId, location.span.start).line + 1}:${files[location.fileId]!.slice(location.span.start, location.span.end)}`)
    .sort();
}

function definition(host: TestHost, fileId: string, needle: string, occurrence = 0, files = FILES): string[] {
  return show(host, files, definitionAt(host.snapshot, fileId, offsetOf(files, fileId, needle, occurrence)));
}

function references(host: TestHost, fileId: string, needle: string, occurrence = 0, files = FILES, includeDeclaration = true): string[] {
  return show(host, files, referencesAt(host.snapshot, fileId, offsetOf(files, fileId, needle, occurrence), includeDeclaration));
}

describe('navigation beyond selectors', () => {
  const host = load();

  it('definition from a backend, a backendRef or a serviceName: the Service', () => {
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'name: web'), ['shop/web.yaml:21:web']);
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'serviceName: web'), ['shop/web.yaml:21:web']);
    assert.deepEqual(definition(host, 'shop/edge.yaml', '- name: web'), ['shop/web.yaml:21:web']);
    assert.deepEqual(definition(host, 'shop/edge.yaml', '- name: web', 1), ['shop/web.yaml:21:web'], 'GRPCRoute');
    assert.deepEqual(definition(host, 'staging/route.yaml', '- name: db'), ['shop/db.yaml:18:db'], 'TCPRoute to namespace shop');
    assert.deepEqual(definition(host, 'staging/route.yaml', '- name: web'), ['shop/web.yaml:21:web'], 'TLSRoute to namespace shop');
    assert.deepEqual(definition(host, 'staging/route.yaml', '- name: db', 1), ['shop/db.yaml:18:db'], 'UDPRoute');
    assert.deepEqual(definition(host, 'shop/db.yaml', 'serviceName: db'), ['shop/db.yaml:18:db']);
  });

  it('definition from a backend port: the Service port it names', () => {
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'name: http'), ['shop/web.yaml:29:http'], 'port.name');
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'number: 9090'), ['shop/web.yaml:33:9090'], 'port.number');
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'servicePort: http'), ['shop/web.yaml:29:http'], 'legacy servicePort');
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'port: 80'), ['shop/web.yaml:30:80'], 'HTTPRoute port');
    assert.deepEqual(definition(host, 'shop/edge.yaml', 'port: 9090'), ['shop/web.yaml:33:9090'], 'GRPCRoute port');
    assert.deepEqual(definition(host, 'staging/route.yaml', 'port: 5432'), ['shop/db.yaml:23:5432'], 'TCPRoute port across namespaces');
  });

  it('definition from a backend port the Service lacks: nothing', () => {
    const files = { ...FILES, 'shop/edge.yaml': FILES['shop/edge.yaml']!.replace('port: 80\n', 'port: 8080\n') };
    const broken = load(files);
    assert.deepEqual(definition(broken, 'shop/edge.yaml', 'port: 8080', 0, files), []);
  });

  it('definition from a ServiceMonitor selector pair: the labels of the Services it selects, in its namespaces', () => {
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'team: store'), ['shop/web.yaml:24:team: store'], 'matchNames: [shop]');
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'team: store', 1), ['shop/web.yaml:24:team: store'], 'any: true');
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'team: store', 2), [], 'its own namespace has no such Service');
  });

  it('definition from a ServiceMonitor endpoint port: the Service port of that name', () => {
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'port: web-metrics'), ['shop/web.yaml:32:web-metrics']);
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'port: http'), ['shop/web.yaml:29:http']);
  });

  it('definition from a PodMonitor: the template labels, and the container port of that name', () => {
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'app: web'), ['shop/web.yaml:9:app: web']);
    assert.deepEqual(definition(host, 'monitoring/monitors.yaml', 'port: metrics'), ['shop/web.yaml:16:name: metrics, containerPort: 9090']);
  });

  it('references of a Service: every backend, backendRef and serviceName by name, and the ServiceMonitors that select it', () => {
    const expected = [
      'monitoring/monitors.yaml:21:team: store',
      'monitoring/monitors.yaml:9:team: store',
      'shop/edge.yaml:12:web',
      'shop/edge.yaml:19:web',
      'shop/edge.yaml:28:web',
      'shop/edge.yaml:37:web',
      'shop/edge.yaml:46:web',
      'shop/web.yaml:21:web',
      'staging/route.yaml:17:web',
    ];
    assert.deepEqual(references(host, 'shop/web.yaml', 'metadata:\n  name: web'), expected);
    assert.deepEqual(references(host, 'shop/edge.yaml', '- name: web'), expected, 'the same from a backendRef');
    assert.deepEqual(references(host, 'shop/db.yaml', 'metadata: {name: db', 1), ['shop/db.yaml:18:db', 'shop/db.yaml:5:db', 'staging/route.yaml:27:db', 'staging/route.yaml:7:db']);
  });

  it('references of a Service port: the backends by name and number, the ServiceMonitor endpoints that name it', () => {
    const http = ['monitoring/monitors.yaml:23:http', 'shop/edge.yaml:14:http', 'shop/edge.yaml:29:http', 'shop/edge.yaml:38:80', 'shop/web.yaml:29:http', 'shop/web.yaml:30:80', 'staging/route.yaml:19:80'];
    assert.deepEqual(references(host, 'shop/web.yaml', '- name: http'), http);
    assert.deepEqual(references(host, 'shop/web.yaml', 'port: 80'), http);
    assert.deepEqual(references(host, 'shop/edge.yaml', 'servicePort: http'), http, 'from the legacy servicePort');
    assert.deepEqual(references(host, 'monitoring/monitors.yaml', 'port: http'), http, 'from a ServiceMonitor endpoint');
    assert.deepEqual(references(host, 'shop/web.yaml', 'name: web-metrics'), [
      'monitoring/monitors.yaml:11:web-metrics',
      'shop/edge.yaml:21:9090',
      'shop/edge.yaml:47:9090',
      'shop/web.yaml:32:web-metrics',
      'shop/web.yaml:33:9090',
    ]);
    assert.deepEqual(references(host, 'shop/web.yaml', '- name: http', 0, FILES, false).includes('shop/web.yaml:29:http'), false, 'without the declaration');
  });

  it('references of a container port include the PodMonitor endpoints that name it', () => {
    assert.deepEqual(references(host, 'shop/web.yaml', 'name: metrics'), [
      'monitoring/monitors.yaml:41:metrics',
      'shop/web.yaml:16:name: metrics, containerPort: 9090',
      'shop/web.yaml:34:metrics',
    ]);
  });
});

describe('rename beyond selectors', () => {
  function applied(files: Record<string, string>, edits: readonly { fileId: string; span: { start: number; end: number }; newText: string }[]): Record<string, string> {
    const out = { ...files };
    for (const edit of [...edits].sort((left, right) => right.span.start - left.span.start)) {
      const text = out[edit.fileId]!;
      out[edit.fileId] = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    }
    return out;
  }

  const ruleIds = (host: TestHost) => host.allFindings().map((finding) => `${finding.fileId}:${host.positionAt(finding.fileId, finding.span.start).line + 1}:${finding.ruleId}`);
  it('the fixture\'s own findings: routes across namespaces without a ReferenceGrant, a monitor that selects nothing, a container without ports', () => {
    assert.deepEqual(ruleIds(load()), [
      'monitoring/monitors.yaml:31:monitor-unresolved',
      'shop/db.yaml:23:service-target-port-undeclared',
      'staging/route.yaml:7:route-backend-unresolved',
      'staging/route.yaml:17:route-backend-unresolved',
    ]);
  });

  it('a Service: the backends and backendRefs of every route kind and namespace, not the monitors', () => {
    const host = load();
    const result = renameAt(host.snapshot, 'shop/web.yaml', offsetOf(FILES, 'shop/web.yaml', 'metadata:\n  name: web'), 'storefront');
    assert.ok(result && 'edits' in result);
    const files = applied(FILES, result.edits);
    assert.equal(files['shop/edge.yaml']!.match(/storefront/g)?.length, 5);
    assert.match(files['staging/route.yaml']!, /- name: storefront\n {10}namespace: shop/);
    assert.equal(files['monitoring/monitors.yaml'], FILES['monitoring/monitors.yaml']);
    // The links hold as before: the same findings.
    assert.deepEqual(ruleIds(load(files)), ruleIds(host));
  });

  it('a Service port name: the Ingress backends and ServiceMonitor endpoints that name it, from the port or a use', () => {
    const host = load();
    const prepared = prepareRenameAt(host.snapshot, 'monitoring/monitors.yaml', offsetOf(FILES, 'monitoring/monitors.yaml', 'port: http'));
    assert.deepEqual(prepared && 'placeholder' in prepared ? prepared.placeholder : prepared, 'http');
    const result = renameAt(host.snapshot, 'shop/web.yaml', offsetOf(FILES, 'shop/web.yaml', '- name: http'), 'web');
    assert.ok(result && 'edits' in result);
    assert.deepEqual(show(host, FILES, result.edits), ['monitoring/monitors.yaml:23:http', 'shop/edge.yaml:14:http', 'shop/edge.yaml:29:http', 'shop/web.yaml:29:http']);
    const files = applied(FILES, result.edits);
    assert.match(files['shop/edge.yaml']!, /servicePort: web\n/);
    assert.match(files['shop/edge.yaml']!, /port: 80\n/, 'uses by number stay');
    assert.deepEqual(ruleIds(load(files)), ruleIds(host));
    const fromUse = renameAt(host.snapshot, 'shop/edge.yaml', offsetOf(FILES, 'shop/edge.yaml', 'name: http'), 'web');
    assert.deepEqual(fromUse, result);
  });

  it('a port number is not renamed; invalid or taken port names are refused', () => {
    const host = load();
    assert.equal(prepareRenameAt(host.snapshot, 'shop/web.yaml', offsetOf(FILES, 'shop/web.yaml', 'port: 80')), undefined);
    assert.equal(prepareRenameAt(host.snapshot, 'shop/edge.yaml', offsetOf(FILES, 'shop/edge.yaml', 'number: 9090')), undefined);
    const at = offsetOf(FILES, 'shop/web.yaml', '- name: http');
    assert.deepEqual(renameAt(host.snapshot, 'shop/web.yaml', at, 'Web_1'), { refused: 'Web_1 is not a valid Service port name: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.' });
    assert.deepEqual(renameAt(host.snapshot, 'shop/web.yaml', at, 'web-metrics'), { refused: 'Service/web already has a port named web-metrics.' });
  });

  it('refused when a ServiceMonitor endpoint also names the port on another Service', () => {
    const files = {
      ...FILES,
      'shop/api.yaml': `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
  labels: {team: store}
spec:
  selector: {app: api}
  ports:
    - {name: web-metrics, port: 9090}
`,
    };
    const host = load(files);
    assert.deepEqual(renameAt(host.snapshot, 'shop/web.yaml', offsetOf(files, 'shop/web.yaml', 'name: web-metrics'), 'metrics'), {
      refused: 'ServiceMonitor/store also scrapes the port web-metrics of Service/api; rename the port on every Service it selects by hand.',
    });
    assert.equal(prepareRenameAt(host.snapshot, 'monitoring/monitors.yaml', offsetOf(files, 'monitoring/monitors.yaml', 'port: web-metrics')), undefined, 'a use naming two Service ports renames neither');
  });
});

describe('rename of a port that Endpoints name', () => {
  it('is refused: the Endpoints ports pair with the Service ports by name', () => {
    const files = {
      'legacy.yaml': `apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  ports:
    - name: db
      port: 5432
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy, namespace: shop}
subsets:
  - addresses: [{ip: 10.0.0.7}]
    ports: [{name: db, port: 5432}]
`,
    };
    const host = load(files);
    assert.deepEqual(renameAt(host.snapshot, 'legacy.yaml', offsetOf(files, 'legacy.yaml', 'name: db'), 'postgres'), {
      refused: 'Endpoints/legacy names the port db of this Service, which rename does not edit.',
    });
  });
});

describe('navigation in the examples', () => {
  const root = join(__dirname, '..', '..', 'examples');
  const files: Record<string, string> = {};
  for (const name of ['gateway/routes.yaml', 'gateway/gateway.yaml', 'monitoring/exporter.yaml', 'shop/web.yaml', 'shop/api.yaml', 'namespaces.yaml']) {
    files[name] = readFileSync(join(root, name), 'utf8');
  }
  const host = load(files);

  it('a cross-namespace backendRef allowed by a ReferenceGrant: to the Service and its port', () => {
    assert.deepEqual(definition(host, 'gateway/routes.yaml', '- name: numbers-api', 1, files), ['shop/api.yaml:44:numbers-api']);
    assert.deepEqual(definition(host, 'gateway/routes.yaml', 'namespace: shop\n          port: 80', 0, files), ['shop/api.yaml:52:80']);
  });

  it('the ServiceMonitor that names the container port: its selector reaches the Service, its port nothing', () => {
    assert.deepEqual(definition(host, 'monitoring/exporter.yaml', 'app: numbers-exporter', 4, files), ['monitoring/exporter.yaml:29:app: numbers-exporter']);
    assert.deepEqual(definition(host, 'monitoring/exporter.yaml', 'port: metrics', 0, files), []);
    assert.ok(references(host, 'monitoring/exporter.yaml', 'name: numbers-exporter', 1, files).includes('monitoring/exporter.yaml:46:app: numbers-exporter'));
  });
});
