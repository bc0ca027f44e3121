/**
 * The traffic preview engine against the Kubernetes DNS specification and the kubelet's Service
 * environment variables (vectors from kubernetes.io: `redis-primary` → REDIS_PRIMARY_SERVICE_HOST,
 * `_http._tcp.my-svc.my-namespace.svc.cluster.local`, StatefulSet Pod names).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { PortPath, ServiceTraffic } from '../../server/src/protocol/traffic';
import { TestHost } from '../support/testHost';
import { PREVIEW_SERVICES } from '../../server/src/engine/traffic/preview';
import type { FileSpan } from '../../server/src/engine/types';

function preview(files: Record<string, string>, config: { clusterDomain?: string } = {}): Map<string, ServiceTraffic<FileSpan>> {
  const workspace = new TestHost(config);
  workspace.setFiles(Object.entries(files));
  const result = workspace.trafficPreview({ scope: 'workspace' });
  assert.ok(result, 'a preview');
  return new Map(result.services.map((service) => [`${service.namespace}/${service.name}`, service]));
}

function chain(path: PortPath<FileSpan>): string[] {
  return [...path.hops].sort((left, right) => left.column - right.column).map((hop) => `${hop.kind}:${hop.label}${hop.broken ? ' BROKEN' : ''}`);
}

const REDIS = `apiVersion: v1
kind: Service
metadata: {name: redis-primary, namespace: my-namespace}
spec:
  clusterIP: 10.0.0.11
  selector: {app: redis}
  ports:
    - name: redis
      port: 6379
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis, namespace: my-namespace}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
        - name: redis
          image: redis
          ports: [{name: redis, containerPort: 6379}]
          readinessProbe: {tcpSocket: {port: 6379}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: my-namespace}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      containers:
        - name: client
          image: client
          env:
            - name: REDIS_PRIMARY_SERVICE_HOST
              value: redis.example.com
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: isolated, namespace: my-namespace}
spec:
  selector: {matchLabels: {app: isolated}}
  template:
    metadata: {labels: {app: isolated}}
    spec:
      enableServiceLinks: false
      containers:
        - name: isolated
          image: isolated
          env: [{name: REDIS_PRIMARY_PORT, value: "x"}]
`;

describe('traffic preview: DNS', () => {
  const services = preview({ 'redis.yaml': REDIS });
  const redis = services.get('my-namespace/redis-primary')!;

  it('names the Service <svc>.<ns>.svc.<zone> with its short forms', () => {
    assert.equal(redis.dns.fqdn, 'redis-primary.my-namespace.svc.cluster.local');
    assert.deepEqual(redis.dns.shortNames.map((short) => short.name), ['redis-primary', 'redis-primary.my-namespace']);
    assert.deepEqual(redis.dns.records.filter((record) => record.type === 'A').map((record) => [record.name, record.value]), [
      ['redis-primary.my-namespace.svc.cluster.local', 'cluster IP 10.0.0.11'],
    ]);
  });

  it('gives named ports SRV records _<port>._<proto>.<svc>.<ns>.svc.<zone>', () => {
    const srv = redis.dns.records.filter((record) => record.type === 'SRV');
    assert.deepEqual(srv.map((record) => record.name), ['_redis._tcp.redis-primary.my-namespace.svc.cluster.local']);
    assert.match(srv[0]!.value, /port 6379/);
  });

  it('uses the configured cluster domain', () => {
    const custom = preview({ 'redis.yaml': REDIS }, { clusterDomain: 'corp.internal' }).get('my-namespace/redis-primary')!;
    assert.equal(custom.dns.fqdn, 'redis-primary.my-namespace.svc.corp.internal');
  });

  it('headless: A records per Pod, StatefulSet ordinals and hostname/subdomain Pods', () => {
    const result = preview({
      'db.yaml': `apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: data}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: pg, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: busybox1, namespace: data, labels: {app: db}}
spec:
  hostname: busybox-1
  subdomain: db
  containers: [{name: busybox, image: busybox}]
`,
    });
    const db = result.get('data/db')!;
    assert.equal(db.headless, true);
    const names = db.dns.records.filter((record) => record.type === 'A').map((record) => record.name);
    assert.deepEqual(names, [
      'db.data.svc.cluster.local',
      'web-0.db.data.svc.cluster.local',
      'web-1.db.data.svc.cluster.local',
      'web-2.db.data.svc.cluster.local',
      'busybox-1.db.data.svc.cluster.local',
    ]);
    const values = db.dns.records.filter((record) => record.type === 'A').map((record) => record.value);
    assert.deepEqual(values.slice(1), ['the IP of Pod web-0', 'the IP of Pod web-1', 'the IP of Pod web-2', 'the IP of Pod busybox1 (hostname busybox-1)']);
    assert.equal(db.env.applies, false, 'headless Services give no env vars');
    assert.deepEqual(chain(db.ports[0]!), ['client:Client', 'headless:headless db:5432', 'pod:StatefulSet/web', 'pod:Pod/busybox1']);
  });

  it('headless: StatefulSet Pods named from spec.ordinals.start', () => {
    const result = preview({
      'zk.yaml': `apiVersion: v1
kind: Service
metadata: {name: zk, namespace: data}
spec:
  clusterIP: None
  selector: {app: zk}
  ports: [{port: 2181}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: zk, namespace: data}
spec:
  serviceName: zk
  replicas: 2
  ordinals: {start: 5}
  selector: {matchLabels: {app: zk}}
  template:
    metadata: {labels: {app: zk}}
    spec:
      containers: [{name: zk, image: zk, ports: [{containerPort: 2181}]}]
`,
    });
    const names = result.get('data/zk')!.dns.records.filter((record) => record.type === 'A').map((record) => record.name);
    assert.deepEqual(names, ['zk.data.svc.cluster.local', 'zk-5.zk.data.svc.cluster.local', 'zk-6.zk.data.svc.cluster.local']);
  });

  it('ExternalName: a CNAME with the Host header and TLS caveat, no Pods', () => {
    const result = preview({
      'ext.yaml': `apiVersion: v1
kind: Service
metadata: {name: rng, namespace: shop}
spec:
  type: ExternalName
  externalName: api.example.com
  ports: [{port: 443}]
`,
    });
    const rng = result.get('shop/rng')!;
    assert.deepEqual(rng.dns.records.map((record) => [record.type, record.name, record.value]), [['CNAME', 'rng.shop.svc.cluster.local', 'api.example.com']]);
    assert.match(rng.dns.notes.join(' '), /Host header/);
    assert.match(rng.dns.notes.join(' '), /TLS/);
    assert.equal(rng.env.applies, false);
    assert.deepEqual(chain(rng.ports[0]!), ['client:Client', 'external-name:api.example.com:443']);
  });

  it('selectorless: the addresses of its Endpoints and EndpointSlices', () => {
    const result = preview({
      'manual.yaml': `apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  ports: [{port: 443, targetPort: 8443}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy, namespace: shop}
subsets:
  - addresses: [{ip: 10.1.0.1}, {ip: 10.1.0.2}]
    notReadyAddresses: [{ip: 10.1.0.3}]
    ports: [{port: 8443}]
---
apiVersion: v1
kind: Service
metadata: {name: orphan, namespace: shop}
spec:
  ports: [{port: 80}]
`,
    });
    const legacy = result.get('shop/legacy')!;
    assert.match(legacy.dns.notes.join(' '), /10\.1\.0\.1, 10\.1\.0\.2, 10\.1\.0\.3 \(not ready\)/);
    const endpointsHop = legacy.ports[0]!.hops.find((hop) => hop.kind === 'endpoints')!;
    assert.equal(endpointsHop.detail, '10.1.0.1, 10.1.0.2 :8443');
    const orphan = result.get('shop/orphan')!;
    assert.ok(orphan.ports[0]!.hops.some((hop) => hop.kind === 'endpoints' && hop.broken));
  });

  it('selectorless: a port reaches the endpoint port of its name, whatever its targetPort; none of its name is a broken hop', () => {
    const result = preview({
      'named.yaml': `apiVersion: v1
kind: Service
metadata: {name: pg, namespace: data}
spec:
  ports: [{name: sql, port: 5432, targetPort: 5432}, {name: metrics, port: 9187}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: pg-1, namespace: data, labels: {kubernetes.io/service-name: pg}}
addressType: IPv4
ports: [{name: sql, port: 6432}]
endpoints: [{addresses: [10.0.0.5]}]
`,
    });
    const [sql, metrics] = result.get('data/pg')!.ports;
    const hop = (path: PortPath<FileSpan> | undefined) => path!.hops.find((candidate) => candidate.kind === 'endpoints')!;
    assert.equal(hop(sql).detail, '10.0.0.5 :6432');
    assert.equal(hop(sql).broken, undefined);
    assert.equal(hop(metrics).detail, '10.0.0.5 :?');
    assert.match(hop(metrics).broken ?? '', /^No port named metrics \(its ports: sql 6432\/TCP\)/);
  });
});

describe('traffic preview: environment variables', () => {
  const redis = preview({ 'redis.yaml': REDIS }).get('my-namespace/redis-primary')!;

  it('follows the kubelet naming (docs vector redis-primary, port 6379)', () => {
    const variables = Object.fromEntries(redis.env.variables.map((variable) => [variable.name, variable.value]));
    assert.deepEqual(variables, {
      REDIS_PRIMARY_SERVICE_HOST: '10.0.0.11',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_REDIS: '6379',
      REDIS_PRIMARY_PORT: 'tcp://10.0.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.0.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.0.0.11',
    });
    assert.match(redis.env.notes.join(' '), /created after the Service/);
  });

  it('flags env names a template sets itself, except where service links are off', () => {
    assert.deepEqual(redis.env.collisions.map((collision) => `${collision.template} ${collision.name}`), ['Deployment/client REDIS_PRIMARY_SERVICE_HOST']);
    assert.match(redis.env.notes.join(' '), /Deployment\/isolated \(enableServiceLinks: false\)/);
  });
});

describe('traffic preview: paths', () => {
  it('LoadBalancer: client → load balancer → every node → cluster IP → container, with policy notes', () => {
    const result = preview({
      'web.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  sessionAffinity: ClientIP
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]
`,
    });
    const web = result.get('shop/web')!;
    const path = web.ports[0]!;
    assert.deepEqual(chain(path), ['client:Client', 'load-balancer:load balancer :80', 'node-port:every node :(allocated)', 'cluster-ip:cluster IP :80', 'pod:Deployment/web']);
    assert.deepEqual(
      path.edges.map((edge) => `${edge.from}>${edge.to}`),
      ['client>load-balancer', 'load-balancer>node-port', 'node-port>service', 'service>pod-0'],
    );
    const nodePort = path.hops.find((hop) => hop.kind === 'node-port')!;
    assert.equal(nodePort.detail, 'allocated from 30000-32767');
    assert.match(nodePort.notes.join(' '), /externalTrafficPolicy: Local/);
    const pod = path.hops.find((hop) => hop.kind === 'pod')!;
    assert.equal(pod.detail, 'container web :8080/TCP');
    assert.match(pod.notes.join(' '), /no readinessProbe/);
    assert.match(path.hops.find((hop) => hop.kind === 'cluster-ip')!.notes.join(' '), /sessionAffinity: ClientIP/);
  });

  it('NodePort with a set nodePort; broken hops stay in the path with their reason', () => {
    const result = preview({
      'api.yaml': `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: NodePort
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: htpp, nodePort: 30080}
    - {name: dns, port: 53, targetPort: 53, protocol: UDP}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}, {containerPort: 53}]}]
---
apiVersion: v1
kind: Service
metadata: {name: nothing, namespace: shop}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
`,
    });
    const api = result.get('shop/api')!;
    assert.deepEqual(chain(api.ports[0]!), ['client:Client', 'node-port:every node :30080', 'cluster-ip:cluster IP :80', 'pod:Pod/api BROKEN']);
    assert.equal(api.ports[0]!.hops.find((hop) => hop.kind === 'pod')!.broken, 'No TCP container port named htpp');
    assert.ok(api.ports[0]!.edges.some((edge) => edge.to === 'pod-0' && edge.broken));
    assert.equal(api.ports[1]!.hops.find((hop) => hop.kind === 'pod')!.broken, '53 is declared only as TCP');
    const nothing = result.get('shop/nothing')!;
    assert.match(nothing.ports[0]!.hops.find((hop) => hop.kind === 'pod')!.broken ?? '', /No Pod template in namespace shop matches/);
  });

  it('Ingress rules are the first hop of the port they reach; a missing port is a broken hop', () => {
    const result = preview({
      'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: front, namespace: shop}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {name: http}}}
          - path: /admin
            pathType: Prefix
            backend: {service: {name: web, port: {number: 9000}}}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: legacy, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - path: /old
            backend: {serviceName: web, servicePort: http}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
`,
    });
    const path = result.get('shop/web')!.ports[0]!;
    const ingress = path.hops.filter((hop) => hop.kind === 'ingress').map((hop) => `${hop.label}${hop.broken ? ` BROKEN ${hop.broken}` : ''}`);
    assert.deepEqual(ingress, ['* (default backend)', 'shop.example.com/', 'shop.example.com/admin BROKEN Service/web has no port numbered 9000; its ports: http (80/TCP).', '*/old']);
    assert.ok(path.edges.some((edge) => edge.from === 'ingress-2' && edge.to === 'service' && edge.broken));
  });

  it('a broken hop gives the message Problems gives for the same backend', () => {
    const files = {
      'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: front, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - path: /admin
            pathType: Prefix
            backend: {service: {name: web, port: {name: admin}}}
`,
      'route.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: front, namespace: shop}
spec:
  rules:
    - backendRefs: [{name: web, port: 8080}]
`,
      'monitor.yaml': `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: metrics}]
`,
      'web.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
    };
    const workspace = new TestHost();
    workspace.setFiles(Object.entries(files));
    const path = workspace.trafficPreview({ scope: 'workspace' })!.services[0]!.ports[0]!;
    for (const [file, kind] of [['ingress.yaml', 'ingress'], ['route.yaml', 'route'], ['monitor.yaml', 'monitor']] as const) {
      const findings = workspace.findings(file);
      assert.equal(findings.length, 1, `${file}: one finding`);
      const hop = path.hops.find((candidate) => candidate.kind === kind);
      assert.equal(hop?.broken, findings[0]!.message, `${kind} hop and finding agree`);
    }
  });

  it('Gateway API: Gateway → route rule (hostnames, matches) → Service port → Pods; a monitor scrapes its port', () => {
    const result = preview({
      'gateway.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  gatewayClassName: example
  listeners: [{name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: web, port: 80}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: metrics, path: /metrics}]
`,
      'web.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: metrics, port: 9090}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web, ports: [{containerPort: 8080}, {containerPort: 9090}]}]
`,
    });
    const web = result.get('shop/web')!;
    assert.deepEqual(chain(web.ports[0]!), ['client:Client', 'gateway:Gateway/public (infra)', 'route:shop.example.com PathPrefix /api', 'cluster-ip:cluster IP :80', 'pod:Deployment/web']);
    const gateway = web.ports[0]!.hops.find((hop) => hop.kind === 'gateway')!;
    assert.equal(gateway.detail, '*.example.com:80 HTTP');
    assert.deepEqual(web.ports[0]!.edges.filter((edge) => edge.from.startsWith('gateway') || edge.from.startsWith('route')).map((edge) => `${edge.from}>${edge.to}`), ['gateway-0>route-0', 'route-0>service']);
    assert.deepEqual(chain(web.ports[1]!), ['client:Client', 'monitor:ServiceMonitor/web', 'cluster-ip:cluster IP :9090', 'pod:Deployment/web']);
    assert.equal(web.ports[1]!.hops.find((hop) => hop.kind === 'monitor')!.detail, 'scrapes port metrics /metrics');
  });

  it('scopes: the Service at the cursor, the file, the namespace', () => {
    const workspace = new TestHost();
    const text = REDIS + `---
apiVersion: v1
kind: Service
metadata: {name: second, namespace: my-namespace}
spec: {selector: {app: client}, ports: [{port: 80}]}
`;
    workspace.setFiles([['redis.yaml', text], ['other.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: elsewhere}\nspec: {ports: [{port: 1}]}\n']]);
    const at = text.indexOf('name: second');
    assert.deepEqual(workspace.trafficPreview({ scope: 'service', fileId: 'redis.yaml', offset: at })?.services.map((service) => service.name), ['second']);
    assert.deepEqual(workspace.trafficPreview({ scope: 'service', fileId: 'redis.yaml', offset: 0 })?.services.map((service) => service.name), ['redis-primary']);
    assert.deepEqual(workspace.trafficPreview({ scope: 'file', fileId: 'redis.yaml', offset: 0 })?.services.map((service) => service.name), ['redis-primary', 'second']);
    assert.deepEqual(workspace.trafficPreview({ scope: 'namespace', fileId: 'other.yaml', offset: 0 })?.services.map((service) => service.name), ['other']);
    assert.equal(workspace.trafficPreview({ scope: 'service', fileId: 'missing.yaml', offset: 0 }), undefined);
  });
});

