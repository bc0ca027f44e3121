/**
 * A change applied in steps (`applyChangeInSteps`, as the server's scan applies its load) ends in
 * the same analysis as the same change applied at once, even with queries between the steps; a
 * change applied while one is in steps first runs the steps left, and the stepped change still
 * hands its Update to its owner.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Scope } from '../../server/src/engine/analysis/scope';
import { AnalysisHost, type Snapshot, type SteppedChange, type Update } from '../../server/src/engine/workspace';
import { readTree, REPO_ROOT } from '../support/paths';

function results(snapshot: Snapshot): string {
  const findings = snapshot.fileIds().map((fileId) => [fileId, snapshot.findings(fileId), snapshot.skipped(fileId)]);
  return JSON.stringify({ scopes: snapshot.scopes.map((scope) => scope.id), findings, reports: snapshot.serviceReports(), preview: snapshot.trafficPreview({ scope: 'workspace' }) });
}

/** Many Services and Deployments in one folder scope, a fifth of them mismatched: enough objects for many steps. */
function manyFiles(count: number): [string, string][] {
  const files: [string, string][] = [];
  for (let index = 0; index < count; index++) {
    const app = `app-${index}`;
    const selected = index % 5 === 0 ? `${app}-typo` : app;
    files.push([
      `/w/apps/${app}.yaml`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${app}, namespace: ns-${index % 7}}\nspec:\n  selector: {app: ${selected}}\n  ports: [{port: 80, targetPort: http}]\n---\n` +
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${app}, namespace: ns-${index % 7}}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec: {containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]}\n`,
    ]);
  }
  return files;
}

describe('a change applied in steps', () => {
  const inputs: [string, () => [string, string][]][] = [
    ['examples', () => readTree(join(REPO_ROOT, 'examples'))],
    ['kustomize fixtures', () => readTree(join(REPO_ROOT, 'test', 'fixtures', 'kustomize'))],
    ['1,000 files in one folder', () => manyFiles(1000)],
    // Over 64 documents: the file itself is read in steps of documents.
    ['1,000 pairs in one file', () => [['/w/all.yaml', manyFiles(1000).map(([, text]) => text).join('---\n')]]],
  ];
  for (const [name, read] of inputs) {
    it(`ends as the change applied at once, with queries between the steps: ${name}`, () => {
      const files = read();
      const change = { files: files.map(([fileId, text]) => ({ fileId, text })) };
      const atOnce = new AnalysisHost();
      atOnce.applyChange(change);

      const stepped = new AnalysisHost();
      const inSteps = stepped.applyChangeInSteps(change);
      let update: Update | undefined;
      let steps = 0;
      while ((update = inSteps.step()) === undefined) {
        steps++;
        // A request between two steps reads what is linked so far, and must not leave anything stale.
        const snapshot = stepped.snapshot();
        const [fileId] = files[(steps * 7) % files.length]!;
        snapshot.findings(fileId);
        snapshot.serviceReports();
      }
      assert.ok(steps > 1, `the change took ${steps} steps`);
      assert.equal(inSteps.step(), update, 'the Update is handed out again');
      assert.deepEqual(update.changedFiles, files.map(([fileId]) => fileId).sort());
      assert.equal(results(stepped.snapshot()), results(atOnce.snapshot()));
    });
  }

  it('a change applied meanwhile runs the steps left first; the stepped change keeps its Update', () => {
    const files = manyFiles(300);
    const host = new AnalysisHost();
    const inSteps = host.applyChangeInSteps({ files: files.map(([fileId, text]) => ({ fileId, text })) });
    assert.equal(inSteps.step(), undefined);
    assert.equal(inSteps.step(), undefined);
    // An edit arrives between two steps: the Service of app-1 now selects nothing.
    const [fileId, text] = files[1]!;
    const edited = text.replace('selector: {app: app-1}', 'selector: {app: app-1-gone}');
    const edit = host.applyChange({ files: [{ fileId, text: edited }] });
    assert.ok(edit.changedFiles.includes(fileId));
    const update = inSteps.step();
    assert.ok(update !== undefined, 'the steps left ran with the edit');
    assert.equal(update.changedFiles.length, files.length);

    const atOnce = new AnalysisHost();
    atOnce.applyChange({ files: files.map(([id, content]) => ({ fileId: id, text: id === fileId ? edited : content })) });
    assert.equal(results(host.snapshot()), results(atOnce.snapshot()));
    assert.ok(host.snapshot().findings(fileId).some((finding) => finding.ruleId === 'service-selector-no-match'));
  });

  it('a step that throws ends the change: step() throws again, and the next change is applied', () => {
    const files = manyFiles(100);
    const host = new AnalysisHost();
    const original = Scope.prototype.resetSteps;
    Scope.prototype.resetSteps = function* () {
      yield;
      throw new Error('injected link failure');
    };
    let inSteps: SteppedChange | undefined;
    try {
      inSteps = host.applyChangeInSteps({ files: files.map(([fileId, text]) => ({ fileId, text })) });
      assert.throws(() => {
        while (inSteps!.step() === undefined) {
          // until it throws
        }
      }, /injected link failure/);
    } finally {
      Scope.prototype.resetSteps = original;
    }
    assert.throws(() => inSteps!.step(), /injected link failure/);
    const update = host.applyChange({ files: files.map(([fileId, text]) => ({ fileId, text })) });
    assert.equal(update.changedFiles.length, files.length);
    const atOnce = new AnalysisHost();
    atOnce.applyChange({ files: files.map(([fileId, text]) => ({ fileId, text })) });
    assert.equal(results(host.snapshot()), results(atOnce.snapshot()));
  });
});
