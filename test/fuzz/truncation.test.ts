/**
 * Half-typed files: a manifest cut at every offset, inside a universe with the other examples,
 * updated incrementally one length after another. Nothing throws, every span stays inside the
 * shorter text, and the incremental result equals a from-scratch analysis.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { TestHost } from '../support/testHost';
import { REPO_ROOT, readTree } from '../support/paths';
import { checkWorkspace, describeProblems } from './runCase';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** How often (in offsets) the incremental result is compared with a fresh Workspace. */
const SCRATCH_EVERY = 64;

/** How often hovers and previews are probed (they cost far more than checking findings). */
const PROBE_EVERY = 8;

function exampleText(relative: string): string {
  return fs.readFileSync(path.join(EXAMPLES, relative), 'utf8');
}

/** The documents of a YAML file as one JSON `List`. */
function asJsonList(text: string): string {
  const items = parseAllDocuments(text).map((document) => document.toJS() as unknown);
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
}

/** The documents re-written with anchors: a Service selector and its template labels share one map. */
function withAnchors(): string {
  const labels = { app: 'anchored', tier: 'web' };
  const ports = [{ name: 'http', containerPort: 8080 }];
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'anchored', namespace: 'shop' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 'http' }] } };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'anchored', namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', ports }, { name: 'side', ports }] } } },
  };
  return stringify({ apiVersion: 'v1', kind: 'List', items: [service, deployment] });
}

const CASES: readonly { readonly name: string; readonly text: () => string }[] = [
  { name: 'shop/api.yaml', text: () => exampleText('shop/api.yaml') },
  { name: 'shop-staging/web.yaml', text: () => exampleText('shop-staging/web.yaml') },
  { name: 'shop/web.yaml as CRLF with a byte order mark', text: () => '\ufeff' + exampleText('shop/web.yaml').replace(/\n/g, '\r\n') },
  { name: 'shop/db.yaml as a JSON List', text: () => asJsonList(exampleText('shop/db.yaml')) },
  { name: 'a List with anchors and aliases', text: withAnchors },
];

describe('a manifest truncated at every offset', () => {
  const examples = readTree(EXAMPLES).map(([relative, text]) => [`file:///examples/${relative}`, text] as const);

  for (const { name, text: read } of CASES) {
    it(name, () => {
      const full = read();
      const fileId = 'file:///examples/truncated.yaml';
      const texts = new Map<string, string>(examples);
      const workspace = new TestHost();
      workspace.setFiles(examples);
      let findingsSeen = 0;
      for (let length = 0; length <= full.length; length++) {
        const text = full.slice(0, length);
        texts.set(fileId, text);
        const changed = workspace.setFile(fileId, text);
        assert.ok(changed.includes(fileId), `setFile did not return the file at length ${length}`);
        // Findings everywhere at every length; hovers and previews at every eighth.
        const probed = length % PROBE_EVERY === 0 ? [fileId] : [];
        const problems = checkWorkspace(workspace, texts, probed, { lspPositions: true, fromScratch: length % SCRATCH_EVERY === 0 || length === full.length });
        assert.deepEqual(problems, [], `at length ${length}:\n${describeProblems(problems)}`);
        findingsSeen += workspace.findings(fileId).length;
      }
      // The cuts are not all empty or broken: the full text and many prefixes are analysed.
      assert.ok(findingsSeen > 0 || workspace.serviceReports().some((report) => report.fileId === fileId), 'the truncated file was never analysed');
    });
  }
});