describe('traffic preview: bounds', () => {
  const many = (count: number) =>
    Array.from({ length: count }, (_, index) => `apiVersion: v1\nkind: Service\nmetadata: {name: s-${index}, namespace: big}\nspec:\n  selector: {app: s-${index}}\n  ports: [{port: 80}]\n`).join('---\n');

  it('a namespace or workspace preview shows at most PREVIEW_SERVICES Services, in file order, with a note', () => {
    const workspace = new TestHost();
    workspace.setFiles([['big.yaml', many(PREVIEW_SERVICES + 5)]]);
    for (const request of [{ scope: 'workspace' as const }, { scope: 'namespace' as const, fileId: 'big.yaml', offset: 0 }]) {
      const result = workspace.trafficPreview(request);
      assert.equal(result?.services.length, PREVIEW_SERVICES);
      assert.equal(result?.services[0]?.name, 's-0');
      assert.equal(result?.note, `Showing the first ${PREVIEW_SERVICES} of ${PREVIEW_SERVICES + 5} Services in file order: a preview shows at most ${PREVIEW_SERVICES} Services. Preview a file or a single Service to see the others.`);
    }
    assert.equal(workspace.trafficPreview({ scope: 'service', fileId: 'big.yaml', offset: 0 })?.note, undefined);
  });

  it('stops when the time is up, keeping the Services built so far', () => {
    const workspace = new TestHost();
    workspace.setFiles([['big.yaml', many(10)]]);
    let calls = 0;
    const result = workspace.snapshot.trafficPreview({ scope: 'workspace' }, () => ++calls > 2);
    assert.deepEqual(result?.services.map((service) => service.name), ['s-0', 's-1', 's-2']);
    assert.match(result?.note ?? '', /^Showing the first 3 of 10 Services in file order: the preview took too long to build\./);
    assert.equal(workspace.snapshot.trafficPreview({ scope: 'workspace' }, () => false)?.note, undefined);
  });
});

