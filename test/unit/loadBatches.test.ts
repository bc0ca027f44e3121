/**
 * A load handed over in batches (`Change.more`, as the server's scan does) ends in the same
 * analysis as the same files given at once, and kustomize overlays are built once, after the
 * last batch, not for every batch that brings one of their files.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost, type Snapshot } from '../../server/src/engine/workspace';
import { readTree, REPO_ROOT } from '../support/paths';

function results(snapshot: Snapshot): string {
  const findings = snapshot.fileIds().map((fileId) => [fileId, snapshot.findings(fileId), snapshot.skipped(fileId)]);
  return JSON.stringify({ scopes: snapshot.scopes.length, findings, reports: snapshot.serviceReports(), preview: snapshot.trafficPreview({ scope: 'workspace' }) });
}

describe('a load in batches', () => {
  for (const folder of ['examples', join('test', 'fixtures', 'kustomize')]) {
    it(`ends as the same files given at once: ${folder}`, () => {
      const files = readTree(join(REPO_ROOT, folder));
      const atOnce = new AnalysisHost();
      atOnce.applyChange({ files: files.map(([fileId, text]) => ({ fileId, text })) });
      assert.ok(atOnce.snapshot().scopes.length > 1, 'the folder has kustomize overlays');

      const batched = new AnalysisHost();
      for (let start = 0; start < files.length; start += 3) {
        const batch = files.slice(start, start + 3);
        const last = start + 3 >= files.length;
        batched.applyChange({ files: batch.map(([fileId, text]) => ({ fileId, text })), more: !last });
        if (!last) assert.equal(batched.snapshot().scopes.length, 1, 'no overlay is built before the last batch');
      }
      assert.equal(results(batched.snapshot()), results(atOnce.snapshot()));
    });
  }

  it('a file changed twice in one load counts with its last change; a file removed in it is gone', () => {
    const kustomization = ['app/kustomization.yaml', 'resources: [service.yaml, deployment.yaml]\nnamespace: shop\n'] as const;
    const service = (app: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: ${app}}\n  ports: [{port: 80}]\n`;
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: web, ports: [{containerPort: 80}]}]}\n';
    const host = new AnalysisHost();
    host.applyChange({ files: [{ fileId: kustomization[0], text: kustomization[1] }, { fileId: 'app/service.yaml', text: service('wbe') }], more: true });
    host.applyChange({ files: [{ fileId: 'app/deployment.yaml', text: deployment }, { fileId: 'app/extra.yaml', text: service('gone') }], more: true });
    host.applyChange({ files: [{ fileId: 'app/service.yaml', text: service('web') }, { fileId: 'app/extra.yaml', removed: true }] });
    const snapshot = host.snapshot();
    assert.equal(snapshot.scopes.length, 2);
    assert.deepEqual(snapshot.findings('app/service.yaml'), []);
    assert.deepEqual(snapshot.fileIds().includes('app/extra.yaml'), false);
  });
});
