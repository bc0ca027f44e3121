/**
 * The kustomize builder's provenance, notes and helpers, on virtual files. Its agreement with
 * `kubectl kustomize` is tested in kustomize.differential.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildKustomization, findTops, isKustomizationFile, kustomizationReferences, ParseCache, type KustomizeBuild } from '../../server/src/engine/kustomize';
import type { PNode } from '../../server/src/engine/syntax/tree';
import { at, child } from '../../server/src/engine/syntax/tree';
import type { Span } from '../../server/src/engine/types';
import { AnalysisHost } from '../../server/src/engine/workspace';
import { isReadPath, replacedReadField, weighUnapplied } from '../../server/src/engine/kustomize/unapplied';

function workspace(files: Record<string, string>): { text(id: string): string | undefined } {
  return { text: (id) => files[id] };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        ports:
        - containerPort: 8080
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;

function object(build: KustomizeBuild, kind: string): PNode {
  const found = build.objects.find((o) => child(o.root, 'kind')?.type === 'scalar' && (child(o.root, 'kind') as { value: unknown }).value === kind);
  assert.ok(found, `no ${kind} in ${JSON.stringify(build.notes)}`);
  return found.root;
}

function textAt(files: Record<string, string>, span: Span): string {
  assert.ok(span.fileId, 'span names its file');
  const text = files[span.fileId];
  assert.ok(text !== undefined, `no file ${span.fileId}`);
  return text.slice(span.start, span.end);
}

test('a label from commonLabels points at its entry in the kustomization, in the selector too', () => {
  const files = {
    '/p/base/deployment.yaml': DEPLOYMENT,
    '/p/base/service.yaml': SERVICE,
    '/p/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n',
    '/p/prod/kustomization.yaml': 'resources:\n- ../base\nnamespace: shop\nnamePrefix: prod-\ncommonLabels:\n  env: prod\n',
  };
  const build = buildKustomization('/p/prod/kustomization.yaml', workspace(files));
  assert.deepEqual(build.notes, []);
  const service = object(build, 'Service');
  const label = at(service, 'metadata', 'labels', 'env');
  const selector = at(service, 'spec', 'selector', 'env');
  assert.equal(label?.type === 'scalar' && label.value, 'prod');
  assert.equal(textAt(files, label!.span), 'env: prod');
  assert.equal(selector?.span.fileId, '/p/prod/kustomization.yaml');
  assert.equal(textAt(files, at(object(build, 'Deployment'), 'spec', 'template', 'metadata', 'labels', 'env')!.span), 'env: prod');
  // The namespace points at the namespace field, the prefixed name at the name in the base.
  const namespace = at(service, 'metadata', 'namespace');
  assert.equal(namespace?.type === 'scalar' && namespace.value, 'shop');
  assert.equal(textAt(files, namespace!.span), 'shop');
  const name = at(service, 'metadata', 'name');
  assert.equal(name?.type === 'scalar' && name.value, 'prod-web');
  assert.equal(name!.span.fileId, '/p/base/service.yaml');
  assert.equal(textAt(files, name!.span), 'web');
  // Values nobody changed point into the resource file.
  assert.equal(textAt(files, at(service, 'spec', 'selector', 'app')!.span), 'web');
  assert.deepEqual([...build.reached].sort(), Object.keys(files).sort());
});

test('builds that share a parse cache build what builds without one build, and say which objects they changed', () => {
  const patch = 'patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {template: {metadata: {labels: {track: a}}}}\n';
  const files: Record<string, string> = {
    '/p/base/deployment.yaml': DEPLOYMENT,
    '/p/base/service.yaml': SERVICE,
    '/p/base/ingress.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n',
    '/p/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n- ingress.yaml\n',
    '/p/a/kustomization.yaml': `resources:\n- ../base\nnamespace: a\nnamePrefix: a-\ncommonLabels:\n  env: a\n${patch}`,
    '/p/b/kustomization.yaml': `resources:\n- ../base\nnamespace: b\n${patch}`,
    // Every other step that changes objects: labels that create maps, replicas, a JSON patch, a suffix and its name references.
    '/p/c/kustomization.yaml':
      'resources:\n- ../base\nnameSuffix: -c\nlabels:\n- pairs:\n    tier: c\n  includeTemplates: true\nreplicas:\n- name: web\n  count: 3\npatchesJson6902:\n- target:\n    kind: Service\n    name: web\n  patch: |-\n    - op: replace\n      path: /spec/ports/0/port\n      value: 81\n',
    '/p/plain/kustomization.yaml': 'resources:\n- ../base\n',
  };
  const tops = ['/p/a/kustomization.yaml', '/p/b/kustomization.yaml', '/p/c/kustomization.yaml', '/p/plain/kustomization.yaml'];
  const cache = new ParseCache();
  const shared = [...tops, ...tops].map((top) => buildKustomization(top, workspace(files), cache));
  const alone = tops.map((top) => buildKustomization(top, workspace(files)));
  // A built object as a caller reads it: its fields and the trees its getters give.
  const asRead = (build: KustomizeBuild) => ({
    ...build,
    objects: build.objects.map((built) => ({ fileId: built.fileId, documentIndex: built.documentIndex, transformed: built.transformed, text: built.text, documentSpan: built.documentSpan, root: built.root, document: built.document })),
  });
  for (const [index, build] of shared.entries()) assert.deepEqual(asRead(build), asRead(alone[index % tops.length]!), tops[index % tops.length]);
  assert.ok(alone[0]!.objects.every((built) => built.transformed));
  assert.ok(alone[2]!.objects.every((built) => built.transformed));
  assert.ok(alone[3]!.objects.every((built) => !built.transformed && built.text === files[built.fileId]));
  // The plain build, made last and from kept parses, still reads the base as written.
  assert.equal(at(object(shared[7]!, 'Service'), 'metadata', 'name')?.type === 'scalar' && (at(object(shared[7]!, 'Service'), 'metadata', 'name') as { value: unknown }).value, 'web');
  assert.equal(at(object(shared[7]!, 'Deployment'), 'spec', 'template', 'metadata', 'labels', 'tier'), undefined);
  assert.deepEqual(findTops(Object.keys(files).filter(isKustomizationFile), workspace(files), cache), tops);
});

test('a port from a strategic-merge patch points into the patch file; `$patch: delete` removes the base port', () => {
  const files = {
    '/p/base/service.yaml': SERVICE,
    '/p/base/kustomization.yaml': 'resources:\n- service.yaml\n',
    '/p/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: port.yaml\n',
    '/p/prod/port.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    $patch: delete\n  - name: public\n    port: 90\n    targetPort: 8080\n',
  };
  const build = buildKustomization('/p/prod/kustomization.yaml', workspace(files));
  assert.deepEqual(build.notes, []);
  assert.deepEqual(build.patchFiles, ['/p/prod/port.yaml']);
  const ports = at(object(build, 'Service'), 'spec', 'ports');
  assert.equal(ports?.type, 'seq');
  assert.equal(ports.type === 'seq' && ports.items.length, 1);
  const port = at(ports.type === 'seq' ? ports.items[0] : undefined, 'port');
  assert.equal(port?.type === 'scalar' && port.value, 90);
  assert.equal(port!.span.fileId, '/p/prod/port.yaml');
  assert.equal(textAt(files, port!.span), '90');
});

test('an inline JSON patch value points into the kustomization at the value', () => {
  const kustomization = 'resources:\n- deployment.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/metadata/labels/track\n      value: canary\n';
  const files = { '/p/deployment.yaml': DEPLOYMENT, '/p/kustomization.yaml': kustomization };
  const build = buildKustomization('/p/kustomization.yaml', workspace(files));
  assert.deepEqual(build.notes, []);
  const track = at(object(build, 'Deployment'), 'spec', 'template', 'metadata', 'labels', 'track');
  assert.equal(track?.type === 'scalar' && track.value, 'canary');
  assert.equal(textAt(files, track!.span), 'canary');
  // Untouched labels keep their own spans.
  assert.equal(at(object(build, 'Deployment'), 'spec', 'template', 'metadata', 'labels', 'app')!.span.fileId, '/p/deployment.yaml');
});

test('a prefixed Service name is followed by StatefulSet serviceName and Ingress backends', () => {
  const files = {
    '/p/kustomization.yaml': 'namePrefix: a-\nresources:\n- all.yaml\n',
    '/p/all.yaml': `${SERVICE}---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: web\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n`,
  };
  const build = buildKustomization('/p/kustomization.yaml', workspace(files));
  const serviceName = at(object(build, 'StatefulSet'), 'spec', 'serviceName');
  assert.equal(serviceName?.type === 'scalar' && serviceName.value, 'a-web');
  const backend = at(object(build, 'Ingress'), 'spec', 'defaultBackend', 'service', 'name');
  assert.equal(backend?.type === 'scalar' && backend.value, 'a-web');
});

test('what the builder does not build is a note, never a guess', () => {
  const files = {
    '/p/kustomization.yaml': 'resources:\n- https://github.com/org/repo//deploy?ref=v1\n- missing\n- ../q\ngenerators:\n- plugin.yaml\nconfigMapGenerator:\n- name: settings\n  literals: [a=b]\n',
    '/q/kustomization.yaml': 'resources:\n- ../p\n',
  };
  const build = buildKustomization('/p/kustomization.yaml', workspace(files));
  const messages = build.notes.map((n) => n.message);
  assert.ok(messages.some((m) => m.startsWith('Remote resource')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('Missing resource')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('Cycle')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('Partly understood: generators')), messages.join('\n'));
  // A ConfigMap generator makes nothing the rules read: no note.
  assert.ok(!messages.some((m) => m.includes('configMapGenerator')), messages.join('\n'));
  for (const note of build.notes) assert.equal(note.span.fileId, note.fileId);
  assert.deepEqual(buildKustomization('/nowhere/kustomization.yaml', workspace({})).notes.map((n) => n.message), ['Missing kustomization file.']);
  assert.ok(buildKustomization('/p/kustomization.yaml', workspace({ '/p/kustomization.yaml': 'resources: [\n' })).notes[0]?.message.startsWith('Invalid kustomization'));
});

test('findTops, kustomizationReferences and isKustomizationFile', () => {
  const files = {
    '/p/base/kustomization.yaml': 'resources:\n- service.yaml\n',
    '/p/base/service.yaml': SERVICE,
    '/p/components/extra/kustomization.yaml': 'kind: Component\n',
    '/p/prod/kustomization.yaml': 'resources:\n- ../base\ncomponents:\n- ../components/extra\npatches:\n- path: p.yaml\n',
    '/p/dev/kustomization.yml': 'resources:\n- ../base\n',
  };
  const ids = Object.keys(files).filter(isKustomizationFile);
  for (const name of ['kustomization.json', 'Kustomization.yaml', 'kustomization.yaml.bak', 'kustomizations', 'my-kustomization.yaml', 'Kustomizatio']) assert.equal(isKustomizationFile(`/p/${name}`), false, name);
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) assert.equal(isKustomizationFile(name) && isKustomizationFile(`file:///p/${name}`), true, name);
  assert.deepEqual(findTops(ids, workspace(files)).sort(), ['/p/dev/kustomization.yml', '/p/prod/kustomization.yaml']);
  // Kustomizations that include each other with no root above them: the first of each cycle is a root.
  const cycles = {
    ...files,
    '/p/loop/a/kustomization.yaml': 'resources:\n- ../b\n',
    '/p/loop/b/kustomization.yaml': 'resources:\n- ../c\n- ../../base\n',
    '/p/loop/c/kustomization.yaml': 'resources:\n- ../a\n',
    '/p/self/kustomization.yaml': 'resources:\n- .\n',
    '/p/above/kustomization.yaml': 'resources:\n- ../ring/x\n',
    '/p/ring/x/kustomization.yaml': 'resources:\n- ../y\n',
    '/p/ring/y/kustomization.yaml': 'resources:\n- ../x\n',
  };
  const cycleIds = Object.keys(cycles).filter(isKustomizationFile).sort();
  assert.deepEqual(findTops(cycleIds, workspace(cycles)), ['/p/above/kustomization.yaml', '/p/dev/kustomization.yml', '/p/loop/a/kustomization.yaml', '/p/prod/kustomization.yaml', '/p/self/kustomization.yaml']);
  assert.deepEqual(kustomizationReferences('/p/prod/kustomization.yaml', files['/p/prod/kustomization.yaml']), { resources: ['../base'], components: ['../components/extra'], patches: ['p.yaml'] });
  assert.ok(isKustomizationFile('file:///w/Kustomization'));
  assert.ok(!isKustomizationFile('/w/kustomization.json'));
  // File URIs resolve the same way.
  const uris = { 'file:///w/app%20one/kustomization.yaml': 'resources:\n- svc.yaml\n', 'file:///w/app%20one/svc.yaml': SERVICE, 'file:///w/top/kustomization.yaml': 'resources:\n- ../app one\n' };
  assert.equal(buildKustomization('file:///w/top/kustomization.yaml', workspace(uris)).objects.length, 1);
});

test('a base or patch outside the folders read is not built, not missing; a patch that matches nothing of a partial build is not a failure', () => {
  const host = new AnalysisHost();
  const overlay = 'resources:\n- ../base\n- https://example.com/remote.yaml\npatches:\n- path: web.yaml\n- path: ../shared/extra.yaml\n';
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';
  host.applyChange({ folders: ['/w/ov'], files: [{ fileId: '/w/ov/kustomization.yaml', text: overlay }, { fileId: '/w/ov/web.yaml', text: patch }] });
  const notes = (): string[] =>
    host
      .snapshot()
      .findings('/w/ov/kustomization.yaml')
      .concat(host.snapshot().findings('/w/ov/web.yaml'))
      .filter((finding) => finding.ruleId === 'kustomize-build-incomplete')
      .map((finding) => `${finding.severity}: ${finding.message}`);
  assert.deepEqual(notes(), [
    'information: The resource ../base is outside the folders Service Lens reads (or excluded from them), so it is not built here; open or check a folder that holds it.',
    'information: Remote resource https://example.com/remote.yaml is not fetched; its objects are missing from the build.',
    'information: The patch ../shared/extra.yaml is outside the folders Service Lens reads (or excluded from them), so it is not built here; open or check a folder that holds it.',
    'information: No object of the build as read matches the patch of Deployment/web; it may patch an object of the part not read.',
  ]);
  // Read whole from the parent folder, the base really is missing: kubectl fails there.
  host.applyChange({ folders: ['/w'] });
  assert.deepEqual(
    notes().filter((note) => note.startsWith('error')),
    [
      'error: kubectl kustomize fails the build here: Missing resource: no file or kustomization at ../base.',
      'error: kubectl kustomize fails the build here: Missing patch file ../shared/extra.yaml.',
    ],
  );
});

test('a patch file named under a capitalised field (`Patches:` with `Path:`) is no object of its own', () => {
  const files = {
    'file:///w/kustomization.yaml': 'Resources:\n- service.yaml\nPatches:\n- Path: patch.yaml\nPatchesStrategicMerge:\n- merge.yaml\n',
    'file:///w/service.yaml': SERVICE,
    'file:///w/deployment.yaml': DEPLOYMENT,
    // Read alone, each is a Service that selects nothing.
    'file:///w/patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: nothing\n',
    'file:///w/merge.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: none\n',
  };
  for (const kustomize of [true, false]) {
    const host = new AnalysisHost({ kustomize });
    host.applyChange({ files: Object.entries(files).map(([fileId, text]) => ({ fileId, text })) });
    const onPatches = host.snapshot().allFindings().filter((finding) => finding.fileId.endsWith('patch.yaml') || finding.fileId.endsWith('merge.yaml'));
    assert.deepEqual(onPatches.map((finding) => `${finding.ruleId} ${finding.fileId}`), [], `kustomize ${kustomize}`);
  }
});

test('fields not applied are weighed by what they can change: replacements of fields the rules read make the build uncertain', () => {
  assert.equal(isReadPath('spec.ports.0.targetPort'), true);
  assert.equal(isReadPath('spec.ports.[name=http].targetPort'), true);
  assert.equal(isReadPath('spec.selector.app'), true, 'a selector is kept whole');
  assert.equal(isReadPath('metadata.name'), true);
  assert.equal(isReadPath('spec.template.spec.containers.[name=web.v2].ports.0.containerPort'), true, 'a dot inside brackets is no separator');
  assert.equal(isReadPath('spec.template.spec.containers.[name=web].image'), false);
  assert.equal(isReadPath('spec.template.spec.containers.0.env.[name=MODE].value'), false);
  assert.equal(isReadPath('data.port'), false);
  assert.equal(isReadPath('metadata.annotations.team'), false);
  const target = (kind: string | undefined, fieldPaths: string[]) => ({ span: { start: 0, end: 0 }, targets: [{ kind, name: 'web', fieldPaths }] });
  assert.equal(replacedReadField([target('Deployment', ['spec.template.spec.containers.[name=web].image'])]), undefined);
  assert.equal(replacedReadField([target('ConfigMap', ['metadata.name'])]), undefined, 'a ConfigMap is not read');
  assert.equal(replacedReadField([target('Service', ['spec.ports.0.targetPort'])]), 'spec.ports.0.targetPort of Service web');
  assert.equal(replacedReadField([{ span: { start: 0, end: 0 }, path: 'replacements.yaml', targets: [] }]), 'the fields the replacements of replacements.yaml name');
  const field = (value: string, empty = false) => ({ value, span: { start: 0, end: 0 }, empty });
  assert.equal(weighUnapplied(field('configMapGenerator'), []).effect, 'none');
  assert.equal(weighUnapplied(field('transformers', true), []).effect, 'none');
  assert.equal(weighUnapplied(field('transformers'), []).effect, 'uncertain');
  assert.equal(weighUnapplied(field('helmCharts'), []).effect, 'partial');
  assert.equal(weighUnapplied(field('openapi'), []).effect, 'uncertain', 'custom kinds may merge lists the builder replaces');
  assert.equal(weighUnapplied(field('replacements'), [target(undefined, ['spec.selector.app'])]).changes, 'replacements set spec.selector.app of every object it selects');
});

test('one patch that two objects of a build take: a finding for each, not one for both', () => {
  const host = new AnalysisHost();
  const services = ['s3', 's4'].map((name) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n`).join('---\n');
  const kustomization = 'resources:\n- app.yaml\nnamePrefix: p-\npatches:\n- target: {kind: Service, name: "s[34]"}\n  patch: |-\n    - op: replace\n      path: /spec/selector/app\n      value: api\n';
  host.applyChange({ folders: ['/w'], files: [{ fileId: '/w/kustomization.yaml', text: kustomization }, { fileId: '/w/app.yaml', text: `${services}---\n${DEPLOYMENT}` }] });
  const findings = host.snapshot().findings('/w/kustomization.yaml').filter((finding) => finding.ruleId === 'service-selector-no-match');
  assert.deepEqual(findings.map((finding) => `${finding.resource.name} ${JSON.stringify(finding.scopes)}`), ['p-s3 ["/w"]', 'p-s4 ["/w"]']);
});

test("the nearest miss of a selector kustomize's commonLabels extended is the template with the Service's own pairs", () => {
  const host = new AnalysisHost();
  // commonLabels reach the CronJob's template but not the Rollout's (a custom resource kustomize has no field specs for).
  const app = [
    'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: ro}\nspec:\n  selector: {matchLabels: {app: ro}}\n  template:\n    metadata: {labels: {app: ro}}\n    spec:\n      containers: [{name: c, image: x}]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: ro}\nspec:\n  selector: {app: ro}\n  ports: [{port: 80}]\n',
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: cj}}\n        spec:\n          containers: [{name: c, image: x}]\n',
  ].join('---\n');
  host.applyChange({ folders: ['/w'], files: [{ fileId: '/w/kustomization.yaml', text: 'resources: [app.yaml]\ncommonLabels: {tier: fe}\n' }, { fileId: '/w/app.yaml', text: app }] });
  const messages = host.snapshot().findings('/w/kustomization.yaml').filter((finding) => finding.ruleId === 'service-selector-no-match').map((finding) => finding.message);
  assert.deepEqual(messages, ['Selector app=ro, tier=fe matches no Pod template in namespace default; Rollout/ro has no label tier.']);
  // The same selector written whole in a plain file ranks as before: the template with more of its keys.
  const plain = new AnalysisHost();
  plain.applyChange({ files: [{ fileId: '/p/app.yaml', text: app.replace('selector: {app: ro}', 'selector: {app: ro, tier: fe}').replace('labels: {app: cj}', 'labels: {app: cj, tier: fe}') }] });
  assert.match(plain.snapshot().findings('/p/app.yaml').find((finding) => finding.ruleId === 'service-selector-no-match')?.message ?? '', /CronJob\/cj has app=cj, not app=ro/);
});
