/**
 * Incremental analysis equals a from-scratch analysis: random edit sequences (typing, value
 * swaps, deleted lines, truncation, file removal, renames) over a generated workspace and the
 * examples and a workspace of every kind family, each step checked against a fresh analysis host. Also checks that the files an update
 * returns include every file whose findings changed (the language server publishes only those).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TestHost } from '../support/testHost';
import type { Finding } from '../../server/src/engine/types';
import { generateWorkspace } from '../support/generated';
import { deploymentManifest, serviceManifest } from '../support/shapes';
import { readTree, REPO_ROOT } from '../support/paths';
import { Random } from '../support/random';

function snapshot(workspace: TestHost): Map<string, string> {
  const out = new Map<string, string>();
  for (const fileId of workspace.fileIds()) out.set(fileId, JSON.stringify(workspace.findings(fileId).map(strip)));
  return out;
}

function strip(finding: Finding) {
  return { ...finding };
}

function fresh(files: ReadonlyMap<string, string>): TestHost {
  const workspace = new TestHost();
  workspace.setFiles([...files]);
  return workspace;
}

/** Values that occur in the workspace, so swaps create and break real links. */
function valuePool(files: ReadonlyMap<string, string>): string[] {
  const pool = new Set<string>();
  for (const text of files.values()) {
    for (const match of text.matchAll(/:\s+([A-Za-z0-9][\w.-]{0,30})\s*$/gm)) pool.add(match[1]!);
    if (pool.size > 400) break;
  }
  return [...pool];
}

function mutate(random: Random, files: Map<string, string>, removed: Map<string, string>, pool: readonly string[]): { fileId: string; text: string | undefined; renamedFrom?: string } {
  const ids = [...files.keys()];
  if (ids.length === 0) {
    // Every file was removed: one comes back.
    const [restoredId, restored] = random.pick([...removed]);
    removed.delete(restoredId);
    return { fileId: restoredId, text: restored };
  }
  const fileId = random.pick(ids);
  const text = files.get(fileId)!;
  const lines = text.split('\n');
  const line = random.int(lines.length);
  const choice = random.int(100);
  if (choice < 30) {
    // Typing: insert or delete one character somewhere in a line.
    const current = lines[line]!;
    const at = random.int(current.length + 1);
    lines[line] = random.int(2) === 0 ? current.slice(0, at) + random.pick(['a', '-', '1', ' ', ':', 'x']) + current.slice(at) : current.slice(0, at) + current.slice(at + 1);
    return { fileId, text: lines.join('\n') };
  }
  if (choice < 60) {
    // Replace a value with another value of the workspace.
    const candidates = lines.flatMap((content, index) => (/:\s+\S/.test(content) ? [index] : []));
    if (candidates.length === 0) return { fileId, text };
    const target = random.pick(candidates);
    lines[target] = lines[target]!.replace(/(:\s+)(\S.*)$/, `$1${random.pick(pool)}`);
    return { fileId, text: lines.join('\n') };
  }
  if (choice < 70) {
    lines.splice(line, 1);
    return { fileId, text: lines.join('\n') };
  }
  if (choice < 76) {
    // Insert a comment line at the top: every span of the file moves.
    return { fileId, text: `# edited\n${text}` };
  }
  if (choice < 82) return { fileId, text: text.slice(0, random.int(text.length + 1)) };
  if (choice < 88) return { fileId, text: undefined };
  if (choice < 94 && removed.size > 0) {
    const [restoredId, restored] = random.pick([...removed]);
    removed.delete(restoredId);
    return { fileId: restoredId, text: restored };
  }
  return { fileId: `${fileId}.renamed.yaml`, text, renamedFrom: fileId };
}

function run(files: Map<string, string>, seed: number, steps: number, checkEvery: number): void {
  const random = new Random(seed);
  const pool = valuePool(files);
  const incremental = fresh(files);
  const removed = new Map<string, string>();
  let before = snapshot(incremental);
  for (let step = 1; step <= steps; step++) {
    const edit = mutate(random, files, removed, pool);
    const touched = new Set<string>();
    if (edit.renamedFrom !== undefined) {
      for (const id of incremental.removeFile(edit.renamedFrom)) touched.add(id);
      files.delete(edit.renamedFrom);
    }
    if (edit.text === undefined) {
      removed.set(edit.fileId, files.get(edit.fileId)!);
      files.delete(edit.fileId);
      for (const id of incremental.removeFile(edit.fileId)) touched.add(id);
    } else {
      files.set(edit.fileId, edit.text);
      for (const id of incremental.setFile(edit.fileId, edit.text)) touched.add(id);
    }
    const after = snapshot(incremental);
    for (const fileId of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(fileId) !== after.get(fileId)) {
        assert.ok(touched.has(fileId), `step ${step}: findings of ${fileId} changed but the update did not return it`);
      }
    }
    before = after;
    if (step % checkEvery === 0 || step === steps) {
      const scratch = snapshot(fresh(files));
      assert.deepEqual(after, scratch, `step ${step}: incremental findings differ from a from-scratch analysis`);
      assert.deepEqual(
        JSON.stringify(incremental.serviceReports()),
        JSON.stringify(fresh(files).serviceReports()),
        `step ${step}: service reports differ`,
      );
    }
  }
}

