/**
 * A first build from the host's summaries of its resource files (`KustomizeInputs.documents`):
 * the summary of a read file, and builds that take it giving the same objects and notes as builds
 * that read every file, while reading no tree of an object no step touches. The same comparison
 * runs on every root of the differential test against kubectl (kustomize.differential.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildKustomization, ParseCache, type KustomizeBuild, type KustomizeInputs } from '../../server/src/engine/kustomize';
import { resourceDocumentsOf } from '../../server/src/engine/kustomize/resourceDocuments';
import { readFile } from '../../server/src/engine/syntax/documents';
import { AnalysisHost } from '../../server/src/engine/workspace';
import { comparableBuild, summaryInputs } from '../support/resourceDocuments';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        ports:\n        - name: http\n          containerPort: 8080\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n';

test('the summary of a file: ids as kustomize keys them, or nothing where the build must read the file', () => {
  const text = `${DEPLOYMENT}---\n${SERVICE}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n`;
  const documents = resourceDocumentsOf(readFile(text), text);
  assert.deepEqual(
    documents?.map((document) => ({ index: document.index, id: document.id, root: text.slice(document.span.start, document.span.end).split('\n')[0] })),
    [
      { index: 0, id: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: 'default' }, root: 'apiVersion: apps/v1' },
      { index: 1, id: { group: '', version: 'v1', kind: 'Service', name: 'web', namespace: 'shop' }, root: 'apiVersion: v1' },
    ],
  );
  const unsummed = {
    // kyaml reads `on` as a string, YAML 1.1 as true: the build narrows its own tree.
    'a value kyaml types otherwise': SERVICE.replace('app: web', 'app: on'),
    // The build takes a List's items.
    'a List': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n',
    // The skip note is the build's.
    'a templated document': SERVICE.replace('app: web', 'app: ${APP}'),
  };
  for (const [what, other] of Object.entries(unsummed)) assert.equal(resourceDocumentsOf(readFile(other), other), undefined, what);
});

/** A ParseCache that counts the resource files it is asked to parse. */
class CountingCache extends ParseCache {
  parsed: string[] = [];
  override resourceRoots(fileId: string, text: string, keep?: boolean): ReturnType<ParseCache['resourceRoots']> {
    this.parsed.push(fileId);
    return super.resourceRoots(fileId, text, keep);
  }
}

const FILES: Record<string, string> = {
  '/w/base/app.yaml': `${DEPLOYMENT}---\n${SERVICE}`,
  // kyaml reads `on` as a string: this file has no summary, and is read by every build.
  '/w/base/odd.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: odd\n  labels:\n    tier: on\nspec:\n  selector:\n    app: web\n',
  '/w/base/kustomization.yaml': 'resources:\n- app.yaml\n- odd.yaml\n',
  '/w/aggregate/kustomization.yaml': 'resources:\n- ../base\n',
  '/w/prod/kustomization.yaml': 'resources:\n- ../base\nnamespace: prod\nnamePrefix: prod-\n',
  '/w/twice/kustomization.yaml': 'resources:\n- ../base\n- ../aggregate\n',
  // One base under two others that change it differently: each change is made to a copy of its own.
  '/w/team-a/kustomization.yaml': 'resources:\n- ../base\nnamespace: team-a\nnamePrefix: a-\n',
  '/w/team-b/kustomization.yaml': 'resources:\n- ../base\nnamespace: team-b\nlabels:\n- pairs:\n    tier: b\n  includeSelectors: true\n',
  '/w/diamond/kustomization.yaml': 'resources:\n- ../team-a\n- ../team-b\n',
};

function build(top: string, inputs: KustomizeInputs, cache: ParseCache, keepParses: boolean): KustomizeBuild {
  return buildKustomization(top, inputs, cache, keepParses);
}

test('a build from summaries reads no tree no step needs, and builds what a build that reads the files builds', () => {
  const reading: KustomizeInputs = { text: (fileId) => FILES[fileId] };
  const summed = summaryInputs(reading);
  for (const [top, parsed] of [
    ['/w/aggregate/kustomization.yaml', ['/w/base/odd.yaml']],
    // A transformer reads every object it may change.
    ['/w/prod/kustomization.yaml', ['/w/base/odd.yaml', '/w/base/app.yaml']],
    // Ids of the summary: the second inclusion is the same objects, which kubectl refuses.
    ['/w/twice/kustomization.yaml', ['/w/base/odd.yaml', '/w/base/odd.yaml']],
    ['/w/diamond/kustomization.yaml', ['/w/base/odd.yaml', '/w/base/app.yaml', '/w/base/odd.yaml']],
  ] as const) {
    const cache = new CountingCache(0);
    const fromSummaries = build(top, summed, cache, false);
    assert.deepEqual(cache.parsed, parsed, `${top}: files parsed during the build`);
    const fromFiles = build(top, reading, new ParseCache(0), false);
    assert.deepEqual(comparableBuild(fromSummaries), comparableBuild(fromFiles), top);
    assert.ok(fromFiles.objects.length > 0, top);
  }
  assert.match(build('/w/twice/kustomization.yaml', summed, new ParseCache(0), false).notes[0]?.message ?? '', /Deployment\/web is in the build twice/);
  // A later build (keepParses) reads the files: its kept trees serve the next keystroke.
  const later = new CountingCache();
  build('/w/aggregate/kustomization.yaml', summed, later, true);
  assert.deepEqual(later.parsed, ['/w/base/app.yaml', '/w/base/odd.yaml']);
});

