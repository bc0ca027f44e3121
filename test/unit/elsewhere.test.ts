/**
 * What one scope lacks and another holds (analysis/elsewhere.ts): plain manifests and kustomize
 * builds are scopes of their own, but Kubernetes resolves a Service name or a selector among
 * everything applied to the namespace.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TestHost } from '../support/testHost';
import { deploymentManifest, serviceManifest } from '../support/shapes';

const ROOT = 'file:///w';

const ingress = (name: string, service: string, namespace?: string) =>
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  defaultBackend:
    service:
      name: ${service}
      port:
        number: 80
`;

const statefulSet = (name: string, serviceName: string) =>
  `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
spec:
  serviceName: ${serviceName}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${name}
`;

/** A base (Service and Deployment `web`) that the overlay `app/prod` builds. */
function baseAndOverlay(prodKustomization = 'resources:\n- ../base\n'): [string, string][] {
  return [
    [`${ROOT}/app/base/app.yaml`, `${serviceManifest('web', 'web')}---\n${deploymentManifest('web', 'web')}`],
    [`${ROOT}/app/base/kustomization.yaml`, 'resources:\n- app.yaml\n'],
    [`${ROOT}/app/prod/kustomization.yaml`, prodKustomization],
  ];
}

const GRANT =
  'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: from-edge\n  namespace: a\nspec:\n  from:\n    - group: gateway.networking.k8s.io\n      kind: HTTPRoute\n      namespace: edge\n  to:\n    - group: ""\n      kind: Service\n';

