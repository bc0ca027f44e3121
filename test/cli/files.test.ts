/** How `check` finds files: walked folders, skipped folders, links, binary and oversized files. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { runCli, runJson } from './harness';

function service(name: string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n`;
}

describe('finding files', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-cli-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function write(relative: string, content: string | Buffer): void {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }

  function serviceNames(args: readonly string[]): string[] {
    return runJson(args, { cwd: root }).output.services.map((entry) => `${entry.file}#${entry.name}`).sort();
  }

  test('walks *.yaml, *.yml and *.json, skipping node_modules, .git and other extensions', () => {
    write('a.yaml', service('a'));
    write('deep/er/b.yml', service('b'));
    write('c.JSON', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' }, spec: { ports: [{ port: 80 }] } }));
    write('d.txt', service('d'));
    write('node_modules/pkg/e.yaml', service('e'));
    write('.git/f.yaml', service('f'));
    write('sub/node_modules/g.yaml', service('g'));
    assert.deepEqual(serviceNames(['check']), ['a.yaml#a', 'c.JSON#c', 'deep/er/b.yml#b']);
  });

  test('a kustomize base above the folder checked is not read, and not reported missing', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n';
    write('base/kustomization.yaml', 'resources:\n- deployment.yaml\n- web.yaml\n');
    write('base/deployment.yaml', deployment);
    write('base/web.yaml', service('web'));
    write('overlays/prod/kustomization.yaml', 'resources:\n- ../../base\npatches:\n- path: replicas.yaml\n');
    write('overlays/prod/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n');
    const notes = (args: readonly string[]) =>
      runJson(args, { cwd: root })
        .output.findings.filter((finding) => finding.ruleId === 'kustomize-build-incomplete')
        .map((finding) => `${finding.file} ${finding.severity}`);
    // Checked alone, the overlay's base is outside what is read: information, not an error.
    assert.deepEqual(notes(['check', 'overlays/prod']), ['overlays/prod/kustomization.yaml information', 'overlays/prod/replicas.yaml information']);
    // So is what the overlay's own objects seem to lack: the Service an Ingress names is in the base.
    write('overlays/prod/ingress.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n');
    write('overlays/prod/kustomization.yaml', 'resources:\n- ../../base\n- ingress.yaml\npatches:\n- path: replicas.yaml\n');
    const alone = runJson(['check', 'overlays/prod'], { cwd: root }).output.findings.map((finding) => `${finding.file} ${finding.severity} ${finding.ruleId}`);
    assert.deepEqual(alone, [
      'overlays/prod/ingress.yaml information ingress-backend-unresolved',
      'overlays/prod/kustomization.yaml information kustomize-build-incomplete',
      'overlays/prod/replicas.yaml information kustomize-build-incomplete',
    ]);
    // Checked from the top, the base is read and the overlay builds as kubectl builds it.
    assert.deepEqual(notes(['check', '.']), []);
    // A file named alone reads no folder whole: what it names is not read, not missing.
    assert.deepEqual(notes(['check', 'overlays/prod/kustomization.yaml']), [
      'overlays/prod/kustomization.yaml information',
      'overlays/prod/kustomization.yaml information',
      'overlays/prod/kustomization.yaml information',
    ]);
  });

  test('a kustomization named `Kustomization` is walked and built', () => {
    write('base/kustomization.yaml', 'resources:\n- web.yaml\n');
    write('base/web.yaml', service('web'));
    // A patch that matches no object: kubectl fails the build, so the note is an error.
    write('overlays/prod/Kustomization', 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: other.yaml\n');
    write('overlays/prod/other.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  type: NodePort\n');
    const output = runJson(['check', '.'], { cwd: root }).output;
    assert.deepEqual(
      output.findings.filter((finding) => finding.ruleId === 'kustomize-build-incomplete').map((finding) => `${finding.file} ${finding.severity}`),
      ['overlays/prod/other.yaml error'],
    );
  });

  test('a patch file checked without its kustomization is left out with a note, found up to the working directory', () => {
    // One label on the template: read as an object, a Deployment whose template lacks its selector's `app`.
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n      track: prod\n  template:\n    metadata:\n      labels:\n        track: prod\n';
    write('overlays/prod/track.yaml', patch);
    write('overlays/prod/patches/json.yaml', patch);
    const rules = (args: readonly string[], cwd = root) => runJson(args, { cwd }).output.findings.map((finding) => `${finding.file} ${finding.ruleId}`);
    // Listed by no kustomization, the file is an object, and that object is wrong.
    assert.deepEqual(rules(['check', 'overlays/prod/track.yaml']), ['overlays/prod/track.yaml workload-selector-mismatch']);

    write('overlays/prod/kustomization.yaml', 'resources:\n- ../../base\npatches:\n- path: track.yaml\npatchesJson6902:\n- path: patches/json.yaml\n  target: {kind: Deployment, name: web}\n');
    const alone = runCli(['check', 'overlays/prod/track.yaml'], { cwd: root });
    assert.equal(alone.status, 0, alone.stdout);
    assert.equal(
      alone.stderr,
      'service-lens: overlays/prod/track.yaml: a kustomize patch listed by overlays/prod/kustomization.yaml, not analysed as an object of its own (check overlays/prod to see the build with it applied)\n',
    );
    assert.match(alone.stdout, /0 errors, 0 warnings, 0 information in 0 files/);
    // A folder below the kustomization, and a file two folders below it.
    assert.deepEqual(rules(['check', 'overlays/prod/patches']), []);
    assert.deepEqual(rules(['check', 'prod/patches/json.yaml'], path.join(root, 'overlays')), []);
    // Named with its kustomization, the file is a patch of the build, as the engine reads it.
    assert.ok(!rules(['check', 'overlays/prod/track.yaml', 'overlays/prod/kustomization.yaml']).includes('overlays/prod/track.yaml workload-selector-mismatch'));
    // The search ends at the working directory: a kustomization above it is not read.
    write('outer/kustomization.yaml', 'patches:\n- path: inner/track.yaml\n');
    write('outer/inner/track.yaml', patch);
    assert.deepEqual(rules(['check', '.'], path.join(root, 'outer/inner')), ['track.yaml workload-selector-mismatch']);
    assert.deepEqual(rules(['check', 'inner'], path.join(root, 'outer')), []);
  });

  test('a patch file is left out only when no kustomization read with it lists it, nor one found as a resource; paths are compared as real paths', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n';
    const service = (targetPort: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: ${targetPort}\n`;
    write('base/kustomization.yaml', 'resources:\n- deployment.yaml\n- service.yaml\n');
    write('base/deployment.yaml', deployment);
    write('base/service.yaml', service('metrics'));
    write('overlays/prod/kustomization.yaml', 'resources:\n- ../../base\npatches:\n- path: fix.yaml\n');
    write('overlays/prod/fix.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n');
    // A kustomization above that is not read lists the same patch: the overlay read with it still applies it.
    write('overlays/kustomization.yaml', 'resources:\n- ../base\npatches:\n- path: prod/fix.yaml\n');
    const findings = (args: readonly string[], cwd = root) => runJson(args, { cwd }).output.findings.map((finding) => `${finding.file} ${finding.severity} ${finding.ruleId}`);
    const trackPatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n      track: prod\n  template:\n    metadata:\n      labels:\n        track: prod\n';
    assert.deepEqual(findings(['check', 'overlays/prod', 'base']), []);
    assert.deepEqual(findings(['check', 'overlays/prod/fix.yaml', 'overlays/kustomization.yaml', 'base']), []);
    // Listed as a resource and as a patch by the kustomization above: kustomize makes an object of it.
    write('o/kustomization.yaml', 'resources:\n- extra.yaml\npatches:\n- path: extra.yaml\n');
    write('o/extra.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  selector:\n    app: extra\n  ports:\n    - port: 80\n');
    assert.deepEqual(findings(['check', 'o/extra.yaml']), ['o/extra.yaml warning service-selector-no-match']);
    // A folder whose name starts with two dots is inside the working directory.
    write('..overlays/kustomization.yaml', 'resources:\n- ../base\npatches:\n- path: prod/fix.yaml\n');
    write('..overlays/prod/fix.yaml', trackPatch);
    assert.equal(findings(['check', 'fix.yaml'], path.join(root, '..overlays/prod')).length, 1, 'read as an object, the patch has a finding');
    assert.deepEqual(findings(['check', '..overlays/prod/fix.yaml']), []);
    // The working directory reached through a link, and the file named by its absolute path through it.
    fs.symlinkSync(root, `${root}-link`, 'dir');
    try {
      assert.deepEqual(findings(['check', `${root}-link/..overlays/prod/fix.yaml`], `${root}-link`), []);
    } finally {
      fs.unlinkSync(`${root}-link`);
    }
    // A kustomization file that links out of its folder is not one kustomize reads.
    write('elsewhere/kustomization.yaml', 'patches:\n- path: track.yaml\n');
    write('linked/track.yaml', trackPatch);
    fs.symlinkSync(path.join(root, 'elsewhere/kustomization.yaml'), path.join(root, 'linked/kustomization.yaml'));
    assert.deepEqual(findings(['check', 'linked/track.yaml']), ['linked/track.yaml error workload-selector-mismatch']);
  });

  test('the patch search follows real paths: a file reached through a folder link, a kustomization linked below its folder, a component, a folder name with a space', () => {
    const servicePatch = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: nothere\n  ports:\n    - port: 80\n';
    const check = (args: readonly string[]) => runCli(['check', '--fail-on', 'warning', ...args], { cwd: root });
    // Read as an object, the patch's selector matches nothing: a warning, exit 1.
    write('y/z/sp.yaml', servicePatch);
    assert.equal(check(['y/z/sp.yaml']).status, 1);
    write('y/kustomization.yaml', 'patches:\n- path: z/sp.yaml\n');
    fs.mkdirSync(path.join(root, 'x'));
    fs.symlinkSync('../y/z', path.join(root, 'x/link'), 'dir');
    const throughLink = check(['x/link/sp.yaml']);
    assert.equal(throughLink.status, 0, throughLink.stdout);
    assert.match(throughLink.stderr, /x\/link\/sp\.yaml: a kustomize patch listed by y\/kustomization\.yaml/);
    // A kustomization that lists the file through a link out of its own folder is one kustomize refuses to load from.
    fs.rmSync(path.join(root, 'y/kustomization.yaml'));
    write('x/kustomization.yaml', 'patches:\n- path: link/sp.yaml\n');
    assert.equal(check(['x/link/sp.yaml']).status, 1);
    // A kustomization file linked to a file below its folder is read, as kustomize reads it.
    write('a/sub/k.yaml', 'patches:\n- path: sp.yaml\n');
    write('a/sp.yaml', servicePatch);
    fs.symlinkSync('sub/k.yaml', path.join(root, 'a/kustomization.yaml'));
    assert.equal(check(['a/sp.yaml']).status, 0);
    // A component is built only by the overlays that use it; a folder with a space is quoted.
    write('my comps/mon/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: sp.yaml\n');
    write('my comps/mon/sp.yaml', servicePatch);
    write('my ov/kustomization.yaml', 'patches:\n- path: sp.yaml\n');
    write('my ov/sp.yaml', servicePatch);
    const notes = check(['my comps/mon/sp.yaml', 'my ov/sp.yaml']);
    assert.equal(notes.status, 0);
    assert.equal(
      notes.stderr,
      "service-lens: my comps/mon/sp.yaml: a kustomize patch listed by my comps/mon/kustomization.yaml, not analysed as an object of its own (check an overlay that uses the component to see the build with it applied)\n" +
        "service-lens: my ov/sp.yaml: a kustomize patch listed by my ov/kustomization.yaml, not analysed as an object of its own (check 'my ov' to see the build with it applied)\n",
    );
  });

  test('reads a file named on the command line whatever its extension', () => {
    write('d.txt', service('d'));
    assert.deepEqual(serviceNames(['check', 'd.txt']), ['d.txt#d']);
  });

  test('reads each file once when paths overlap or links point back', () => {
    write('dir/a.yaml', service('a'));
    fs.symlinkSync(root, path.join(root, 'dir', 'loop'), 'dir');
    fs.symlinkSync(path.join(root, 'dir', 'a.yaml'), path.join(root, 'alias.yaml'));
    const run = runCli(['check', '.', 'dir', 'dir/a.yaml'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, / in 1 file; 1 Service$/m);
    assert.deepEqual(serviceNames(['check', '.', 'dir']), ['alias.yaml#a']);
  });

  test('follows a link to a folder outside the given path only with --follow-symlinks-outside', () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-cli-outside-')));
    try {
      fs.writeFileSync(path.join(outside, 'x.yaml'), service('x'));
      fs.symlinkSync(outside, path.join(root, 'linked'), 'dir');
      assert.deepEqual(serviceNames(['check']), []);
      assert.equal(runCli(['check'], { cwd: root }).stderr, `service-lens: Not following linked -> ${outside}: outside the workspace folder\n`);
      assert.deepEqual(serviceNames(['check', '--follow-symlinks-outside']), ['linked/x.yaml#x']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('skips binary files and files over 5 MB with a note on stderr', () => {
    write('good.yaml', service('good'));
    write('binary.yaml', Buffer.concat([Buffer.from(service('binary')), Buffer.from([0, 1, 2])]));
    write('huge.yaml', service('huge') + `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const run = runCli(['check', '--format', 'json'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /binary\.yaml: skipped, binary content/);
    assert.match(run.stderr, /huge\.yaml: skipped, larger than 5 MB/);
    const names = (JSON.parse(run.stdout) as { services: { name: string }[] }).services.map((entry) => entry.name);
    assert.deepEqual(names, ['good']);
  });

  test('reads a file that is not valid UTF-8 as kubectl apply does, with a note that kustomize refuses it', () => {
    // A Latin-1 é in a comment on line 2, after a U+FFFD the file writes as UTF-8 on line 1 (not a fault).
    write('latin.yaml', Buffer.concat([Buffer.from('# \uFFFD\n# caf'), Buffer.from([0xe9]), Buffer.from(`\n${service('latin')}`)]));
    write('good.yaml', service('good'));
    const run = runCli(['check', '--format', 'json'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, 'service-lens: latin.yaml: not valid UTF-8 at line 2, column 6; read with U+FFFD in place of the bytes, as kubectl apply sends them. kubectl kustomize refuses such a file (invalid UTF-8): save it as UTF-8.\n');
    const names = (JSON.parse(run.stdout) as { services: { name: string }[] }).services.map((entry) => entry.name);
    assert.deepEqual(names.sort(), ['good', 'latin']);
  });

  test('exits 2 when any named path is missing, even if others exist', () => {
    write('a.yaml', service('a'));
    const run = runCli(['check', 'a.yaml', 'missing.yaml'], { cwd: root });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /missing\.yaml: no such file or directory/);
    assert.equal(run.stdout, '');
  });

  test('an empty folder is a clean run', () => {
    const run = runCli(['check'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^0 errors, 0 warnings, 0 information in 0 files; 0 Services$/m);
  });
});
