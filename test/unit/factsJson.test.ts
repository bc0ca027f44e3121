/**
 * File facts survive their JSON form (the fact cache): an analysis host fed the facts read back
 * from JSON gives the same findings, reports and previews as one fed the texts, and anything that
 * is not what `factsToJson` writes is refused.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { factsFromJson, factsToJson } from '../../server/src/engine/facts/factsJson';
import { readFileFacts } from '../../server/src/engine/facts/fileFacts';
import { AnalysisHost, type FileChange, type Snapshot } from '../../server/src/engine/workspace';
import { readTree, REPO_ROOT } from '../support/paths';

function results(snapshot: Snapshot): string {
  const findings = snapshot.fileIds().map((fileId) => [fileId, snapshot.findings(fileId), snapshot.skipped(fileId)]);
  return JSON.stringify({ findings, reports: snapshot.serviceReports(), preview: snapshot.trafficPreview({ scope: 'workspace' }) });
}

function roundTrip(files: readonly (readonly [string, string])[]): { fromText: AnalysisHost; fromFacts: AnalysisHost; reread: readonly string[] } {
  const fromText = new AnalysisHost();
  fromText.applyChange({ files: files.map(([fileId, text]) => ({ fileId, text })) });
  const changes: FileChange[] = files.map(([fileId]) => {
    const json = factsToJson(fromText.fileFacts(fileId)!);
    assert.ok(json, `${fileId}: facts as JSON`);
    const facts = factsFromJson(JSON.parse(JSON.stringify(json)));
    assert.ok(facts, `${fileId}: facts read back`);
    return { fileId, facts };
  });
  const fromFacts = new AnalysisHost();
  const update = fromFacts.applyChange({ files: changes });
  return { fromText, fromFacts, reread: update.reread };
}

describe('facts as JSON', () => {
  for (const folder of ['examples', join('test', 'fixtures', 'workspaces', 'kinds'), join('test', 'fixtures', 'hostile'), join('test', 'fixtures', 'kustomize')]) {
    it(`an analysis from facts read back from JSON equals one from texts: ${folder}`, () => {
      const files = readTree(join(REPO_ROOT, folder));
      const { fromText, fromFacts, reread } = roundTrip(files);
      // A kustomization's patch list comes from its text: it is asked for again, and so are the
      // texts its build reaches (facts keep no text), until nothing is missing.
      let asked = reread;
      for (let round = 0; asked.length > 0; round++) {
        assert.ok(round < 3, `texts still asked for after ${round} rounds: ${asked.join(', ')}`);
        asked = fromFacts.applyChange({ files: asked.map((fileId) => ({ fileId, text: files.find(([id]) => id === fileId)![1] })) }).reread;
      }
      assert.equal(results(fromFacts.snapshot()), results(fromText.snapshot()));
    });
  }

  it('a kustomization file given as facts is returned to be read again', () => {
    const { reread } = roundTrip([['app/kustomization.yaml', 'resources: [a.yaml]\n'], ['app/a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n']]);
    assert.deepEqual(reread, ['app/kustomization.yaml']);
  });

  it('refuses what factsToJson does not write', () => {
    const json = JSON.parse(JSON.stringify(factsToJson(readFileFacts('# service-lens-disable-next-line x\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}}\n', { podTemplatePaths: {} }))));
    assert.ok(factsFromJson(json));
    const broken = (change: (value: Record<string, unknown>) => void): unknown => {
      const copy = structuredClone(json) as Record<string, unknown>;
      change(copy);
      return copy;
    };
    const objects = (value: Record<string, unknown>) => value['objects'] as Record<string, unknown>[];
    for (const value of [
      null,
      42,
      'facts',
      [],
      {},
      broken((value) => delete value['lines']),
      broken((value) => (value['lines'] = { starts: [1, 0], length: 3 })),
      broken((value) => (value['lines'] = { starts: [0, 999], length: 3 })),
      broken((value) => (value['objects'] = {})),
      broken((value) => (objects(value)[0]!['shape'] = 'pod')),
      broken((value) => (objects(value)[0]!['span'] = { start: 0, end: 1e9 })),
      broken((value) => (objects(value)[0]!['selector'] = 'app=a')),
      broken((value) => (objects(value)[0]!['ports'] = [1])),
      broken((value) => (value['suppressions'] = [[0, 'x']])),
      broken((value) => (value['skipped'] = [{}])),
    ]) {
      assert.equal(factsFromJson(value), undefined, JSON.stringify(value)?.slice(0, 80));
    }
  });

  it('does not write facts holding a number JSON cannot carry', () => {
    const facts = readFileFacts('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n', { podTemplatePaths: {} });
    assert.ok(factsToJson(facts));
    for (const order of [Number.POSITIVE_INFINITY, Number.NaN, -0]) {
      assert.equal(factsToJson({ ...facts, objects: facts.objects.map((object) => ({ ...object, order })) }), undefined, String(order));
    }
  });
});
