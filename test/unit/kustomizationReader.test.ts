/**
 * The two kustomization readers agree: a plain kustomization is read by the block extractor
 * (`readPlainKustomization`), any other by the `yaml` library (`readKustomizationWithYaml`), and
 * `readKustomization` must give what the `yaml` library alone gives. Inputs: every kustomization
 * of the fixtures, the examples, the shared corpus and cases, 120 generated roots, and hand-written
 * texts for each way the fast path must step aside.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readKustomization, readKustomizationWithYaml, readPlainKustomization, type Kustomization } from '../../server/src/engine/kustomize/kustomization';
import { generateRoots } from '../support/kustomizeGenerator';

const NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function kustomizationFiles(root: string, out: string[] = []): string[] {
  if (!existsSync(root)) return out;
  for (const name of readdirSync(root)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(root, name);
    if (statSync(path).isDirectory()) kustomizationFiles(path, out);
    else if (NAMES.has(name)) out.push(path);
  }
  return out;
}

/** A kustomization as plain data: each inline patch's offset map sampled at its ends and middle. */
function comparable(kustomization: Kustomization): unknown {
  return JSON.parse(
    JSON.stringify(kustomization, (key, value: unknown) => {
      if (key !== 'inline' || value === undefined) return value;
      const inline = value as { text: string; map(offset: number): number; span: unknown };
      const samples = [0, 1, inline.text.length >> 1, inline.text.length - 1, inline.text.length].map((offset) => inline.map(offset));
      return { text: inline.text, span: inline.span, samples };
    }),
  ) as unknown;
}

function assertAgree(fileId: string, text: string): void {
  assert.deepEqual(comparable(readKustomization(fileId, text)), comparable(readKustomizationWithYaml(fileId, text)), fileId);
}

test('every kustomization of the fixtures, examples, corpus, cases and generated roots reads the same through both readers', () => {
  const generated = mkdtempSync(join(tmpdir(), 'service-lens-kustomization-'));
  try {
    generateRoots(generated, 120);
    const files = [...['test/fixtures', 'examples', '../shared/corpus', '../shared/cases'].flatMap((root) => kustomizationFiles(root)), ...kustomizationFiles(generated)];
    let plain = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assertAgree(file, text);
      if (readPlainKustomization(file, text) !== undefined) plain++;
    }
    assert.ok(files.length >= 130, `${files.length} kustomization files`);
    // Most real kustomizations are plain: the fast path must be the one that reads them.
    assert.ok(plain >= files.length / 2, `${plain} of ${files.length} read by the block extractor`);
  } finally {
    rmSync(generated, { recursive: true, force: true });
  }
});

const PLAIN: Record<string, string> = {
  'every field the builder reads': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop   # a comment
namePrefix: prod-
nameSuffix: "-v2"
resources:
- deployment.yaml
- 'service.yaml'
- ../base
bases: [../legacy]
components:
  - ../components/tls
commonLabels:
  app: web
  "tier": front
labels:
- pairs:
    team: payments
  includeSelectors: true
  includeTemplates: false
  fields:
  - path: spec/selector
    kind: Service
    create: true
patches:
- path: patch.yaml
  target:
    kind: Deployment
    name: web
    labelSelector: "app=web"
patchesStrategicMerge:
- replicas.yaml
- '{"kind": "Deployment", "metadata": {"name": "web"}}'
patchesJson6902:
- target: {group: apps, version: v1, kind: Deployment, name: web}
  path: json.yaml
replicas:
- name: web
  count: 3
configMapGenerator:
- name: settings
  literals: [a=b]
vars: []
`,
  'a Component': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [a.yaml]\n',
  'numbers and names that read alike in YAML 1.1 and 1.2': 'namespace: 2024\nnamePrefix: 1-\nresources:\n- 10\n',
  'a flow mapping in a list': 'patchesStrategicMerge:\n- {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}\npatchesJson6902:\n- {target: {kind: Deployment, name: web}, path: p.yaml}\n',
  'line ends CRLF': 'resources:\r\n- a.yaml\r\nnamespace: x\r\n',
  'a leading document marker': '---\nresources:\n- a.yaml\n',
  'a byte order mark at the start': '\ufeffresources:\n- a.yaml\n',
  'empty values': 'namePrefix:\nresources:\ncommonLabels:\n  app:\n',
};

const YAML_ONLY: Record<string, string> = {
  'an inline patch in a block scalar': 'patches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 2\n',
  'a strategic-merge patch inline in a block scalar': 'patchesStrategicMerge:\n- |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n',
  'a YAML 1.1 boolean': 'labels:\n- pairs: {a: b}\n  includeSelectors: yes\n',
  'an octal-looking number': 'namespace: 0123\n',
  'a hexadecimal number': 'nameSuffix: 0x1F\n',
  'a float': 'namespace: 1.5\n',
  'a null': 'namespace: ~\n',
  'a key YAML 1.1 types': 'commonLabels:\n  on: x\n',
  'an unknown root key YAML 1.1 types': 'yes: 1\nresources: [a.yaml]\n',
  'an anchor and an alias': 'commonLabels: &l\n  app: web\nlabels:\n- pairs: *l\n',
  'a duplicate key': 'namespace: a\nnamespace: b\n',
  'two documents': 'resources: [a.yaml]\n---\nresources: [b.yaml]\n',
  'a document marker at the end': 'resources: [a.yaml]\n---\n',
  'two leading document markers': '---\n---\nresources: [a.yaml]\n',
  'a document end marker': 'resources: [a.yaml]\n...\n',
  'a byte order mark past the first line': '# head\n\ufeffnamespace: shop\n',
  'a root that is not a mapping': '- a.yaml\n',
  'not YAML': 'resources: [a.yaml\n',
  'an empty file': '',
  'a multi-line plain scalar': 'namespace: a\n  b\n',
};

test('plain kustomizations are read by the block extractor, with the yaml library\'s result', () => {
  for (const [name, text] of Object.entries(PLAIN)) {
    assert.notEqual(readPlainKustomization('k/kustomization.yaml', text), undefined, name);
    assertAgree(`k/kustomization.yaml (${name})`, text);
  }
});

test('every other kustomization is left to the yaml library', () => {
  for (const [name, text] of Object.entries(YAML_ONLY)) {
    assert.equal(readPlainKustomization('k/kustomization.yaml', text), undefined, name);
    assertAgree(`k/kustomization.yaml (${name})`, text);
  }
});

test('flags read as kustomize decodes them: YAML 1.1, so a plain yes or on is true', () => {
  const text = 'labels:\n- pairs: {team: shop}\n  includeSelectors: yes\n  includeTemplates: On\n  fields:\n  - path: spec/selector\n    create: y\n- pairs: {tier: web}\n  includeSelectors: "yes"\n  includeTemplates: no\n';
  const read = readKustomization('k/kustomization.yaml', text);
  assert.deepEqual(
    read.labels.map((entry) => [entry.includeSelectors, entry.includeTemplates, entry.fields.map((spec) => spec.create)]),
    [
      [true, true, [true]],
      [false, false, []],
    ],
  );
});
