/**
 * A kustomization that kustomize refuses (a field whose YAML 1.1 type its Go field does not take)
 * is refused by the reader too, and one it accepts is not: each text is built by the real
 * `kubectl kustomize` (kustomize v5.7.1) and read by both kustomization readers. A refused one
 * builds no objects and leaves its files to be read as written.
 * Needs `node scripts/setup/index.mjs 40-k8s-tools`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildKustomization, findTops } from '../../server/src/engine/kustomize';
import { readKustomization, readKustomizationWithYaml } from '../../server/src/engine/kustomize/kustomization';
import { REPO_ROOT } from '../support/paths';
import { deploymentManifest, serviceManifest } from '../support/shapes';

/** Fields after `resources: [service.yaml, deployment.yaml]`, and whether kustomize refuses the kustomization. */
const CASES: readonly (readonly [string, boolean])[] = [
  ['namespace: 0123', true],
  ['namespace: yes', true],
  ['namespace: 1.5', true],
  ['namespace: "0123"', false],
  ['namespace: shop', false],
  ['namespace: ~', false],
  ['namespace:', false],
  ['namespace: {a: b}', true],
  ['namePrefix: 12', true],
  ['nameSuffix: -v2', false],
  ['commonLabels:\n  tier: 1', true],
  ['commonLabels:\n  tier: on', true],
  ['commonLabels:\n  tier: "on"', false],
  ['commonLabels:\n  tier:', false],
  ['commonLabels: web', true],
  ['labels:\n- pairs:\n    tier: 2', true],
  ['labels:\n- pairs:\n    tier: two\n  includeSelectors: "true"', true],
  ['labels:\n- pairs:\n    tier: two\n  includeSelectors: yes', false],
  ['replicas:\n- name: web\n  count: "3"', true],
  ['replicas:\n- name: web\n  count: 3', false],
  ['replicas:\n- name: web\n  count: 1.5', true],
  ['replicas:\n- name: 7\n  count: 3', true],
  ['components:\n- 5', true],
  // A tag decides the type, as go-yaml v2 decodes it.
  ['namespace: !!str 0123', false],
  ['namespace: !foo 0123', false],
  ['namespace: ! 0123', false],
  ['namespace: !!int "12"', true],
  ['commonLabels:\n  tier: !!bool "true"', true],
  ['replicas:\n- name: web\n  count: !!int "3"', false],
  ['replicas:\n- name: web\n  count: !!str 3', true],
  // Merge keys bring the named mapping's entries.
  ['commonLabels: &cl\n  tier: web\nlabels:\n- pairs:\n    <<: *cl\n    env: x', false],
  ['commonLabels:\n  <<: {tier: web}', false],
  ['<<: {namespace: shop}', false],
  ['<<: {namespace: 0123}', true],
  ['namespace: shop\n<<: {namespace: 0123}', true],
  ['<<: {namespace: 0123}\nnamespace: shop', false],
  // Unknown fields: kustomize decodes with DisallowUnknownFields, matching names without regard to case.
  // Inside the structs it decodes too.
  ["patches:\n- target: {kind: Service, bogus: 1}\n  patch: '[]'", true],
  ["patches:\n- target: {knd: Service}\n  patch: '[]'", true],
  ["patches:\n- Target: {Kind: Service, Name: web, LabelSelector: 'a=b'}\n  Patch: '[]'", false],
  ["patches:\n- target: {kind: Service}\n  patch: '[]'\n  zzz: 1", true],
  ["patches:\n- target: {kind: Service}\n  patch: '[]'\n  options: {allowNameChange: true}", false],
  ["patchesJson6902:\n- target: {kind: Service, name: web}\n  patch: '[]'\n  zzz: 1", true],
  ['labels:\n- pairs: {a: b}\n  zzz: 1', true],
  ['labels:\n- pairs: {a: b}\n  fields:\n  - path: x\n    zzz: 1', true],
  ['replicas:\n- name: web\n  count: 1\n  zzz: 1', true],
  ['images:\n- name: a\n  zzz: 1', true],
  ['images:\n- name: a\n  tagSuffix: x\n  Digest: sha256:abc', false],
  ['namesapce: shop', true],
  ['inventory:\n  type: ConfigMap', true],
  ['NameSpace: shop', false],
  ['buildMetadata: [originAnnotations]', false],
  ['sortOptions:\n  order: fifo', false],
  ['crds: []', false],
  // Lists of structs, and their fields.
  ['labels:\n- web', true],
  ['labels:\n- pairs:\n    tier: two\n  fields: 5', true],
  ['labels:\n- pairs:\n    tier: two\n  fields:\n  - path: 5', true],
  ['labels:\n- pairs:\n    tier: two\n  fields:\n  - path: spec/x\n    create: "yes"', true],
  ['labels:\n- pairs:\n    tier: two\n  fields:\n  - path: metadata/labels\n    kind: Service\n    create: true', false],
  ['replicas:\n- web', true],
  ['kind: 5', true],
  ['apiVersion: 5', true],
  ['patches: 5', true],
  ['patches:\n- path: 5', true],
  ['patches:\n- target:\n    kind: 5\n  patch: x', true],
  ['patches:\n- target:\n    kind: Service\n    name: web\n  patch: |-\n    - op: add\n      path: /spec/type\n      value: NodePort', false],
  ['patchesStrategicMerge: 5', true],
  ['images:\n- name: nginx\n  newTag: 1.20', true],
  ['images:\n- name: nginx\n  newTag: 120', true],
  ['images:\n- name: nginx\n  newTag: "1.20"', false],
  ['images:\n- nginx', true],
  ['images:\n- name: nginx\n  newName: my/nginx\n  digest: sha256:abc', false],
  ['commonAnnotations:\n  a: 1', true],
  ['commonAnnotations:\n  a: "1"', false],
];

