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
