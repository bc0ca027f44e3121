/**
 * A file a kustomize overlay builds keeps its editor features: its objects are the overlay's built
 * copies, whose spans name the file they were written in, and the code lenses, the outline and
 * the cursor targets treat those spans as the file's own.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { codeLenses } from '../../server/src/engine/features/codeLens';
import { documentSymbols } from '../../server/src/engine/features/symbols';
import { targetAt } from '../../server/src/engine/features/targets';
import { AnalysisHost } from '../../server/src/engine/workspace';

const ROOT = 'file:///w/app';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector:
    app: web
  ports: [{port: 80, targetPort: 8080}]
`;

describe('a file built by a kustomize overlay', () => {
  const host = new AnalysisHost();
  host.applyChange({
    files: [
      { fileId: `${ROOT}/kustomization.yaml`, text: 'resources: [web.yaml]\nnamespace: shop\n' },
      { fileId: `${ROOT}/web.yaml`, text: MANIFEST },
    ],
  });
  const snapshot = host.snapshot();
  const fileId = `${ROOT}/web.yaml`;

  it('is analysed in the overlay scope', () => {
    assert.equal(snapshot.scopeOfFile(fileId).id, `${ROOT}/kustomization.yaml`);
    assert.ok(snapshot.objectsOf(fileId).every((object) => object.namespace === 'shop'));
  });

  it('has code lenses on its Service and its template', () => {
    assert.deepEqual(codeLenses(snapshot, fileId).map((lens) => lens.title), ['routed by web:80', '1 workload · ports 80→8080 ✓']);
  });

  it('has an outline', () => {
    assert.deepEqual(documentSymbols(snapshot, fileId).map((symbol) => symbol.name), ['Deployment web', 'Service web']);
  });

  it('has cursor targets: the selector pair', () => {
    const offset = MANIFEST.indexOf('app: web', MANIFEST.indexOf('kind: Service')) + 6;
    assert.equal(targetAt(snapshot, fileId, offset)?.kind, 'selector-pair');
  });
});

describe('a selector pair a kustomize patch wrote', () => {
  const base = `${ROOT}/base`;
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n';
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: web}]}\n';
  const inline = 'resources:\n  - ../base\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Service\n      metadata:\n        name: web\n      spec:\n        selector:\n          extra: "yes"\n          app: api\n';

  function findingsOf(kustomization: string): { fileId: string; text: string; line: number }[] {
    const host = new AnalysisHost();
    const files: Record<string, string> = {
      [`${base}/kustomization.yaml`]: 'resources: [service.yaml, deployment.yaml]\n',
      [`${base}/service.yaml`]: service,
      [`${base}/deployment.yaml`]: deployment,
      [`${ROOT}/top/kustomization.yaml`]: kustomization,
    };
    host.applyChange({ files: Object.entries(files).map(([fileId, text]) => ({ fileId, text })) });
    const snapshot = host.snapshot();
    return snapshot.allFindings()
      .filter((finding) => finding.ruleId === 'service-selector-no-match')
      .map((finding) => ({ fileId: finding.fileId, text: files[finding.fileId]!.slice(finding.span.start, finding.span.end), line: snapshot.positionAt(finding.fileId, finding.span.start).line }));
  }

  it('is reported where the patch wrote it, not at an offset of the patch in the base file', () => {
    // The key `app` is the base's, its value the patch's: the pair is where the value was written.
    const findings = findingsOf(inline);
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.equal(findings[0]!.fileId, `${ROOT}/top/kustomization.yaml`);
    assert.match(findings[0]!.text, /^(extra: "yes"|api)$/);
    assert.ok(findings[0]!.line >= 10, `on a line of the inline patch: ${JSON.stringify(findings)}`);
  });
});
