/**
 * Real manifests written by others (../shared/corpus): every Service gets the verdict of the
 * corpus tables under the tolerant port rule, at corpus scope and at file scope.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TestHost } from '../support/testHost';
import type { Finding } from '../../server/src/engine/types';
import { corpusRoot, readTree } from '../support/paths';

interface Expectation {
  readonly corpus: string;
  readonly file: string;
  readonly serviceName: string;
  readonly serviceNamespace: string;
  readonly type: string;
  readonly expectTolerant: string;
  readonly expectFileScope: string;
}

const SELECTOR_RULES = new Set(['service-selector-no-match', 'service-selector-other-namespace']);
const PORT_RULES = new Set(['service-target-port-unresolved', 'service-target-port-undeclared', 'service-port-protocol-mismatch']);

function verdict(workspace: TestHost, file: string, name: string, namespace: string): string {
  const report = workspace.serviceReports().find((service) => service.fileId === file && service.name === name && service.namespace === namespace);
  assert.ok(report, `Service ${namespace}/${name} not found in ${file}`);
  if (report.type === 'ExternalName') return 'externalname';
  if (report.selector === null) return 'no-selector';
  const findings = workspace
    .findings(file)
    .filter((finding: Finding) => finding.resource.kind === 'Service' && finding.resource.name === name && finding.resource.namespace === namespace);
  if (findings.some((finding) => SELECTOR_RULES.has(finding.ruleId))) return 'unmatched-selector';
  const serious = findings.filter((finding) => finding.severity === 'error' || finding.severity === 'warning');
  if (serious.some((finding) => PORT_RULES.has(finding.ruleId))) return 'port-mismatch';
  return 'ok';
}

const root = corpusRoot();
const expectations = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Expectation[];
const corpora = [...new Set(expectations.map((expectation) => expectation.corpus))];

/**
 * Rows whose corpus-scope verdict changes by design with monorepo proximity
 * (docs/kubernetes-semantics.md): the table loads the whole repository as one unit, where the
 * guestbook-go Services also match the other guestbook examples' Pods. Linked to the nearest
 * matches in the folder tree, they reach the controllers of their own folder, where the named ports
 * resolve: the per-example-directory verdict the corpus README gives as the authors' intent.
 */
const PROXIMITY_VERDICTS: Readonly<Record<string, string>> = {
  'web/guestbook-go/guestbook-service.yaml guestbook': 'ok',
  'web/guestbook-go/redis-master-service.yaml redis-master': 'ok',
  'web/guestbook-go/redis-replica-service.yaml redis-replica': 'ok',
};

describe('corpus verdicts', () => {
  it('covers every Service of the corpus tables', () => {
    assert.equal(expectations.length, 43);
  });

  for (const corpus of corpora) {
    const files = readTree(join(root, corpus));
    const workspace = new TestHost();
    workspace.setFiles(files);

    it(`${corpus}: corpus scope, tolerant port rule`, () => {
      const rows = expectations.filter((expectation) => expectation.corpus === corpus);
      const actual = rows.map((row) => `${row.file} ${row.serviceName}: ${verdict(workspace, row.file, row.serviceName, row.serviceNamespace)}`);
      const expected = rows.map((row) => `${row.file} ${row.serviceName}: ${PROXIMITY_VERDICTS[`${row.file} ${row.serviceName}`] ?? row.expectTolerant}`);
      assert.deepEqual(actual, expected);
      assert.equal(workspace.serviceReports().length, rows.length, 'every Service of the corpus is in the table');
    });

    it(`${corpus}: file scope`, () => {
      const rows = expectations.filter((expectation) => expectation.corpus === corpus);
      const actual = rows.map((row) => {
        const alone = new TestHost();
        alone.setFiles(files.filter(([file]) => file === row.file));
        return `${row.file} ${row.serviceName}: ${verdict(alone, row.file, row.serviceName, row.serviceNamespace)}`;
      });
      assert.deepEqual(actual, rows.map((row) => `${row.file} ${row.serviceName}: ${row.expectFileScope}`));
    });
  }

  it('GoogleCloudPlatform__microservices-demo: no warning or error anywhere', () => {
    const workspace = new TestHost();
    workspace.setFiles(readTree(join(root, 'GoogleCloudPlatform__microservices-demo')));
    const serious = workspace.allFindings().filter((finding) => finding.severity === 'error' || finding.severity === 'warning');
    assert.deepEqual(serious.map((finding) => `${finding.fileId}: ${finding.message}`), []);
    assert.equal(workspace.allFindings().length, 0);
  });

  it('sixeyed__kiamol: numeric targetPorts against templates without ports are information only', () => {
    const workspace = new TestHost();
    workspace.setFiles(readTree(join(root, 'sixeyed__kiamol')));
    const findings = workspace.allFindings();
    assert.equal(findings.length, 6);
    assert.ok(findings.every((finding) => finding.ruleId === 'service-target-port-undeclared' && finding.severity === 'information'));
  });

  it('kubernetes__examples: guestbook-go links to its own folder; the other examples are farther matches', () => {
    const workspace = new TestHost();
    workspace.setFiles(readTree(join(root, 'kubernetes__examples')));
    assert.deepEqual(workspace.allFindings().map((finding) => `${finding.fileId} ${finding.message}`), []);
    const guestbook = workspace.serviceReports().find((report) => report.fileId === 'web/guestbook-go/guestbook-service.yaml');
    assert.deepEqual(guestbook?.matches.map((match) => `${match.fileId}:${match.kind}/${match.name}`), ['web/guestbook-go/guestbook-controller.yaml:ReplicationController/guestbook']);
    assert.deepEqual(guestbook?.alsoMatches.map((match) => `${match.fileId}:${match.kind}/${match.name}`), [
      'web/guestbook/all-in-one/frontend.yaml:Deployment/frontend',
      'web/guestbook/all-in-one/guestbook-all-in-one.yaml:Deployment/frontend',
      'web/guestbook/frontend-deployment.yaml:Deployment/frontend',
      'web/guestbook/legacy/frontend-controller.yaml:ReplicationController/frontend',
    ]);
  });
});
