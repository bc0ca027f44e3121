/**
 * The build notes `kustomize-build-incomplete` reports as "kubectl kustomize fails the build" against
 * the real `kubectl kustomize` (kustomize v5.7.1): for each small workspace, the in-process build
 * has a `fails` note exactly when kubectl exits with an error, and a `partial` note where kubectl
 * builds what Service Lens does not in a way that matters (a plugin generator, replacements of a
 * field the rules read). Where the build has no note and kubectl builds, both hold the same objects
 * but the ConfigMaps and Secrets that generators make (which no rule reads).
 * Needs `node scripts/setup/index.mjs 40-k8s-tools`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildKustomization } from '../../server/src/engine/kustomize';
import type { PNode } from '../../server/src/engine/syntax/tree';
import { REPO_ROOT } from '../support/paths';

const KUBECTL = join(REPO_ROOT, 'tools/k8s/bin/kubectl');

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n';
const BASE = { 'base/kustomization.yaml': 'resources:\n- service.yaml\n- deployment.yaml\n', 'base/service.yaml': SERVICE, 'base/deployment.yaml': DEPLOYMENT };

/** Workspaces (the top is `top/kustomization.yaml`) and the effects of the notes the build must have. */
const CASES: readonly { readonly name: string; readonly files: Readonly<Record<string, string>>; readonly effects: readonly ('fails' | 'partial' | 'ignored')[] }[] = [
  { name: 'a plain overlay', files: { ...BASE, 'top/kustomization.yaml': 'namespace: shop\nresources:\n- ../base\n' }, effects: [] },
  { name: 'a missing resource file', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\n- ingress.yaml\n' }, effects: ['fails'] },
  { name: 'a missing base folder', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../bsae\n' }, effects: ['fails'] },
  { name: 'a missing patch file', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n' }, effects: ['fails'] },
  { name: 'a patch entry without path or patch', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: Service\n' }, effects: ['fails'] },
  { name: 'a patch that is not YAML', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- patch: "a: [b"\n' }, effects: ['fails'] },
  {
    name: 'a strategic-merge patch that matches no object',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: worker.yaml\n', 'top/worker.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  replicas: 2\n' },
    effects: ['fails'],
  },
  {
    // kubectl builds, and the patch changes nothing: the target's name is no object of the build.
    name: 'a patch target that names no object of the build',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: Service\n    name: web-v1\n  patch: |-\n    - op: add\n      path: /metadata/annotations\n      value: {team: a}\n' },
    effects: ['ignored'],
  },
  {
    name: 'a patch target of a kind and no name that selects nothing',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: StatefulSet\n  patch: |-\n    - op: add\n      path: /spec/replicas\n      value: 2\n' },
    effects: [],
  },
  {
    name: 'a strategic-merge patch that matches an object',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: web.yaml\n', 'top/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n' },
    effects: [],
  },
  {
    // evanphx/json-patch's `replace` sets a key its mapping lacks.
    name: 'a JSON patch that replaces a missing key of a mapping',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: Service\n  patch: |-\n    - op: replace\n      path: /spec/selector/tier\n      value: front\n' },
    effects: [],
  },
  {
    name: 'a JSON patch that replaces a missing list item',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: Service\n  patch: |-\n    - op: replace\n      path: /spec/ports/3\n      value: {port: 81}\n' },
    effects: ['fails'],
  },
  {
    name: 'a JSON patch that removes a missing key',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: Service\n  patch: |-\n    - op: remove\n      path: /spec/selector/tier\n' },
    effects: ['fails'],
  },
  {
    // kustomize reads a patchesStrategicMerge string as objects first, as a path when that fails.
    name: 'a one-line patchesStrategicMerge string that reads as an object',
    files: { ...BASE, 'top/kustomization.yaml': "resources:\n- ../base\npatchesStrategicMerge:\n- '{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 3}}'\n" },
    effects: [],
  },
  {
    name: 'a one-line patchesStrategicMerge List',
    files: { ...BASE, 'top/kustomization.yaml': "resources:\n- ../base\npatchesStrategicMerge:\n- '{apiVersion: v1, kind: List, items: [{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 3}}]}'\n" },
    effects: [],
  },
  { name: 'a one-line patchesStrategicMerge string named by a number', files: { ...BASE, 'top/kustomization.yaml': "resources:\n- ../base\npatchesStrategicMerge:\n- '{apiVersion: apps/v1, kind: Deployment, metadata: {name: 5}, spec: {replicas: 3}}'\n" }, effects: ['fails'] },
  { name: 'a one-line patchesStrategicMerge string with no kind', files: { ...BASE, 'top/kustomization.yaml': "resources:\n- ../base\npatchesStrategicMerge:\n- '{metadata: {name: web}, spec: {replicas: 3}}'\n" }, effects: ['fails'] },
  { name: 'a one-line JSON patch under patchesStrategicMerge', files: { ...BASE, 'top/kustomization.yaml': "resources:\n- ../base\npatchesStrategicMerge:\n- '[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 4}]'\n" }, effects: ['fails'] },
  { name: 'one resource file listed twice', files: { 'top/kustomization.yaml': 'resources:\n- service.yaml\n- copy.yaml\n', 'top/service.yaml': SERVICE, 'top/copy.yaml': SERVICE }, effects: ['fails'] },
  { name: 'one id twice in a file', files: { 'top/kustomization.yaml': 'resources:\n- services.yaml\n', 'top/services.yaml': `${SERVICE}---\n${SERVICE}` }, effects: ['fails'] },
  { name: 'one name in two namespaces', files: { 'top/kustomization.yaml': 'resources:\n- services.yaml\n', 'top/services.yaml': `${SERVICE}---\n${SERVICE.replace('  name: web\n', '  name: web\n  namespace: other\n')}` }, effects: [] },
  { name: 'the same base listed twice', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\n- ../base/\n' }, effects: ['fails'] },
  { name: 'a resource file above the kustomization', files: { 'top/kustomization.yaml': 'resources:\n- ../service.yaml\n', 'service.yaml': SERVICE }, effects: ['fails'] },
  { name: 'a resource file below the kustomization', files: { 'top/kustomization.yaml': 'resources:\n- ./app/../app/service.yaml\n', 'top/app/service.yaml': SERVICE }, effects: [] },
  {
    name: 'a patch file above the kustomization',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: ../web.yaml\n', 'web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n' },
    effects: ['fails'],
  },
  { name: 'a cycle', files: { 'top/kustomization.yaml': 'resources:\n- ../other\n', 'other/kustomization.yaml': 'resources:\n- ../top\n' }, effects: ['fails'] },
  {
    // Go's JSON decoder matches field names without regard to case, at every level.
    name: 'capitalised field names',
    files: { ...BASE, 'top/kustomization.yaml': 'Resources:\n- ../base\nPatches:\n- Path: web.yaml\n- Target:\n    Kind: Service\n  Patch: |-\n    - op: remove\n      path: /spec/selector/app\n', 'top/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n' },
    effects: [],
  },
  {
    name: 'a capitalised patch field naming a missing file',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\nPatchesStrategicMerge:\n- replicas.yaml\n' },
    effects: ['fails'],
  },
  { name: 'two kustomization files in the top folder', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\n', 'top/Kustomization': 'resources:\n- ../base\n' }, effects: ['fails'] },
  { name: 'two kustomization files in a base folder', files: { ...BASE, 'base/kustomization.yml': 'resources:\n- service.yaml\n', 'top/kustomization.yaml': 'resources:\n- ../base\n' }, effects: ['fails'] },
  { name: 'replicas of a Deployment of the build', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\nreplicas:\n- name: web\n  count: 3\n' }, effects: [] },
  { name: 'replicas naming no object', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\nreplicas:\n- name: nothere\n  count: 3\n' }, effects: ['fails'] },
  {
    // The replica count transformer takes Deployments, ReplicaSets, ReplicationControllers and StatefulSets only.
    name: 'replicas naming an object of another kind',
    files: { 'top/kustomization.yaml': 'resources:\n- rollout.yaml\nreplicas:\n- name: web\n  count: 3\n', 'top/rollout.yaml': DEPLOYMENT.replace('apiVersion: apps/v1\nkind: Deployment', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout') },
    effects: ['fails'],
  },
  // Generators of ConfigMaps and Secrets, and fields that hold nothing, change nothing the rules read.
  { name: 'a ConfigMap generator', files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\nconfigMapGenerator:\n- name: settings\n  literals:\n  - mode=fast\n' }, effects: [] },
  {
    name: 'a Secret generator and empty plugin lists',
    files: { ...BASE, 'top/kustomization.yaml': 'resources:\n- ../base\ntransformers: []\nvalidators: []\ngenerators: []\nsecretGenerator:\n- name: token\n  literals: [a=b]\n' },
    effects: [],
  },
  {
    name: 'replacements of an image tag',
    files: {
      ...BASE,
      'top/kustomization.yaml':
        'resources:\n- ../base\n- settings.yaml\nreplacements:\n- source: {kind: ConfigMap, name: settings, fieldPath: data.image}\n  targets:\n  - select: {kind: Deployment, name: web}\n    fieldPaths:\n    - spec.template.spec.containers.[name=web].image\n',
      'top/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  image: nginx:1.27\n',
    },
    effects: [],
  },
  {
    name: 'replacements of a selector value',
    files: {
      ...BASE,
      'top/kustomization.yaml':
        'resources:\n- ../base\n- settings.yaml\nreplacements:\n- source: {kind: ConfigMap, name: settings, fieldPath: data.app}\n  targets:\n  - select: {kind: Service, name: web}\n    fieldPaths: [spec.selector.app]\n',
      'top/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  app: web\n',
    },
    effects: ['partial'],
  },
];

/** `Kind/name` of each object of a multi-document YAML text, but ConfigMaps and Secrets, sorted. */
function objectsOf(yaml: string): string[] {
  const out: string[] = [];
  for (const document of yaml.split(/^---$/m)) {
    const kind = /^kind: (.+)$/m.exec(document)?.[1];
    const name = /^ {2}name: (.+)$/m.exec(document)?.[1];
    if (kind !== undefined && kind !== 'ConfigMap' && kind !== 'Secret') out.push(`${kind}/${name ?? ''}`);
  }
  return out.sort();
}

test('build notes that say kubectl fails are those kubectl kustomize fails on', { skip: existsSync(KUBECTL) ? false : 'kubectl is not installed (node scripts/setup/index.mjs 40-k8s-tools)' }, () => {
  const differences: string[] = [];
  for (const { name, files, effects } of CASES) {
    const folder = mkdtempSync(join(tmpdir(), 'service-lens-notes-'));
    try {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(folder, path)), { recursive: true });
        writeFileSync(join(folder, path), text);
      }
      const kubectl = spawnSync(KUBECTL, ['kustomize', join(folder, 'top')], { encoding: 'utf8' });
      const build = buildKustomization(join(folder, 'top/kustomization.yaml'), { text: (fileId) => files[fileId.slice(folder.length + 1)] });
      const ours = build.notes.filter((note) => note.effect !== 'reported').map((note) => note.effect);
      const failed = kubectl.status !== 0;
      if (failed !== ours.includes('fails')) differences.push(`${name}: kubectl ${failed ? `fails (${kubectl.stderr.split('\n')[0]})` : 'builds'}, notes ${JSON.stringify(build.notes.map((note) => `${note.effect}: ${note.message}`))}`);
      if (JSON.stringify([...new Set(ours)].sort()) !== JSON.stringify([...effects].sort())) differences.push(`${name}: expected ${JSON.stringify(effects)}, notes ${JSON.stringify(build.notes.map((note) => `${note.effect}: ${note.message}`))}`);
      if (!failed && ours.length === 0) {
        const built = build.objects.map((object) => {
          const root = object.root.type === 'map' ? object.root : undefined;
          const value = (node: PNode | undefined): string => (node?.type === 'scalar' ? String(node.value) : '');
          const entry = (node: PNode | undefined, key: string): PNode | undefined => (node?.type === 'map' ? node.entries.find((candidate) => candidate.key === key)?.value : undefined);
          return `${value(entry(root, 'kind'))}/${value(entry(entry(root, 'metadata'), 'name'))}`;
        });
        const theirs = objectsOf(kubectl.stdout);
        const mine = built.filter((id) => !id.startsWith('ConfigMap/') && !id.startsWith('Secret/')).sort();
        if (JSON.stringify(theirs) !== JSON.stringify(mine)) differences.push(`${name}: kubectl builds ${JSON.stringify(theirs)}, the build holds ${JSON.stringify(mine)}`);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  assert.deepEqual(differences, []);
});
