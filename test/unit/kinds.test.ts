/**
 * Kind fixtures: one folder per kind module of server/src/engine/kinds (plus `assumed` for
 * undeclared kinds and `podTemplatePaths` for the setting), each with `quiet.yaml` (Services that
 * select Pods through every template path and controller label of the kind) and `fires.yaml`
 * (selectors the kind's Pods can never satisfy). The format is the rule fixtures' (fixtureHarness.ts);
 * `UPDATE_FIXTURES=1` rewrites the caret lines.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KindSpec } from '../../server/src/engine/kinds/kind';
import { analyse, parseFixture, rewriteFixture, type ExpectedFinding } from './fixtureHarness';
import { TestHost } from '../support/testHost';

const FIXTURES = join(__dirname, '..', 'fixtures', 'kinds');
const KIND_MODULES = join(__dirname, '..', '..', 'server', 'src', 'engine', 'kinds');
const update = process.env['UPDATE_FIXTURES'] === '1';

/** Folders that are not kind modules: undeclared kinds and the `podTemplatePaths` setting. */
const EXTRA_FOLDERS = ['assumed', 'podTemplatePaths'];

/** Rules that say a Service or workload selects no Pods: none may fire in a quiet fixture. */
const SELECTION_RULES = ['service-selector-no-match', 'service-selector-other-namespace', 'workload-selector-mismatch'];

function key(finding: ExpectedFinding): string {
  return `${finding.file}:${finding.line + 1}:${finding.startColumn}-${finding.endColumn} ${finding.severity} ${finding.ruleId}`;
}

function isKindSpec(value: unknown): value is KindSpec {
  return typeof value === 'object' && value !== null && 'kind' in value && 'shape' in value && 'group' in value;
}

/** The kind modules (file names without `.ts`) that declare at least one kind whose Pods are known: a workload (Pod templates) or an operated custom resource. */
async function workloadModules(): Promise<string[]> {
  const modules: string[] = [];
  for (const file of readdirSync(KIND_MODULES).sort()) {
    if (!file.endsWith('.ts') || file === 'kind.ts' || file === 'registry.ts') continue;
    const exports = (await import(join(KIND_MODULES, file))) as Record<string, unknown>;
    const declares = Object.values(exports).some(
      (value) => Array.isArray(value) && value.some((spec) => isKindSpec(spec) && (spec.shape === 'workload' || spec.shape === 'operated')),
    );
    if (declares) modules.push(file.slice(0, -'.ts'.length));
  }
  return modules;
}

describe('kind fixtures', () => {
  const folders = existsSync(FIXTURES) ? readdirSync(FIXTURES).sort() : [];

  it('has a folder with fires.yaml and quiet.yaml for every kind module with workloads', async () => {
    const modules = await workloadModules();
    assert.ok(modules.length >= 9, `found only ${modules.join(', ')}`);
    for (const name of [...modules, ...EXTRA_FOLDERS]) {
      for (const file of ['fires.yaml', 'quiet.yaml']) {
        assert.ok(existsSync(join(FIXTURES, name, file)), `test/fixtures/kinds/${name}/${file} is missing`);
      }
    }
    for (const folder of folders) assert.ok([...modules, ...EXTRA_FOLDERS].includes(folder), `test/fixtures/kinds/${folder} names no kind module`);
  });

  for (const folder of folders) {
    for (const name of ['fires.yaml', 'quiet.yaml']) {
      const path = join(FIXTURES, folder, name);
      if (!existsSync(path)) continue;
      it(`${folder}/${name}`, () => {
        const fixture = parseFixture(readFileSync(path, 'utf8'));
        const { findings } = analyse(fixture);
        if (update) {
          rewriteFixture(path, fixture, findings);
          return;
        }
        assert.deepEqual(findings.map(key).sort(), fixture.expected.map(key).sort());
        for (const expected of fixture.expected) {
          const actual = findings.find((finding) => key(finding) === key(expected));
          assert.ok(actual?.message.startsWith(expected.message), `${key(expected)}\n  expected: ${expected.message}\n  actual:   ${actual?.message}`);
        }
        if (name === 'quiet.yaml') {
          const loud = findings.filter((finding) => SELECTION_RULES.includes(finding.ruleId));
          assert.deepEqual(loud.map(key), [], `${folder}/${name} must select Pods everywhere`);
        } else {
          assert.ok(findings.some((finding) => finding.ruleId === 'service-selector-no-match'), `${folder}/${name} must fire service-selector-no-match`);
        }
      });
    }
  }
});