/** A route in `edge` to Service `cart` of namespace `a` on `port`, both plain files, and the grant that allows it in a kustomization of its own. */
function routeWithGrantApart(port: number): [string, string][] {
  const route = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: edge\nspec:\n  rules:\n    - backendRefs:\n        - name: cart\n          namespace: a\n          port: ${port}\n`;
  return [
    [`${ROOT}/plain/svc.yaml`, serviceManifest('cart', 'cart').replace('metadata:\n', 'metadata:\n  namespace: a\n')],
    [`${ROOT}/plain/route.yaml`, route],
    [`${ROOT}/grants/kustomization.yaml`, 'resources:\n- grant.yaml\n'],
    [`${ROOT}/grants/grant.yaml`, GRANT],
  ];
}

function rules(host: TestHost, fileId: string): string[] {
  return host.findings(fileId).map((finding) => `${finding.ruleId}:${finding.severity}`);
}

describe('what one scope lacks, another holds', () => {
  it('a plain Ingress routes to a Service an overlay builds; without the overlay it is missing again', () => {
    const host = new TestHost();
    host.setFiles([...baseAndOverlay(), [`${ROOT}/edge/ingress.yaml`, ingress('web', 'web')]]);
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), []);
    // The overlay's build is gone, and the base is read as plain files: still found (now in the same scope).
    const changed = host.removeFile(`${ROOT}/app/prod/kustomization.yaml`);
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), []);
    // A Service no scope holds is an error, and an edit that renames the built Service makes it one.
    host.setFile(`${ROOT}/app/prod/kustomization.yaml`, 'resources:\n- ../base\n');
    const renamed = host.setFile(`${ROOT}/app/base/app.yaml`, `${serviceManifest('web-v2', 'web')}---\n${deploymentManifest('web', 'web')}`);
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), ['ingress-backend-unresolved:error']);
    assert.ok(renamed.includes(`${ROOT}/edge/ingress.yaml`), 'the update names the file whose findings changed');
    assert.ok(Array.isArray(changed));
  });

  it('looks in the namespace the reference names: an overlay that moves the Service to another namespace does not hold it', () => {
    const host = new TestHost();
    host.setFiles([...baseAndOverlay('namespace: shop\nresources:\n- ../base\n'), [`${ROOT}/edge/ingress.yaml`, ingress('web', 'web')]]);
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), ['ingress-backend-unresolved:error']);
    // The message names where the Service is, as it would for a Service of the Ingress's own scope.
    assert.equal(host.findings(`${ROOT}/edge/ingress.yaml`)[0]?.message, 'Service web does not exist in namespace default (a Service web is in namespace shop, in overlay prod).');
    host.setFile(`${ROOT}/edge/ingress.yaml`, ingress('web', 'web', 'shop'));
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), []);
    // It follows the overlay: moved to another namespace, the hint moves with it.
    host.setFile(`${ROOT}/edge/ingress.yaml`, ingress('web', 'web'));
    host.setFile(`${ROOT}/app/prod/kustomization.yaml`, 'namespace: store\nresources:\n- ../base\n');
    assert.equal(host.findings(`${ROOT}/edge/ingress.yaml`)[0]?.message, 'Service web does not exist in namespace default (a Service web is in namespace store, in overlay prod).');
  });

  it('a plain Service selects the Pods an overlay builds: no warning, and its report names the build', () => {
    const host = new TestHost();
    host.setFiles([...baseAndOverlay(), [`${ROOT}/edge/front.yaml`, serviceManifest('front', 'web')]]);
    assert.deepEqual(rules(host, `${ROOT}/edge/front.yaml`), []);
    const front = host.serviceReports().find((report) => report.name === 'front');
    assert.ok(front);
    assert.deepEqual(front.matches, []);
    assert.equal(front.elsewhere?.label, 'overlay prod');
    assert.equal(front.elsewhere?.build, `${ROOT}/app/prod`);
    assert.deepEqual(
      front.elsewhere?.matches.map((template) => `${template.kind}/${template.name}`),
      ['Deployment/web'],
    );
    // The traffic preview of its file ends at those Pods, and says where they come from.
    const preview = host.trafficPreview({ scope: 'file', fileId: `${ROOT}/edge/front.yaml`, offset: 0 });
    const traffic = preview?.services.find((service) => service.name === 'front');
    assert.deepEqual(traffic?.ports[0]?.hops.map((hop) => hop.label), ['Client', 'cluster IP :80', 'Deployment/web']);
    assert.ok(traffic?.notes.some((note) => note.startsWith('The Pods are made by overlay prod')), JSON.stringify(traffic?.notes));
    // A typo matches nothing anywhere: the warning names the nearest miss as before.
    host.setFile(`${ROOT}/edge/front.yaml`, serviceManifest('front', 'webb'));
    assert.deepEqual(rules(host, `${ROOT}/edge/front.yaml`), ['service-selector-no-match:warning']);
  });

  it("an overlay's Service selects a plain Deployment, and follows an edit of its labels", () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/api/kustomization.yaml`, 'resources:\n- svc.yaml\n'],
      [`${ROOT}/api/svc.yaml`, serviceManifest('api', 'api')],
      [`${ROOT}/workers/api.yaml`, deploymentManifest('api', 'api')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/api/svc.yaml`), []);
    const changed = host.setFile(`${ROOT}/workers/api.yaml`, deploymentManifest('api', 'api-v2'));
    assert.deepEqual(rules(host, `${ROOT}/api/svc.yaml`), ['service-selector-no-match:warning']);
    assert.ok(changed.includes(`${ROOT}/api/svc.yaml`), 'the update names the file whose findings changed');
    host.setFile(`${ROOT}/workers/api.yaml`, deploymentManifest('api', 'api'));
    assert.deepEqual(rules(host, `${ROOT}/api/svc.yaml`), []);
  });

  it('two overlays of one base are alternatives: the Pods of one do not stand for what the other lacks', () => {
    const host = new TestHost();
    const relabel = 'resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/template/metadata/labels/app\n      value: web-prod\n';
    host.setFiles([...baseAndOverlay(relabel), [`${ROOT}/app/dev/kustomization.yaml`, 'resources:\n- ../base\n']]);
    // prod relabels its Pods, so its Service matches nothing there; dev's Pods (same namespace) do not count.
    assert.ok(rules(host, `${ROOT}/app/base/app.yaml`).includes('service-selector-no-match:warning'));
  });

  it('what is found elsewhere is checked as the scope\'s own: ports, ReferenceGrants, a headless Service, target ports', () => {
    const host = new TestHost();
    const routeTo = (name: string, namespace: string, port: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: edge\nspec:\n  rules:\n    - backendRefs:\n        - name: web\n          namespace: ${namespace}\n${port}`;
    host.setFiles([
      ...baseAndOverlay(),
      [`${ROOT}/edge/ingress.yaml`, `${ingress('by-target-port', 'web').replace('number: 80', 'number: 8080')}---\n${statefulSet('db', 'web')}`],
      [`${ROOT}/edge/route.yaml`, routeTo('no-grant', 'default', '          port: 80\n')],
      [`${ROOT}/edge/front.yaml`, serviceManifest('front', 'web', 'http')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), ['ingress-backend-unresolved:error', 'statefulset-service-unresolved:warning']);
    assert.match(host.findings(`${ROOT}/edge/ingress.yaml`)[0]!.message, /Service\/web has no port numbered 8080/);
    assert.match(host.findings(`${ROOT}/edge/ingress.yaml`)[1]!.message, /is not headless/);
    assert.deepEqual(rules(host, `${ROOT}/edge/route.yaml`), ['route-backend-unresolved:error']);
    assert.match(host.findings(`${ROOT}/edge/route.yaml`)[0]!.message, /no ReferenceGrant/);
    // A named targetPort resolves on the Pods the overlay makes, as on the scope's own.
    assert.deepEqual(rules(host, `${ROOT}/edge/front.yaml`), ['service-target-port-unresolved:error']);
    // The overlay's Deployment gets a port named http: the Service's findings follow.
    host.setFile(`${ROOT}/app/base/app.yaml`, `${serviceManifest('web', 'web')}---\n${deploymentManifest('web', 'web').replace('- containerPort: 8080', '- name: http\n              containerPort: 8080')}`);
    assert.deepEqual(rules(host, `${ROOT}/edge/front.yaml`), []);
  });

  it('a file a kustomization does not list is applied by no one: it stands for nothing', () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/base/deploy.yaml`, `${deploymentManifest('api', 'api')}---\n${ingress('api', 'api')}`],
      [`${ROOT}/base/service.yaml`, serviceManifest('api', 'api')],
      [`${ROOT}/base/kustomization.yaml`, 'resources:\n- deploy.yaml\n'],
      [`${ROOT}/overlays/prod/kustomization.yaml`, 'resources:\n- ../../base\n'],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/base/deploy.yaml`), ['ingress-backend-unresolved:error']);
  });

  it('an exact name another build makes wins over a close name in the scope (cart-v1 beside cart-v2)', () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/v1/kustomization.yaml`, 'resources:\n- app.yaml\n'],
      [`${ROOT}/v1/app.yaml`, `${serviceManifest('cart-v1', 'cart')}---\n${ingress('cart', 'cart-v2')}`],
      [`${ROOT}/v2/kustomization.yaml`, 'resources:\n- app.yaml\n'],
      [`${ROOT}/v2/app.yaml`, serviceManifest('cart-v2', 'cart')],
    ]);
    assert.deepEqual(host.findings(`${ROOT}/v1/app.yaml`).filter((finding) => finding.ruleId === 'ingress-backend-unresolved'), []);
  });

  it('two apps built from one template base under prefixes of their own are no variants: each finds the other', () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/template/kustomization.yaml`, 'resources:\n- app.yaml\n'],
      [`${ROOT}/template/app.yaml`, `${serviceManifest('app', 'app')}---\n${deploymentManifest('app', 'app')}`],
      [`${ROOT}/cart/kustomization.yaml`, 'namePrefix: cart-\nresources:\n- ../template\n'],
      [`${ROOT}/shop/kustomization.yaml`, 'namePrefix: shop-\nresources:\n- ../template\n- ingress.yaml\n'],
      [`${ROOT}/shop/ingress.yaml`, ingress('to-cart', 'cart-app')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/shop/ingress.yaml`), []);
  });

  it("what only one variant adds stands for nothing its sibling lacks (dev's debug Service is not prod's)", () => {
    const host = new TestHost();
    host.setFiles([
      ...baseAndOverlay('resources:\n- ../base\n- ingress.yaml\n'),
      [`${ROOT}/app/prod/ingress.yaml`, ingress('debug', 'debug')],
      [`${ROOT}/app/dev/kustomization.yaml`, 'resources:\n- ../base\n- debug.yaml\n'],
      [`${ROOT}/app/dev/debug.yaml`, serviceManifest('debug', 'web')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/app/prod/ingress.yaml`), ['ingress-backend-unresolved:error']);
  });

  it('a Service two builds make apart: a reference right against either is right, whatever the folder names', () => {
    const host = new TestHost();
    const port8443 = "patches:\n- target:\n    kind: Service\n  patch: |-\n    - op: replace\n      path: /spec/ports/0/port\n      value: 8443\n";
    host.setFiles([
      ...baseAndOverlay(`resources:\n- ../base\n${port8443}`),
      [`${ROOT}/app/dev/kustomization.yaml`, 'resources:\n- ../base\n'],
      [`${ROOT}/edge/ingress.yaml`, ingress('web', 'web').replace('number: 80', 'number: 8443')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), []);
    host.setFile(`${ROOT}/edge/ingress.yaml`, ingress('web', 'web').replace('number: 80', 'number: 9000'));
    assert.deepEqual(rules(host, `${ROOT}/edge/ingress.yaml`), ['ingress-backend-unresolved:error']);
  });

  it('apps that share a component (labels only, or a Service and workload of its own) are no variants: each finds what only the other builds', () => {
    const app = (name: string) => `${serviceManifest(name, name)}---\n${deploymentManifest(name, name)}`;
    const component = (name: string, body: string): [string, string][] =>
      body.includes('resources')
        ? [[`${ROOT}/components/${name}/kustomization.yaml`, body], [`${ROOT}/components/${name}/${name}.yaml`, app(name)]]
        : [[`${ROOT}/components/${name}/kustomization.yaml`, body]];
    const header = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n';
    for (const [name, body] of [['labels', `${header}labels:\n- pairs:\n    team: shop\n`], ['otel', `${header}resources:\n- otel.yaml\n`]] as const) {
      const host = new TestHost();
      host.setFiles([
        ...component(name, body),
        [`${ROOT}/apps/front/kustomization.yaml`, `namespace: shop\nresources:\n- app.yaml\n- ingress.yaml\ncomponents:\n- ../../components/${name}\n`],
        [`${ROOT}/apps/front/app.yaml`, app('front')],
        [`${ROOT}/apps/front/ingress.yaml`, ingress('to-cart', 'cart')],
        [`${ROOT}/apps/cart/kustomization.yaml`, `namespace: shop\nresources:\n- app.yaml\ncomponents:\n- ../../components/${name}\n`],
        [`${ROOT}/apps/cart/app.yaml`, app('cart')],
      ]);
      assert.deepEqual(rules(host, `${ROOT}/apps/front/ingress.yaml`), [], name);
    }
  });

  it('an app of nothing but an Ingress and a shared component is no variant of the app it routes to', () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/components/otel/kustomization.yaml`, 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- otel.yaml\n'],
      [`${ROOT}/components/otel/otel.yaml`, `${serviceManifest('otel', 'otel')}---\n${deploymentManifest('otel', 'otel')}`],
      [`${ROOT}/apps/edge/kustomization.yaml`, 'namespace: shop\nresources:\n- ingress.yaml\ncomponents:\n- ../../components/otel\n'],
      [`${ROOT}/apps/edge/ingress.yaml`, ingress('to-cart', 'cart')],
      [`${ROOT}/apps/cart/kustomization.yaml`, 'namespace: shop\nresources:\n- app.yaml\ncomponents:\n- ../../components/otel\n'],
      [`${ROOT}/apps/cart/app.yaml`, `${serviceManifest('cart', 'cart')}---\n${deploymentManifest('cart', 'cart')}`],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/apps/edge/ingress.yaml`), []);
  });

  it("a route's ReferenceGrant may come from any build of the workspace, as the target namespace's", () => {
    const host = new TestHost();
    host.setFiles(routeWithGrantApart(80));
    assert.deepEqual(rules(host, `${ROOT}/plain/route.yaml`), []);
    // The grant goes away: the route may not refer to the Service again.
    const changed = host.setFile(`${ROOT}/grants/grant.yaml`, GRANT.replace('namespace: edge', 'namespace: other'));
    assert.deepEqual(rules(host, `${ROOT}/plain/route.yaml`), ['route-backend-unresolved:error']);
    assert.ok(changed.includes(`${ROOT}/plain/route.yaml`));
  });

  it("a route whose grant another build applies still has its ports checked", () => {
    const host = new TestHost();
    host.setFiles(routeWithGrantApart(8081));
    assert.deepEqual(rules(host, `${ROOT}/plain/route.yaml`), ['route-backend-unresolved:error']);
    assert.match(host.findings(`${ROOT}/plain/route.yaml`)[0]!.message, /has no port 8081/);
  });

  it('a typo in a sample is the typo, whatever a sample beside it has under the same names', () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/nginx-basic/app.yaml`, `${serviceManifest('nginx', 'nginx')}---\n${deploymentManifest('nginx', 'nginx')}`],
      [`${ROOT}/nginx-kustomize/kustomization.yaml`, 'resources:\n- app.yaml\n'],
      [`${ROOT}/nginx-kustomize/app.yaml`, `${serviceManifest('nginx', 'nginx', 'web')}---\n${deploymentManifest('nginx', 'ngnix')}`],
    ]);
    const found = host.findings(`${ROOT}/nginx-kustomize/app.yaml`);
    assert.deepEqual(found.map((finding) => finding.ruleId), ['service-selector-no-match']);
    assert.match(found[0]!.message, /app=ngnix, not app=nginx/);
  });

  it('a build made only in part does not look elsewhere: what it lacks may be in the part left out', () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/charts-src/api.yaml`, serviceManifest('api', 'api')],
      [`${ROOT}/deploy/prod/kustomization.yaml`, 'helmCharts:\n- name: api\n  valuesInline:\n    service:\n      port: 8080\nresources:\n- ingress.yaml\n'],
      [`${ROOT}/deploy/prod/ingress.yaml`, ingress('api', 'api').replace('number: 80', 'number: 8080')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/deploy/prod/ingress.yaml`), ['ingress-backend-unresolved:information']);
  });

  it('a Service whose Pods two builds make apart resolves its ports on the one where they resolve', () => {
    const host = new TestHost();
    const rename = "patches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/ports/0/name\n      value: web\n";
    host.setFiles([
      ...baseAndOverlay(`resources:\n- ../base\n${rename}`),
      [`${ROOT}/app/dev/kustomization.yaml`, 'resources:\n- ../base\n'],
      [`${ROOT}/edge/front.yaml`, serviceManifest('front', 'web', 'web')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/edge/front.yaml`), []);
    assert.equal(host.serviceReports().find((report) => report.name === 'front')?.elsewhere?.label, 'overlay prod');
  });

  it('a ServiceMonitor of a plain monitoring folder scrapes the Services the app overlays build, and their ports are checked', () => {
    const host = new TestHost();
    const monitor = (port: string) =>
      `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  endpoints:\n    - port: ${port}\n`;
    const named = serviceManifest('web', 'web').replace('    - port: 80\n', '    - name: http\n      port: 80\n');
    const labelled = named.replace('metadata:\n  name: web\n', 'metadata:\n  name: web\n  labels:\n    app: web\n');
    host.setFiles([
      [`${ROOT}/app/base/app.yaml`, `${labelled}---\n${deploymentManifest('web', 'web')}`],
      [`${ROOT}/app/base/kustomization.yaml`, 'resources:\n- app.yaml\n'],
      [`${ROOT}/app/prod/kustomization.yaml`, 'resources:\n- ../base\n'],
      [`${ROOT}/monitoring/monitor.yaml`, monitor('http')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/monitoring/monitor.yaml`), []);
    host.setFile(`${ROOT}/monitoring/monitor.yaml`, monitor('metrics'));
    assert.deepEqual(rules(host, `${ROOT}/monitoring/monitor.yaml`), ['monitor-unresolved:warning']);
    assert.match(host.findings(`${ROOT}/monitoring/monitor.yaml`)[0]!.message, /metrics/);
    // The Service loses the label the monitor selects: nothing is scraped, here or elsewhere.
    host.setFile(`${ROOT}/monitoring/monitor.yaml`, monitor('http'));
    const changed = host.setFile(`${ROOT}/app/base/app.yaml`, `${named}---\n${deploymentManifest('web', 'web')}`);
    assert.deepEqual(rules(host, `${ROOT}/monitoring/monitor.yaml`), ['monitor-unresolved:warning']);
    assert.ok(changed.includes(`${ROOT}/monitoring/monitor.yaml`));
    // And gets it back: scraped again.
    host.setFile(`${ROOT}/app/base/app.yaml`, `${labelled}---\n${deploymentManifest('web', 'web')}`);
    assert.deepEqual(rules(host, `${ROOT}/monitoring/monitor.yaml`), []);
  });

  it("a StatefulSet's serviceName may name a Service another build makes", () => {
    const host = new TestHost();
    host.setFiles([
      [`${ROOT}/db/kustomization.yaml`, 'resources:\n- svc.yaml\n'],
      [`${ROOT}/db/svc.yaml`, serviceManifest('db', 'db').replace('spec:\n', 'spec:\n  clusterIP: None\n')],
      [`${ROOT}/plain/db.yaml`, statefulSet('db', 'db')],
      [`${ROOT}/plain/cache.yaml`, statefulSet('cache', 'cache')],
    ]);
    assert.deepEqual(rules(host, `${ROOT}/plain/db.yaml`), []);
    assert.deepEqual(rules(host, `${ROOT}/plain/cache.yaml`), ['statefulset-service-unresolved:warning']);
  });
});
