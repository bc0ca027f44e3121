/**
 * Plain scalars as kustomize reads them (kustomize/kyamlScalars.ts) against the real
 * `kubectl kustomize` (kustomize v5.7.1): every word below is written as a plain label value of a
 * base, built by kubectl, and the type and value kubectl emits (read back as YAML 1.2, in which
 * kustomize's output is unambiguous: it quotes every string YAML 1.1 would read otherwise) must be
 * what `kyamlPlainValue` gives. Then the engine: an overlay of a base with `tier: on` links its
 * Service and reports no `labels-invalid` where the same file read alone is refused.
 * Needs `node scripts/setup/index.mjs 40-k8s-tools`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { kyamlPlainValue } from '../../server/src/engine/kustomize/kyamlScalars';
import { AnalysisHost } from '../../server/src/engine/workspace';
import { REPO_ROOT } from '../support/paths';

const KUBECTL = join(REPO_ROOT, 'tools/k8s/bin/kubectl');

/** Plain scalars YAML 1.1 and YAML 1.2 read in different ways, and their neighbours. (JSON cannot carry `.inf` and `.nan`, so kubectl cannot emit them.) */
const WORDS = [
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF'],
  ...['true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~'],
  ...['0', '-0', '+12', '12', '0123', '08', '0o17', '-0o17', '0O17', '0b101', '0B101', '+0b1', '0x1F', '-0x1F', '0X1f', '0x_1F', '1_000', '1__0', '_1'],
  ...['1.5', '1.', '.5', '-.5', '1e3', '1E3', '1e+3', '1.5e-3', '1_000.5', '1:20', '-1:20', '190:20:30', '1:20.5', '12e', '0xG', '1-2', '+', '.'],
  // Timestamps: go-yaml v3 reads them as times, which kustomize writes in RFC 3339 form.
  ...['2024-01-15', '2024-1-5', '2024-02-29', '2023-02-29', '2024-02-30', '2024-13-01', '0099-01-01', '12024-01-01', '2024-01-15x'],
  ...['2024-01-15T10:00:00Z', '2001-12-14t21:59:43.10-05:00', '2024-01-15T10:00:00+00:00', '2024-01-15T10:00:00-00:30', '2024-01-15T10:00:00,5Z', '2024-01-15T10:00:00.000Z'],
  ...['2024-01-15T10:00:00.1234567891Z', '2024-01-15T1:2:3Z', '2024-1-5 7:8:9', '2024-01-15 10:00:00.5', '2024-01-15T24:00:00Z', '2024-01-15T10:00Z', '2024-01-15 10:00:00 Z', '2024-01-15T10:00:00'],
];

test('kyaml reads plain scalars as kubectl kustomize does', { skip: existsSync(KUBECTL) ? false : 'kubectl is not installed (node scripts/setup/index.mjs 40-k8s-tools)' }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'service-lens-kyaml-'));
  try {
    const labels = WORDS.map((word, index) => `    k${index}: ${word}`).join('\n');
    writeFileSync(join(folder, 'kustomization.yaml'), 'resources:\n- service.yaml\n');
    writeFileSync(join(folder, 'service.yaml'), `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n${labels}\nspec:\n  ports:\n  - port: 80\n`);
    const built = spawnSync(KUBECTL, ['kustomize', folder], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const [document] = parseAllDocuments(built.stdout);
    const emitted = (document!.toJS() as { metadata: { labels: Record<string, unknown> } }).metadata.labels;
    const differences: string[] = [];
    WORDS.forEach((word, index) => {
      const expected = emitted[`k${index}`] ?? null;
      const got = kyamlPlainValue(word);
      if (!Object.is(got, expected)) differences.push(`${word}: kubectl ${JSON.stringify(expected)} (${typeof expected}), kyamlPlainValue ${JSON.stringify(got)} (${typeof got})`);
    });
    assert.deepEqual(differences, []);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('special floats kubectl cannot print', () => {
  assert.equal(kyamlPlainValue('.inf'), Infinity);
  assert.equal(kyamlPlainValue('-.Inf'), -Infinity);
  assert.ok(Number.isNaN(kyamlPlainValue('.NaN')));
  assert.equal(kyamlPlainValue('.nAn'), '.nAn');
});

const BASE_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    tier: on
spec:
  selector:
    tier: on
  ports:
  - port: 80
    targetPort: 8080
`;
const BASE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      tier: on
  template:
    metadata:
      labels:
        tier: on
        canary: True
        build: !!str 1
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
`;

function findings(files: Record<string, string>): string[] {
  const host = new AnalysisHost();
  host.applyChange({ files: Object.entries(files).map(([path, text]) => ({ fileId: `file:///ws/${path}`, text })) });
  const snapshot = host.snapshot();
  return snapshot
    .allFindings()
    .map((finding) => `${finding.ruleId} ${finding.fileId.replace('file:///ws/', '')}:${snapshot.positionAt(finding.fileId, finding.span.start).line + 1}`)
    .sort();
}

test('a base built by kustomize has the label types kyaml reads; the same file read alone has YAML 1.1 types', () => {
  const base = { 'base/service.yaml': BASE_SERVICE, 'base/deployment.yaml': BASE_DEPLOYMENT };
  // Read alone (kubectl apply -f): `on` is a boolean, and the API server refuses every one of these labels.
  assert.deepEqual(findings(base), [
    'labels-invalid base/deployment.yaml:12',
    'labels-invalid base/deployment.yaml:13',
    'labels-invalid base/deployment.yaml:8',
    'labels-invalid base/service.yaml:6',
    'labels-invalid base/service.yaml:9',
  ]);
  // Built by an overlay (kubectl apply -k): `on` is the string "on"; `True` is still a boolean; a tag decides.
  const overlay = { ...base, 'base/kustomization.yaml': 'resources:\n- service.yaml\n- deployment.yaml\n', 'prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\n' };
  assert.deepEqual(findings(overlay), ['labels-invalid base/deployment.yaml:13']);
  // Patches: kyaml reads a strategic-merge patch (`0123` is 83, `n` text); kustomize turns a JSON
  // patch into JSON with sigs.k8s.io/yaml, YAML 1.1 (`value: yes` is true).
  const patched = findings({
    ...overlay,
    'prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\npatches:\n- path: labels.yaml\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/metadata/labels/json\n      value: yes\n',
    'prod/labels.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        smp: 0123\n        short: n\n',
  });
  assert.deepEqual(patched, ['labels-invalid base/deployment.yaml:13', 'labels-invalid prod/kustomization.yaml:11', 'labels-invalid prod/labels.yaml:9']);
});

test('kubectl kustomize agrees on the patch values above', { skip: existsSync(KUBECTL) ? false : 'kubectl is not installed (node scripts/setup/index.mjs 40-k8s-tools)' }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'service-lens-kyaml-'));
  try {
    writeFileSync(join(folder, 'deployment.yaml'), BASE_DEPLOYMENT);
    writeFileSync(join(folder, 'labels.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        smp: 0123\n        short: n\n');
    writeFileSync(join(folder, 'kustomization.yaml'), 'resources:\n- deployment.yaml\npatches:\n- path: labels.yaml\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/metadata/labels/json\n      value: yes\n');
    const built = spawnSync(KUBECTL, ['kustomize', folder], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const labels = (parseAllDocuments(built.stdout)[0]!.toJS() as { spec: { template: { metadata: { labels: Record<string, unknown> } } } }).spec.template.metadata.labels;
    assert.deepEqual(labels, { tier: 'on', canary: true, build: '1', smp: 83, short: 'n', json: true });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