test('the host builds overlays from its summaries: the same findings as when every file is read by the build', () => {
  const files = {
    'file:///w/base/app.yaml': `${DEPLOYMENT}---\n${SERVICE.replace('targetPort: http', 'targetPort: grpc')}`,
    'file:///w/base/kustomization.yaml': 'resources:\n- app.yaml\n',
    'file:///w/dev/kustomization.yaml': 'resources:\n- ../base\n',
    'file:///w/prod/kustomization.yaml': 'resources:\n- ../base\nnamespace: prod\n',
  };
  const entries = Object.entries(files).map(([fileId, text]) => ({ fileId, text }));
  // Pod template paths make the host read with another schema: it keeps no summary, and the builds read every file.
  const findings = (host: AnalysisHost): string[] => {
    host.applyChange({ files: entries });
    return host
      .snapshot()
      .allFindings()
      .map((finding) => `${finding.ruleId} ${finding.fileId} ${finding.span.start} ${finding.message}`)
      .sort();
  };
  const parsed: string[] = [];
  const resourceRoots = ParseCache.prototype.resourceRoots;
  ParseCache.prototype.resourceRoots = function (this: ParseCache, fileId, text, keep) {
    parsed.push(fileId);
    return resourceRoots.call(this, fileId, text, keep);
  };
  let summed: string[];
  let read: string[];
  try {
    summed = findings(new AnalysisHost());
    // dev takes the base as read; prod's namespace reads it.
    assert.deepEqual(parsed, ['file:///w/base/app.yaml']);
    read = findings(new AnalysisHost({ podTemplatePaths: { Widget: ['spec.template'] } }));
    assert.deepEqual(parsed, ['file:///w/base/app.yaml', 'file:///w/base/app.yaml', 'file:///w/base/app.yaml']);
  } finally {
    ParseCache.prototype.resourceRoots = resourceRoots;
  }
  assert.deepEqual(summed, read);
  assert.ok(summed.some((line) => line.startsWith('service-target-port-unresolved')), summed.join('\n'));
});

test('in a load in batches, a file read before any kustomization above it is read by the build', () => {
  const base = 'file:///w/base/app.yaml';
  const files = [
    { fileId: 'file:///w/dev/kustomization.yaml', text: 'resources:\n- ../base\n' },
    { fileId: 'file:///w/base/kustomization.yaml', text: 'resources:\n- app.yaml\n' },
    { fileId: base, text: `${DEPLOYMENT}---\n${SERVICE}` },
    { fileId: 'file:///elsewhere/settings.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n' },
  ];
  const parsedIn = (batches: (typeof files)[]): { parsed: string[]; findings: string[] } => {
    const parsed: string[] = [];
    const resourceRoots = ParseCache.prototype.resourceRoots;
    ParseCache.prototype.resourceRoots = function (this: ParseCache, fileId, text, keep) {
      parsed.push(fileId);
      return resourceRoots.call(this, fileId, text, keep);
    };
    try {
      const host = new AnalysisHost();
      batches.forEach((batch, index) => host.applyChange({ files: batch, more: index < batches.length - 1 }));
      return { parsed, findings: host.snapshot().allFindings().map((finding) => `${finding.ruleId} ${finding.fileId} ${finding.message}`).sort() };
    } finally {
      ParseCache.prototype.resourceRoots = resourceRoots;
    }
  };
  // The server's walk gives a folder's kustomization before its files (lsp/scanner.ts).
  // (A change of one file alone is an edit: the host keeps its text, and its build reads it.)
  const kustomizationsFirst = parsedIn([[files[0]!], [files[1]!], [files[2]!, files[3]!]]);
  assert.deepEqual(kustomizationsFirst.parsed, []);
  const resourceFirst = parsedIn([[files[2]!, files[3]!], [files[0]!, files[1]!]]);
  assert.deepEqual(resourceFirst.parsed, [base]);
  assert.deepEqual(resourceFirst.findings, kustomizationsFirst.findings);
});