describe('traffic preview: port-forward', () => {
  const PORTS = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: 8080}
    - {name: https, port: 443}
    - {name: admin, port: 9090}
    - {name: dns, port: 53, protocol: UDP}
    - {name: high, port: 1024}
    - {name: edge, port: 1023}
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: shop}
spec:
  type: ExternalName
  externalName: api.payments.example.net
  ports: [{port: 443}]
---
apiVersion: v1
kind: Service
metadata: {name: empty-selector}
spec:
  selector: {}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 3000}]
`;

  it('per TCP port: kubectl port-forward svc/<name> -n <namespace> <local>:<port>, local = port, or port + 8000 below 1024', () => {
    const result = preview({ 'web.yaml': PORTS });
    const forwards = result.get('shop/web')!.ports.map((port) => port.portForward);
    assert.deepEqual(forwards, [
      { kind: 'command', command: 'kubectl port-forward svc/web -n shop 8080:80', localPort: 8080 },
      { kind: 'command', command: 'kubectl port-forward svc/web -n shop 8443:443', localPort: 8443 },
      { kind: 'command', command: 'kubectl port-forward svc/web -n shop 9090:9090', localPort: 9090 },
      { kind: 'unavailable', reason: 'kubectl port-forward forwards TCP only; this port is UDP.' },
      { kind: 'command', command: 'kubectl port-forward svc/web -n shop 1024:1024', localPort: 1024 },
      { kind: 'command', command: 'kubectl port-forward svc/web -n shop 9023:1023', localPort: 9023 },
    ]);
  });

  it('names the namespace also when it is the default one, and says why a Service cannot be forwarded', () => {
    const result = preview({ 'web.yaml': PORTS });
    assert.deepEqual(result.get('default/api')!.ports[0]!.portForward, { kind: 'command', command: 'kubectl port-forward svc/api -n default 3000:3000', localPort: 3000 });
    assert.deepEqual(result.get('shop/legacy')!.ports[0]!.portForward, {
      kind: 'unavailable',
      reason: 'kubectl port-forward needs a selector to pick a Pod; this Service has none.',
    });
    assert.deepEqual(result.get('shop/payments')!.ports[0]!.portForward, { kind: 'unavailable', reason: 'An ExternalName Service has no Pods to forward to.' });
    assert.equal(result.get('default/empty-selector')!.ports[0]!.portForward?.kind, 'unavailable');
  });

  it('quotes a name a shell would read differently', () => {
    const result = preview({
      'odd.yaml': `apiVersion: v1
kind: Service
metadata: {name: "web$(id)", namespace: "it's"}
spec: {selector: {app: web}, ports: [{port: 8080}]}
`,
    });
    const forward = [...result.values()][0]!.ports[0]!.portForward;
    assert.deepEqual(forward, { kind: 'command', command: `kubectl port-forward svc/'web$(id)' -n 'it'\\''s' 8080:8080`, localPort: 8080 });
  });
});
