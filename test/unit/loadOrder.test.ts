/**
 * What is analysed does not depend on the order files arrive in: a load of many files at once
 * equals the same files sent one by one. In particular a templated document that arrives after an
 * overlay was linked changes the hint of the overlay's Services that match nothing, as it changes
 * the folder scope's (analysis/host.ts `reevaluateUnmatched`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { deploymentManifest, serviceManifest } from '../support/shapes';
import { TestHost } from '../support/testHost';

/**
 * Overlay `a` builds a Service that selects nothing it builds; `a/workers.yaml` sits in the same
 * folder and holds a templated document (an envsubst placeholder in its labels), which only
 * overlay `z` reads. Sixty-six plain files make the load a bulk load (every overlay is rebuilt).
 */
function workspace(): [string, string][] {
  const templated = deploymentManifest('workers', 'web', 8080).replace('app: web\n    spec', 'app: ${APP}\n    spec');
  assert.ok(templated.includes('${APP}'), 'the fixture templates the Pod labels');
  const files: [string, string][] = [
    ['file:///w/a/kustomization.yaml', 'resources:\n- service.yaml\n'],
    ['file:///w/a/service.yaml', serviceManifest('web', 'worker', 8080)],
    ['file:///w/a/workers.yaml', templated],
    ['file:///w/z/kustomization.yaml', 'resources:\n- ../a/workers.yaml\n- api.yaml\n'],
    ['file:///w/z/api.yaml', `${serviceManifest('api', 'api', 8080)}---\n${deploymentManifest('api', 'api', 8080)}`],
  ];
  for (let index = 0; index < 66; index++) {
    files.push([`file:///w/plain/app-${index}.yaml`, `${serviceManifest(`app-${index}`, `app-${index}`, 8080)}---\n${deploymentManifest(`app-${index}`, `app-${index}`, 8080)}`]);
  }
  return files;
}

function findingsOf(host: TestHost): Map<string, readonly Finding[]> {
  return new Map(host.fileIds().map((fileId) => [fileId, host.findings(fileId)]));
}

test('a load of many files analyses them as a load of one file at a time', () => {
  const files = workspace();
  const bulk = new TestHost();
  bulk.setFiles(files);
  const oneByOne = new TestHost();
  for (const [fileId, text] of files) oneByOne.setFile(fileId, text);
  assert.deepEqual(findingsOf(bulk), findingsOf(oneByOne));

  // The templated document in overlay `a`'s folder is known to its Service, whichever came first.
  const service = bulk.findings('file:///w/a/service.yaml').filter((finding) => finding.ruleId === 'service-selector-no-match');
  assert.equal(service.length, 1, JSON.stringify(bulk.findings('file:///w/a/service.yaml')));
  assert.equal(service[0]!.severity, 'information');
  assert.match(service[0]!.message, /may match a templated document of folder a/);

  // And when the templated document goes, the hint goes with it.
  const changed = oneByOne.removeFile('file:///w/a/workers.yaml');
  assert.ok(changed.includes('file:///w/a/service.yaml'), 'the Service whose hint changed is republished');
  const rest = new TestHost();
  rest.setFiles(files.filter(([fileId]) => fileId !== 'file:///w/a/workers.yaml'));
  assert.deepEqual(findingsOf(oneByOne), findingsOf(rest));
  assert.equal(rest.findings('file:///w/a/service.yaml').find((finding) => finding.ruleId === 'service-selector-no-match')?.severity, 'warning');
});