/**
 * A duplicate-heavy workspace: identical files (Services that match nothing beside a Deployment),
 * near-identical label values (ties on the nearest miss), and one file with more pairs than an
 * update re-links template by template.
 */
function duplicateHeavy(): Map<string, string> {
  const pair = (name: string, wanted: string, actual: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${wanted}${extra}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${actual}
  template:
    metadata:
      labels:
        app: ${actual}${extra}
    spec:
      containers:
        - name: ${name}
          image: ${name}
          ports:
            - containerPort: 8080
`;
  const files = new Map<string, string>();
  for (let copy = 0; copy < 12; copy++) files.set(`dup/copy-${String(copy).padStart(2, '0')}.yaml`, pair('web', 'webb', 'web'));
  for (let copy = 0; copy < 6; copy++) files.set(`api/copy-${copy}.yaml`, pair('api', 'api', copy % 2 === 0 ? 'apj' : 'ap', '\n    tier: back'));
  const values = ['web', 'wen', 'web1', 'we', 'webb', 'api', 'apj'];
  for (const [position, value] of values.entries()) files.set(`near/${position}.yaml`, pair(`near-${position}`, `${value}x`, value));
  files.set('one/all.yaml', Array.from({ length: 80 }, (_, index) => pair(`svc-${index}`, `svc-${index % 3 === 0 ? index + 'x' : index}`, `svc-${index}`)).join('---\n'));
  return files;
}

/**
 * Files of many documents that kustomize overlays build: one overlay takes them as written (its
 * objects keep the kept parse's trees, so an edit re-links only the documents it changed), one
 * adds a namespace, labels and a patch (its objects are copies), and one file is reached by both.
 */
function overlaysOfManyDocuments(): Map<string, string> {
  const document = (name: string, app: string, port: number) => `${serviceManifest(name, app, port)}---\n${deploymentManifest(name, app, port === 8080 ? 8080 : 9090)}`;
  const many = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, index) => document(`${prefix}-${index}`, index % 4 === 0 ? `${prefix}-${index}x` : `${prefix}-${index}`, index % 3 === 0 ? 9091 : 8080)).join('---\n');
  // Overlays are found among file URIs, as the server and the CLI name files.
  const root = 'file:///w';
  const stacks = ['stack', 'web', 'api', 'jobs', 'data', 'edge'];
  return new Map([
    ...stacks.map((prefix, index) => [`${root}/base/${prefix}.yaml`, many(prefix, 6 + index * 2)] as const),
    [`${root}/base/shared.yaml`, many('shared', 6)],
    [`${root}/base/kustomization.yaml`, `resources:\n${stacks.map((prefix) => `- ${prefix}.yaml\n`).join('')}- shared.yaml\n`],
    [`${root}/plain/kustomization.yaml`, 'resources:\n- ../base\n'],
    [`${root}/shop/kustomization.yaml`, 'namespace: shop\ncommonLabels:\n  team: shop\nresources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n    name: stack-1\n  patch: |-\n    - op: replace\n      path: /spec/template/metadata/labels/app\n      value: stack-2\n'],
    [`${root}/other/kustomization.yaml`, 'resources:\n- ../base/shared.yaml\n- own.yaml\n'],
    [`${root}/other/own.yaml`, many('own', 4)],
  ]);
}

/**
 * Objects that refer to a Service near documents skipped as templates (a chart, an envsubst
 * folder): an edit that makes a document a template or a plain one again changes whether a missing
 * Service is an error or information.
 */
function referencesNearTemplates(): Map<string, string> {
  const ingress = (name: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\nspec:\n  defaultBackend:\n    service:\n      name: ${name}\n      port:\n        number: 80\n`;
  return new Map([
    ['deploy/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ${DB}\nspec:\n  clusterIP: None\n  selector:\n    app: db\n  ports:\n    - port: 5432\n'],
    ['deploy/ingress.yaml', ingress('db')],
    ['deploy/statefulset.yaml', 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n        - name: db\n          image: db\n'],
    ['chart/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n'],
    ['chart/templates/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    app: web\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: 80\n'],
    ['chart/templates/ingress.yaml', ingress('web')],
    ['chart/templates/monitor.yaml', 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  endpoints:\n    - port: http\n'],
    ['plain/ingress.yaml', ingress('web')],
  ]);
}

/**
 * Plain files and kustomize builds that refer to each other (analysis/elsewhere.ts): a plain
 * Ingress routing to Services that overlays build, a plain Service selecting the Pods of a build, a
 * build's Service selecting a plain Deployment, and two overlays of one base (alternatives, which
 * never stand for each other). Edits that rename a Service or relabel a template change what the
 * other scopes find.
 */
function plainFilesAndBuilds(): Map<string, string> {
  const ingress = (name: string, service: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\nspec:\n  defaultBackend:\n    service:\n      name: ${service}\n      port:\n        number: 80\n`;
  const root = 'file:///x';
  return new Map([
    [`${root}/app/base/app.yaml`, `${serviceManifest('web', 'web')}---\n${deploymentManifest('web', 'web')}`],
    [`${root}/app/base/kustomization.yaml`, 'resources:\n- app.yaml\n'],
    [`${root}/app/dev/kustomization.yaml`, 'resources:\n- ../base\n'],
    [
      `${root}/app/prod/kustomization.yaml`,
      'resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/template/metadata/labels/app\n      value: web-prod\n',
    ],
    [`${root}/edge/ingress.yaml`, `${ingress('web', 'web')}---\n${ingress('api', 'api')}`],
    [`${root}/edge/front.yaml`, `${serviceManifest('front', 'web')}---\n${serviceManifest('front-api', 'api')}`],
    [`${root}/api/kustomization.yaml`, 'resources:\n- svc.yaml\n'],
    [`${root}/api/svc.yaml`, serviceManifest('api', 'api')],
    [`${root}/workers/api.yaml`, deploymentManifest('api', 'api')],
  ]);
}

describe('incremental analysis', () => {
  it('equals a from-scratch analysis over random edits of plain files and kustomize builds that refer to each other', () => {
    run(plainFilesAndBuilds(), 20261202, 300, 1);
  });

  it('equals a from-scratch analysis over random edits of references near templated documents', () => {
    run(referencesNearTemplates(), 20261204, 300, 1);
  });

  it('equals a from-scratch analysis over random edits of many-document files that overlays build', () => {
    run(overlaysOfManyDocuments(), 20261203, 300, 1);
  });

  it('equals a from-scratch analysis over random edits of a duplicate-heavy workspace', () => {
    run(duplicateHeavy(), 20261202, 200, 1);
  });

  it('equals a from-scratch analysis over random edits of a generated workspace', () => {
    const directory = generateWorkspace(60, 'incremental');
    run(new Map(readTree(directory)), 20261123, 400, 1);
  });

  it('equals a from-scratch analysis over random edits of the examples', () => {
    run(new Map(readTree(join(REPO_ROOT, 'examples'))), 7, 300, 1);
  });

  it('equals a from-scratch analysis over random edits of every kind family, operators, charts, patches and samples', () => {
    run(new Map(readTree(join(REPO_ROOT, 'test', 'fixtures', 'workspaces', 'kinds'))), 20261201, 500, 1);
  });

  it('equals a from-scratch analysis after a configuration change', () => {
    const files = new Map(readTree(join(REPO_ROOT, 'examples')));
    const workspace = fresh(files);
    workspace.setConfig({ defaultNamespace: 'shop', rules: { 'service-ports-invalid': 'off', 'service-selector-no-match': 'error' } });
    const scratch = new TestHost({ defaultNamespace: 'shop', rules: { 'service-ports-invalid': 'off', 'service-selector-no-match': 'error' } });
    scratch.setFiles([...files]);
    assert.deepEqual(snapshot(workspace), snapshot(scratch));
    assert.ok(workspace.allFindings().every((finding) => finding.ruleId !== 'service-ports-invalid'));
  });

  it('judges a backend by the first of two Services of one name in file order, whichever was edited last', () => {
    const service = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  selector:\n    app: db\n  ports: ${ports}\n`;
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: edge\nspec:\n  defaultBackend:\n    service:\n      name: db\n      port:\n        number: 5432\n';
    const text = (first: string) => [ingress, service(first), service('[{port: 80}]')].join('---\n');
    const workspace = new TestHost();
    workspace.setFile('all.yaml', text('[{port: 81}]'));
    // Editing the first Service adds it again, after the second.
    workspace.setFile('all.yaml', text('[{port: 82}]'));
    const scratch = new TestHost();
    scratch.setFile('all.yaml', text('[{port: 82}]'));
    assert.deepEqual(workspace.findings('all.yaml'), scratch.findings('all.yaml'));
    assert.ok(workspace.findings('all.yaml').some((finding) => finding.message.includes('its ports: 82/TCP')), JSON.stringify(workspace.findings('all.yaml').map((finding) => finding.message)));
  });
});
