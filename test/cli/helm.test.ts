/**
 * `--helm off|auto` and `--helm-values` through the real helm (tools/k8s/bin/helm, put on PATH as
 * a user has it): the examples' charts are rendered and checked as examples/EXPECTED.md promises
 * ("Findings with Helm rendering"), each finding on a template line with its chart folder as JSON
 * `scope`; without helm on PATH, or with --helm off, charts are skipped as before.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { findingKey, parseExpectedFindings, type ExpectedFinding, type ExpectedSeverity } from '../e2e/expected';
import { helmBinary } from '../support/helm';
import { REPO_ROOT, runCli, withoutColourSettings, type CliRun, type JsonOutput } from './harness';

const STAGING = 'examples/charts/cart/values-staging.yaml';
const SKIP_NOTE = /:\d+:\d+: Not analysed: .*template/;

/** The environment with the test helm first on PATH (or no helm at all). */
function environment(withHelm: boolean): NodeJS.ProcessEnv {
  const env = withoutColourSettings(process.env);
  env['PATH'] = withHelm ? `${path.dirname(helmBinary())}${path.delimiter}${process.env['PATH'] ?? ''}` : path.join(REPO_ROOT, 'no-such-folder');
  return env;
}

function json(args: readonly string[], withHelm: boolean): { run: CliRun; output: JsonOutput } {
  const run = runCli([...args, '--format', 'json', '--fail-on', 'none'], { env: environment(withHelm) });
  assert.equal(run.status, 0, run.stderr);
  return { run, output: JSON.parse(run.stdout) as JsonOutput };
}