describe('service reports', () => {
  const deployment = (name: string, app: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers: [{name: ${name}, image: ${name}, ports: [{containerPort: 80}]}]
`;
  const service = (name: string, selector: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {${selector}}, ports: [{port: 80}]}
`;

  it('marks the template of an undeclared kind as assumed', () => {
    const host = new TestHost();
    host.setFiles([
      [
        'app/shop.yaml',
        `apiVersion: example.com/v1
kind: WebApp
metadata: {name: shop}
spec:
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers: [{name: shop, image: shop, ports: [{containerPort: 80}]}]
---
${service('shop', 'app: shop')}---
${deployment('web', 'web')}---
${service('web', 'app: web')}`,
      ],
    ]);
    const reports = host.serviceReports();
    const shop = reports.find((report) => report.name === 'shop');
    assert.deepEqual(shop?.matches.map((match) => [`${match.kind}/${match.name}`, match.assumed]), [['WebApp/shop', true]]);
    const web = reports.find((report) => report.name === 'web');
    assert.deepEqual(web?.matches.map((match) => [`${match.kind}/${match.name}`, match.assumed ?? false]), [['Deployment/web', false]]);
  });

  it('names the custom resource that owns operator-made Pods', () => {
    const host = new TestHost();
    host.setFiles([
      [
        'data/db.yaml',
        `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: pg-main, namespace: data}
spec: {instances: 3}
---
apiVersion: v1
kind: Service
metadata: {name: pg-main-rw, namespace: data}
spec: {selector: {cnpg.io/cluster: pg-main, cnpg.io/instanceRole: primary}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: pg-typo, namespace: data}
spec: {selector: {cnpg.io/cluster: pg-mian}, ports: [{port: 5432}]}
`,
      ],
    ]);
    const reports = host.serviceReports();
    const owned = reports.find((report) => report.name === 'pg-main-rw');
    assert.equal(owned?.matches.length, 0);
    assert.deepEqual(owned?.owner && [owned.owner.kind, owned.owner.name, owned.owner.apiVersion, owned.owner.fileId], ['Cluster', 'pg-main', 'postgresql.cnpg.io/v1', 'data/db.yaml']);
    const typo = reports.find((report) => report.name === 'pg-typo');
    assert.equal(typo?.owner, undefined);
    assert.deepEqual(
      host.allFindings().map((finding) => finding.ruleId),
      ['service-selector-no-match'],
    );
  });

  it('links to the nearest match in the folder tree and lists the farther ones', () => {
    const host = new TestHost();
    host.setFiles([
      ['samples/vllm/serve.yaml', `${deployment('vllm', 'model-server')}---\n${service('llm', 'app: model-server')}`],
      ['samples/tgi/serve.yaml', `${deployment('tgi', 'model-server')}---\n${service('llm', 'app: model-server')}`],
    ]);
    const reports = host.serviceReports().filter((report) => report.name === 'llm');
    const byFile = new Map(reports.map((report) => [report.fileId, report]));
    const names = (refs: readonly { kind: string; name: string }[] | undefined) => refs?.map((ref) => `${ref.kind}/${ref.name}`);
    assert.deepEqual(names(byFile.get('samples/vllm/serve.yaml')?.matches), ['Deployment/vllm']);
    assert.deepEqual(names(byFile.get('samples/vllm/serve.yaml')?.alsoMatches), ['Deployment/tgi']);
    assert.deepEqual(names(byFile.get('samples/tgi/serve.yaml')?.matches), ['Deployment/tgi']);
    assert.deepEqual(names(byFile.get('samples/tgi/serve.yaml')?.alsoMatches), ['Deployment/vllm']);
  });

  it('podTemplatePaths changed at run time: a file edited before is read whole again with the new paths', () => {
    const widget = readFileSync(join(FIXTURES, 'podTemplatePaths', 'runtime-widget.yaml'), 'utf8');
    const host = new TestHost();
    host.setFile('widget.yaml', widget);
    host.setFile('widget.yaml', widget); // an edit: the host now keeps the text and reads the next one against it
    const rules = () => host.findings('widget.yaml').map((finding) => finding.ruleId);
    assert.deepEqual(rules(), ['service-selector-no-match']);
    host.setConfig({ podTemplatePaths: { 'example.com/Widget': ['spec.podTemplate'] } });
    assert.deepEqual(rules(), [], 'the setting names where the Widget keeps its Pod template');
    host.setConfig({ podTemplatePaths: {} });
    assert.deepEqual(rules(), ['service-selector-no-match'], 'removed, the Widget has no Pod template again');
    host.setConfig({ podTemplatePaths: { 'example.com/Widget': ['spec.nothing'] } });
    assert.deepEqual(rules(), ['service-selector-no-match'], 'a path with nothing there');
  });
});
