/**
 * Completion over stdio on the `authoring` workspace, in documents typed half-way (`|` is the
 * cursor): selector keys and values from the namespace's templates, targetPorts of the matched
 * templates, template labels that Services select, Ingress backends, namespaces; nothing elsewhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompletionRequest, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node';
import { LspSession, positionAt } from './harness';

const SERVICE_HEAD = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: new\n  namespace: shop\nspec:\n';
const DEPLOYMENT_HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: new\n  namespace: shop\nspec:\n';

describe('completion', () => {
  let session: LspSession;
  let files = 0;
  before(async () => {
    session = await LspSession.start({ fixture: 'authoring' });
  });
  after(async () => {
    await session?.dispose();
  });

  /** Opens a new document of `text` (with `|` at the cursor) and completes there. */
  async function complete(text: string, folder = 'shop/services'): Promise<CompletionList | null> {
    const offset = text.indexOf('|');
    const content = text.replace('|', '');
    const file = `${folder}/typed-${++files}.yaml`;
    await session.open(file, content);
    const result = await session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: session.uri(file) }, position: positionAt(content, offset) });
    await session.close(file);
    if (result !== null) assert.ok(!Array.isArray(result), 'a CompletionList');
    return result as CompletionList | null;
  }
  const labels = (list: CompletionList | null): string[] => (list?.items ?? []).map((item: CompletionItem) => item.label);

  it('selector keys: the labels of the namespace, with the workloads in the detail', async () => {
    const list = await complete(`${SERVICE_HEAD}  selector:\n    |`);
    assert.equal(list?.isIncomplete, false);
    assert.deepEqual(labels(list).sort(), ['app', 'tier']);
    const app = list?.items.find((item) => item.label === 'app');
    assert.equal(app?.detail, 'label of Deployment/web, StatefulSet/db');
    assert.deepEqual(app?.textEdit && 'range' in app.textEdit ? app.textEdit.newText : undefined, 'app: ');
  });

  it('selector values of a half-typed pair, replacing the typed word', async () => {
    const list = await complete(`${SERVICE_HEAD}  selector:\n    app: we|`);
    assert.deepEqual(labels(list).sort(), ['db', 'web']);
    const web = list?.items.find((item) => item.label === 'web');
    assert.ok(web?.textEdit && 'range' in web.textEdit);
    assert.deepEqual(web.textEdit.range, { start: { line: 7, character: 9 }, end: { line: 7, character: 11 } });
  });

  it('selector values: the nearest template first', async () => {
    const list = await complete(`${SERVICE_HEAD}  selector:\n    app: |`, 'shop/apps');
    assert.equal(list?.items.sort((left, right) => (left.sortText! < right.sortText! ? -1 : 1))[0]?.label, 'db');
    const other = await complete(`apiVersion: v1\nkind: Service\nmetadata:\n  name: new\n  namespace: other\nspec:\n  selector:\n    tier: |`);
    assert.equal(other, null, 'no template of namespace other has a tier label');
  });

  it('targetPort: names and numbers of the matched templates', async () => {
    const list = await complete(`${SERVICE_HEAD}  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: |`);
    assert.deepEqual(labels(list), ['http', 'metrics', '8080', '9090']);
    assert.match(list?.items[0]?.detail ?? '', /Deployment\/web container web: 8080\/TCP/);
  });

  it("targetPort: the ports of the Service port's protocol first", async () => {
    const dns = 'shop/apps/dns-typed.yaml';
    await session.open(dns, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dns\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: dns\n  template:\n    metadata:\n      labels:\n        app: dns\n    spec:\n      containers:\n        - name: dns\n          ports:\n            - name: dns-tcp\n              containerPort: 53\n            - name: dns\n              containerPort: 53\n              protocol: UDP\n            - name: metrics\n              containerPort: 9153\n');
    const ordered = (list: CompletionList | null): string[] => [...(list?.items ?? [])].sort((left, right) => (left.sortText! < right.sortText! ? -1 : left.sortText! > right.sortText! ? 1 : 0)).map((item) => item.label);
    const udp = await complete(`${SERVICE_HEAD}  selector:\n    app: dns\n  ports:\n    - port: 80\n      targetPort: http\n    - port: 53\n      protocol: UDP\n      targetPort: |`);
    assert.deepEqual(ordered(udp), ['dns', '53', 'dns-tcp', 'metrics', '9153']);
    const tcp = await complete(`${SERVICE_HEAD}  selector:\n    app: dns\n  ports:\n    - port: 53\n      protocol: UDP\n      targetPort: dns\n    - port: 9153\n      targetPort: |`);
    assert.deepEqual(ordered(tcp), ['dns-tcp', 'metrics', '53', '9153', 'dns']);
    await session.close(dns);
  });

  it('template labels: the keys and values Services of the namespace select', async () => {
    const keys = await complete(`${DEPLOYMENT_HEAD}  template:\n    metadata:\n      labels:\n        |`, 'shop/apps');
    assert.deepEqual(labels(keys), ['app']);
    const values = await complete(`${DEPLOYMENT_HEAD}  template:\n    metadata:\n      labels:\n        app: |\n    spec: {}`, 'shop/apps');
    assert.deepEqual(labels(values).sort(), ['db', 'web', 'webb']);
    assert.match(values?.items.find((item) => item.label === 'web')?.detail ?? '', /selected by Service\/web, Service\/web-internal/);
  });

  it('Ingress backend: Service names, then the ports of the named Service', async () => {
    const head = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: new\n  namespace: shop\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend:\n              service:\n';
    assert.deepEqual(labels(await complete(`${head}                name: |`, 'shop/edge')), ['db-headless', 'numbers', 'web', 'web-internal']);
    const ports = await complete(`${head}                name: web\n                port:\n                  name: |`, 'shop/edge');
    assert.deepEqual(labels(ports), ['http', 'https']);
    const numbers = await complete(`${head}                name: web\n                port:\n                  number: |`, 'shop/edge');
    assert.deepEqual(labels(numbers), ['443', '80']);
  });

  it('StatefulSet serviceName and metadata.namespace', async () => {
    assert.deepEqual(labels(await complete(`apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: new\n  namespace: shop\nspec:\n  serviceName: |`)).includes('db-headless'), true);
    assert.deepEqual(labels(await complete('apiVersion: v1\nkind: Service\nmetadata:\n  name: new\n  namespace: |')), ['default', 'other', 'shop', 'tmpl']);
  });

  it('nothing elsewhere: other fields, comments, documents without a kind', async () => {
    assert.equal(await complete(`${SERVICE_HEAD}  type: |`), null);
    assert.equal(await complete(`${DEPLOYMENT_HEAD}  replicas: |`, 'shop/apps'), null);
    assert.equal(await complete(`${SERVICE_HEAD}  selector:\n    # app: |`), null);
    assert.equal(await complete('metadata:\n  namespace: |'), null);
  });
});