/** Each finding as `file:line severity rule-id`. */
/** Writes `text` to `file` (relative to `root`), making its folders. */
function writeInto(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

function located(output: JsonOutput): string[] {
  return output.findings.map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.severity} ${finding.ruleId}`);
}

function keys(output: JsonOutput): string[] {
  return output.findings.map((finding) =>
    findingKey({
      file: finding.file.replace(/^examples\//, ''),
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      ruleId: finding.ruleId,
      severity: finding.severity as ExpectedSeverity,
    }),
  );
}

describe('service-lens check --helm', () => {
  const markdown = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'EXPECTED.md'), 'utf8');
  const plain: readonly ExpectedFinding[] = parseExpectedFindings(markdown);
  const rendered: readonly ExpectedFinding[] = parseExpectedFindings(markdown, 'Findings with Helm rendering');

  test('--helm auto with the staging values renders both charts: the findings EXPECTED.md lists', () => {
    const { run, output } = json(['check', 'examples', '--helm', 'auto', '--helm-values', STAGING], true);
    assert.deepEqual(keys(output), [...plain, ...rendered].map(findingKey).sort((left, right) => (left < right ? -1 : left > right ? 1 : 0)));
    assert.doesNotMatch(run.stderr, SKIP_NOTE, 'no template is skipped');
    const target = output.findings.find((finding) => finding.file === 'examples/charts/cart/templates/service.yaml');
    assert.ok(target, 'the template finding');
    assert.equal(target.scope, 'examples/charts/cart');
    assert.match(target.message, /^targetPort web names no TCP port of Deployment\/cart.* Rendered with values\.yaml, values-staging\.yaml: targetPort web\.$/);
    const failed = output.findings.find((finding) => finding.ruleId === 'chart-render-failed');
    assert.equal(failed?.scope, 'examples/chart');
    assert.match(failed?.message ?? '', /no template "numbers\.fullname"/);
    assert.ok(output.services.some((service) => service.file === 'examples/charts/cart/templates/service.yaml' && service.name === 'cart'), 'Service/cart from the render');
  });

  test('--helm auto with a fact cache: the second run, from the cache, reports the same on the same lines', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-helm-cache-'));
    try {
      const args = ['check', 'examples', '--helm', 'auto', '--helm-values', STAGING, '--cache', cache];
      const first = json(args, true).output;
      const second = json(args, true).output;
      assert.deepEqual(keys(second), keys(first));
      assert.deepEqual(second.findings.map((finding) => finding.message), first.findings.map((finding) => finding.message));
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  test('--helm auto without the staging values: the cart chart is correct, the other still fails', () => {
    const { output } = json(['check', 'examples', '--helm', 'auto'], true);
    const extra = keys(output).filter((key) => !plain.map(findingKey).includes(key));
    assert.deepEqual(extra, ['chart/Chart.yaml:4:7 error chart-render-failed']);
  });

  test('--helm off (the default) skips the templates, with a note each', () => {
    for (const args of [['check', 'examples'], ['check', 'examples', '--helm', 'off', '--helm-values', STAGING]]) {
      const { run, output } = json(args, true);
      assert.deepEqual(keys(output), plain.map(findingKey));
      assert.equal(run.stderr.split('\n').filter((line) => SKIP_NOTE.test(line)).length, 3, run.stderr);
    }
  });

  test('--helm auto without helm on PATH says so once and skips the templates', () => {
    const { run, output } = json(['check', 'examples', '--helm', 'auto'], false);
    assert.deepEqual(keys(output), plain.map(findingKey));
    assert.equal(run.stderr.split('\n').filter((line) => /helm was not found on PATH/.test(line)).length, 1, run.stderr);
  });

  test('a chart rendered without a dependency that is not in charts/: what its Pods would match is information', () => {
    const { run, output } = json(['check', 'test/fixtures/helm/needs-redis', '--helm', 'auto'], true);
    assert.match(run.stderr, /Dependencies redis of needs-redis are not in its charts\/ folder/);
    const found = output.findings.map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.severity} ${finding.ruleId}: ${finding.message}`);
    assert.deepEqual(found, [
      'test/fixtures/helm/needs-redis/templates/app.yaml:10 error service-target-port-unresolved: targetPort http names no TCP port of Deployment/app; named ports of Deployment/app: web (8080/TCP). Rendered with values.yaml: targetPort http.',
      'test/fixtures/helm/needs-redis/templates/redis-client.yaml:7 information service-selector-no-match: Selector app.kubernetes.io/name=redis matches no Pod template in namespace default; chart needs-redis is built only in part (dependency redis not in its charts/ folder), and the part left out may hold it. Rendered with values.yaml: selector app.kubernetes.io/name=redis.',
    ]);
  });

  test('a finding on a template line a range renders twice says what its own object was rendered with', () => {
    const { output } = json(['check', 'test/fixtures/helm/ranged', '--helm', 'auto', '--helm-values', 'test/fixtures/helm/ranged/values-admin-typo.yaml'], true);
    const found = output.findings.map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.ruleId}: ${finding.message}`);
    assert.deepEqual(found, [
      'test/fixtures/helm/ranged/templates/services.yaml:12 service-target-port-unresolved: targetPort admn names no TCP port of Deployment/ranged; named ports of Deployment/ranged: http (8080/TCP), admin (9000/TCP). Rendered with values.yaml, values-admin-typo.yaml: targetPort admn.',
    ]);
  });

  test('a missing dependency the values switch off leaves nothing out: what its Pods would match is a warning again', () => {
    const { run, output } = json(['check', 'test/fixtures/helm/needs-redis', '--helm', 'auto', '--helm-values', 'test/fixtures/helm/needs-redis/values-no-redis.yaml'], true);
    assert.match(run.stderr, /Dependencies redis of needs-redis are not in its charts\/ folder and are switched off by the values/);
    const found = located(output);
    assert.deepEqual(found, [
      'test/fixtures/helm/needs-redis/templates/app.yaml:10 error service-target-port-unresolved',
      'test/fixtures/helm/needs-redis/templates/redis-client.yaml:7 warning service-selector-no-match',
    ]);
  });

  test('beside a chart whose render fails, a Service the chart may hold is information', () => {
    const { output } = json(['check', 'test/fixtures/helm/beside-failing', '--helm', 'auto'], true);
    const found = located(output);
    assert.deepEqual(found, [
      'test/fixtures/helm/beside-failing/chart/Chart.yaml:2 error chart-render-failed',
      'test/fixtures/helm/beside-failing/manifests/ingress.yaml:9 information ingress-backend-unresolved',
    ]);
  });

  test('plain manifests beside a rendered chart name its Service and select its Pods: found in the chart', () => {
    const { output } = json(['check', 'test/fixtures/helm/beside-rendered', '--helm', 'auto'], true);
    const found = located(output);
    // Only the Ingress whose Service no scope holds is reported.
    assert.deepEqual(found, ['test/fixtures/helm/beside-rendered/manifests/edge.yaml:21 error ingress-backend-unresolved']);
    const direct = output.services.find((service) => service.name === 'web-direct');
    assert.deepEqual(direct?.elsewhere, {
      scope: 'test/fixtures/helm/beside-rendered/web',
      label: 'chart web',
      matches: [{ file: 'test/fixtures/helm/beside-rendered/web/templates/app.yaml', kind: 'Deployment', name: 'web' }],
    });
    // The release goes to the namespace the plain manifests default to (`.Release.Namespace`).
    const { output: shop } = json(['check', 'test/fixtures/helm/beside-rendered', '--helm', 'auto', '--default-namespace', 'shop'], true);
    assert.deepEqual(
      shop.findings.map((finding) => `${finding.range.start.line + 1} ${finding.severity} ${finding.ruleId}`),
      ['21 error ingress-backend-unresolved'],
    );
    assert.ok(shop.services.every((service) => service.namespace === 'shop'));
    // Without rendering, the chart's templates are skipped: what the manifests miss may be in them (information).
    const { output: unrendered } = json(['check', 'test/fixtures/helm/beside-rendered'], true);
    assert.deepEqual(
      unrendered.findings.map((finding) => `${finding.range.start.line + 1} ${finding.severity} ${finding.ruleId}`),
      ['10 information ingress-backend-unresolved', '21 information ingress-backend-unresolved', '30 information service-selector-no-match'],
    );
  });

  test('a chart a release renders as a subchart stands for nothing that release lacks', () => {
    // `helm dependency build` packages the file:// dependency into app/charts/, in a copy.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-umbrella-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/helm/umbrella'), copy, { recursive: true });
      const build = spawnSync(helmBinary(), ['dependency', 'build', 'app'], { cwd: copy, encoding: 'utf8', env: environment(true) });
      assert.equal(build.status, 0, build.stderr);
      const run = runCli(['check', '.', '--helm', 'auto', '--format', 'json', '--fail-on', 'none'], { cwd: copy, env: environment(true) });
      const output = JSON.parse(run.stdout) as JsonOutput;
      // The Ingress names the standalone release's Service (backend-backend); in its own release the subchart's is app-backend.
      assert.deepEqual(
        output.findings.filter((finding) => finding.ruleId === 'ingress-backend-unresolved').map((finding) => `${finding.file}:${finding.range.start.line + 1}`),
        ['app/templates/ingress.yaml:10'],
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a finding in a packaged subchart (charts/*.tgz) is reported on the dependency in Chart.yaml, naming the template', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-packaged-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/helm/umbrella'), copy, { recursive: true });
      // The subchart's Service names a port its Deployment does not have.
      fs.writeFileSync(
        path.join(copy, 'backend/templates/deployment.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-backend\nspec:\n  selector:\n    matchLabels:\n      app: backend\n  template:\n    metadata:\n      labels:\n        app: backend\n    spec:\n      containers:\n      - name: backend\n        ports:\n        - name: http\n          containerPort: 8080\n',
      );
      fs.writeFileSync(path.join(copy, 'backend/templates/service.yaml'), fs.readFileSync(path.join(copy, 'backend/templates/service.yaml'), 'utf8').replace('  - port: 80', '  - port: 80\n    targetPort: htp'));
      const build = spawnSync(helmBinary(), ['dependency', 'build', 'app'], { cwd: copy, encoding: 'utf8', env: environment(true) });
      assert.equal(build.status, 0, build.stderr);
      assert.ok(fs.readdirSync(path.join(copy, 'app/charts')).some((name) => name.endsWith('.tgz')), 'helm packed the subchart');
      const run = runCli(['check', 'app', '--helm', 'auto', '--format', 'json', '--fail-on', 'none'], { cwd: copy, env: environment(true) });
      const output = JSON.parse(run.stdout) as JsonOutput;
      const unresolved = output.findings.filter((finding) => finding.ruleId === 'service-target-port-unresolved');
      assert.deepEqual(
        unresolved.map((finding) => `${finding.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`),
        ['app/Chart.yaml:5:11'],
        JSON.stringify(output.findings.map((finding) => `${finding.file}: ${finding.message}`)),
      );
      assert.match(unresolved[0]!.message, /^In app\/charts\/backend\/templates\/service\.yaml \(a packaged subchart in charts\/, not a file of the workspace\): targetPort htp names no TCP port/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a chart that fails without a library dependency not fetched says first that the dependency is missing', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-library-'));
    try {
      const write = (file: string, text: string): void => writeInto(copy, file, text);
      write('common/Chart.yaml', 'apiVersion: v2\nname: common\nversion: 0.1.0\ntype: library\n');
      write('common/templates/_labels.tpl', '{{- define "common.labels" -}}\napp: {{ .Chart.Name }}\n{{- end -}}\n');
      write('app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../common\n');
      write('app/templates/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    {{- include "common.labels" . | nindent 4 }}\nspec:\n  ports:\n  - port: 80\n');
      const run = runCli(['check', 'app', '--helm', 'auto', '--format', 'json', '--fail-on', 'none'], { cwd: copy, env: environment(true) });
      const output = JSON.parse(run.stdout) as JsonOutput;
      const failed = output.findings.filter((finding) => finding.ruleId === 'chart-render-failed');
      assert.equal(failed.length, 1, JSON.stringify(output.findings));
      assert.match(failed[0]!.message, /missing in charts\/ directory: common; rendered without common, the chart fails too: .*no template "common\.labels"/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a subchart folder the values switch off renders nothing: a backend to its Service is an error, not a maybe', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-off-'));
    try {
      const write = (file: string, text: string): void => writeInto(copy, file, text);
      write('app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: cache\n    version: 0.1.0\n    condition: cache.enabled\n');
      write('app/values.yaml', 'cache:\n  enabled: false\n');
      write('app/templates/ingress.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\nspec:\n  defaultBackend:\n    service:\n      name: {{ .Release.Name }}-cache\n      port:\n        number: 6379\n');
      write('app/charts/cache/Chart.yaml', 'apiVersion: v2\nname: cache\nversion: 0.1.0\n');
      write('app/charts/cache/templates/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-cache\nspec:\n  selector:\n    app: cache\n  ports:\n  - port: 6379\n');
      const run = runCli(['check', 'app', '--helm', 'auto', '--format', 'json', '--fail-on', 'none'], { cwd: copy, env: environment(true) });
      const output = JSON.parse(run.stdout) as JsonOutput;
      assert.deepEqual(
        output.findings.filter((finding) => finding.ruleId === 'ingress-backend-unresolved').map((finding) => `${finding.severity} ${finding.file}:${finding.range.start.line + 1}`),
        ['error app/templates/ingress.yaml:8'],
        JSON.stringify(output.findings.map((finding) => finding.message)),
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a chart with a link out of the folder checked is not rendered unless --follow-symlinks-outside', () => {
    const copy = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-links-')));
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-elsewhere-')));
    try {
      writeInto(copy, 'app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
      writeInto(copy, 'app/templates/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "app.name" . }}\nspec:\n  selector:\n    app: app\n  ports:\n  - port: 80\n');
      writeInto(outside, 'helpers.tpl', '{{- define "app.name" -}}app{{- end }}\n');
      fs.symlinkSync(path.join(outside, 'helpers.tpl'), path.join(copy, 'app', 'templates', '_helpers.tpl'));
      const refused = runCli(['check', 'app', '--helm', 'auto', '--format', 'json', '--fail-on', 'none'], { cwd: copy, env: environment(true) });
      assert.equal(refused.status, 0, refused.stderr);
      assert.match(refused.stderr, new RegExp(`Chart app not rendered: templates/_helpers\\.tpl links to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/helpers\\.tpl, outside the workspace folder, and helm would read it \\(--follow-symlinks-outside`));
      assert.deepEqual((JSON.parse(refused.stdout) as JsonOutput).services, [], 'the template is skipped');
      const followed = runCli(['check', 'app', '--helm', 'auto', '--follow-symlinks-outside', '--format', 'json', '--fail-on', 'none'], { cwd: copy, env: environment(true) });
      assert.equal(followed.status, 0, followed.stderr);
      assert.deepEqual((JSON.parse(followed.stdout) as JsonOutput).services.map((service) => service.name), ['app']);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a missing values file is an input error, as helm template -f makes it; an unknown --helm value is a usage error', () => {
    const missing = runCli(['check', 'examples/charts', '--helm', 'auto', '--helm-values', 'examples/charts/cart/no-such-values.yaml'], { env: environment(true) });
    assert.equal(missing.status, 2, missing.stderr);
    assert.equal(missing.stdout, '', 'nothing is analysed');
    assert.match(missing.stderr, /--helm-values examples\/charts\/cart\/no-such-values\.yaml: no such file\n/);
    const usage = runCli(['check', 'examples', '--helm', 'always']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Unknown --helm value "always"; expected off or auto\./);
  });
});