const KUBECTL = join(REPO_ROOT, 'tools', 'k8s', 'bin', 'kubectl');

function kubectlRefuses(folder: string): boolean {
  const run = spawnSync(KUBECTL, ['kustomize', folder], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(folder, 'no-kubeconfig') }, timeout: 60_000 });
  if (run.status !== 0) assert.match(run.stderr, /invalid Kustomization|kustomization\.yaml is empty/, `kubectl failed otherwise: ${run.stderr}`);
  return run.status !== 0;
}

test('the readers refuse exactly the kustomizations kubectl kustomize refuses', () => {
  assert.ok(existsSync(KUBECTL), `kubectl is missing at ${KUBECTL}: run node scripts/setup/index.mjs 40-k8s-tools`);
  const folder = mkdtempSync(join(tmpdir(), 'service-lens-refusal-'));
  try {
    const files = new Map([
      [join(folder, 'service.yaml'), serviceManifest('web', 'web')],
      [join(folder, 'deployment.yaml'), deploymentManifest('web', 'web')],
    ]);
    for (const [path, text] of files) writeFileSync(path, text);
    for (const [fields, refused] of CASES) {
      const text = `resources:\n- service.yaml\n- deployment.yaml\n${fields}\n`;
      writeFileSync(join(folder, 'kustomization.yaml'), text);
      assert.equal(kubectlRefuses(folder), refused, `kubectl on ${JSON.stringify(fields)}`);
      const fileId = join(folder, 'kustomization.yaml');
      for (const read of [readKustomization(fileId, text), readKustomizationWithYaml(fileId, text)]) {
        assert.equal(read.refusal !== undefined, refused, `${JSON.stringify(fields)}: ${read.refusal?.reason ?? 'accepted'}`);
      }
      const build = buildKustomization(fileId, { text: (id) => (id === fileId ? text : files.get(id)) });
      assert.equal(build.objects.length, refused ? 0 : 2, fields);
      assert.deepEqual(build.reached, refused ? [fileId] : [fileId, ...files.keys()], `${fields}: a refused build reaches no file to analyse`);
      if (refused) assert.match(build.notes[0]?.message ?? '', /^kubectl kustomize refuses this kustomization: .+\.$/);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/**
 * Kustomizations with several fields kustomize does not take, in a file order that differs from
 * the order kustomize decodes them in (keys sorted, items in order): the field kubectl names, and
 * the start of the reason the readers give (they name the same field).
 */
const SEVERAL: readonly (readonly [fields: string, kubectlNames: string, reason: RegExp])[] = [
  ['namespace: 1\ncommonLabels:\n  a: 2', 'Kustomization.commonLabels', /^the value of commonLabels\.a is a number/],
  ['zeta: 1\nnamePrefix: 3', 'Kustomization.namePrefix', /^namePrefix is a number/],
  ['alpha: 2\nBogus: 1', '"Bogus"', /^Bogus is no field/],
  ['images:\n- name: a\n  newTag: 1.2\n  digest: 5', 'Image.images.digest', /^images\.digest is a number/],
  ['images:\n- name: a\n  newTag: "1.2"\n- name: 7', 'Image.images.name', /^images\.name is a number/],
  ['replicas:\n- name: 7\n  count: 1.5', 'Replica.replicas.count', /^replicas\.count is a number/],
  ['labels:\n- pairs:\n    b: 1\n  includeSelectors: "no"', 'Label.labels.includeSelectors', /^labels\.includeSelectors is a string/],
];

test('the readers name the field kubectl kustomize names when several are refused', () => {
  assert.ok(existsSync(KUBECTL), `kubectl is missing at ${KUBECTL}: run node scripts/setup/index.mjs 40-k8s-tools`);
  const folder = mkdtempSync(join(tmpdir(), 'service-lens-refusal-'));
  try {
    writeFileSync(join(folder, 'service.yaml'), serviceManifest('web', 'web'));
    for (const [fields, kubectlNames, reason] of SEVERAL) {
      const text = `resources:\n- service.yaml\n${fields}\n`;
      writeFileSync(join(folder, 'kustomization.yaml'), text);
      const run = spawnSync(KUBECTL, ['kustomize', folder], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(folder, 'no-kubeconfig') }, timeout: 60_000 });
      assert.notEqual(run.status, 0, `kubectl builds ${JSON.stringify(fields)}`);
      assert.ok(run.stderr.includes(kubectlNames), `kubectl on ${JSON.stringify(fields)} names ${kubectlNames}: ${run.stderr}`);
      const fileId = join(folder, 'kustomization.yaml');
      for (const read of [readKustomization(fileId, text), readKustomizationWithYaml(fileId, text)]) {
        assert.match(read.refusal?.reason ?? 'accepted', reason, JSON.stringify(fields));
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('an empty kustomization (no field but nulls and empty strings) and one that is not a mapping are refused, as kubectl kustomize refuses them', () => {
  assert.ok(existsSync(KUBECTL), `kubectl is missing at ${KUBECTL}: run node scripts/setup/index.mjs 40-k8s-tools`);
  const folder = mkdtempSync(join(tmpdir(), 'service-lens-refusal-'));
  try {
    for (const [text, refused] of [['', true], ['# only a comment\n', true], ['---\n', true], ['~\n', true], ['---\n---\nresources: []\n', true], ['resources: []\n---\nbogus: 1\n', false], ['---\nresources: []\n---\n', false], ['resources: []\n---\n[bad\n', false], ['- service.yaml\n', true], ['web\n', true], ['kind: Kustomization\n', true], ['apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ""\nresources:\n', true], ['kind: Kustomization\nmetadata:\n  name: a\n', false], ['resources: []\n', false], ['namespace: x\n', false]] as const) {
      writeFileSync(join(folder, 'kustomization.yaml'), text);
      assert.equal(kubectlRefuses(folder), refused, `kubectl on ${JSON.stringify(text)}`);
      const read = readKustomization(join(folder, 'kustomization.yaml'), text);
      assert.equal(read.refusal !== undefined, refused, JSON.stringify(text));
      // Only the first document counts: what follows it is neither read nor a problem.
      if (!refused) assert.deepEqual(read.problems, [], JSON.stringify(text));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a base that only a refused overlay includes is a top of its own, built as kubectl kustomize builds it alone', () => {
  const texts = new Map([
    ['/w/base/kustomization.yaml', 'resources:\n- service.yaml\nnamespace: shop\n'],
    ['/w/base/service.yaml', serviceManifest('web', 'web')],
    ['/w/overlay/kustomization.yaml', 'resources:\n- ../base\nnamespace: 0123\n'],
  ]);
  const inputs = { text: (id: string) => texts.get(id) };
  assert.deepEqual(findTops(['/w/base/kustomization.yaml', '/w/overlay/kustomization.yaml'], inputs), ['/w/base/kustomization.yaml', '/w/overlay/kustomization.yaml']);
  const base = buildKustomization('/w/base/kustomization.yaml', inputs);
  assert.equal(base.objects.length, 1);
  texts.set('/w/overlay/kustomization.yaml', 'resources:\n- ../base\nnamespace: "0123"\n');
  assert.deepEqual(findTops(['/w/base/kustomization.yaml', '/w/overlay/kustomization.yaml'], inputs), ['/w/overlay/kustomization.yaml'], 'an overlay kustomize reads includes its base');
});
