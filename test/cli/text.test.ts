import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { run as runInProcess } from '../../server/src/cli/main';
import { FIXTURES, REPO_ROOT, runCli, runJson, withoutColourSettings } from './harness';

const error = `${FIXTURES}/error`;
const warning = `${FIXTURES}/warning`;
const FINDING_LINE = /^(?<file>[^\s:]+):(?<line>\d+):(?<column>\d+) (?<severity>error|warning|information|hint) (?<rule>[a-z]+(?:-[a-z]+)+) (?<message>\S.*)$/;

describe('--format text', () => {
  test('prints one file:line:col severity rule-id message line per finding, 1-based', () => {
    const run = runCli(['check', error, warning]);
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.split('\n').filter((line) => FINDING_LINE.test(line));
    const { output } = runJson(['check', error, warning]);
    assert.equal(lines.length, output.findings.length);
    assert.equal(lines.length, 2);
    lines.forEach((line, index) => {
      const groups = FINDING_LINE.exec(line)?.groups;
      const finding = output.findings[index]!;
      assert.ok(groups);
      assert.equal(groups['file'], finding.file);
      assert.equal(Number(groups['line']), finding.range.start.line + 1);
      assert.equal(Number(groups['column']), finding.range.start.character + 1);
      assert.equal(groups['severity'], finding.severity);
      assert.equal(groups['rule'], finding.ruleId);
      assert.equal(groups['message'], finding.message);
    });
    assert.ok(run.stdout.startsWith(`${error}/service.yaml:11:19 error service-target-port-unresolved `), run.stdout);
  });

  test('lists each Service with its matches and port resolutions, then a summary', () => {
    const run = runCli(['check', error]);
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.includes(`  Service default/web (ClusterIP) -> Deployment/web [${error}/deployment.yaml]`), run.stdout);
    assert.ok(lines.includes('    81 -> http -> web:8080/TCP'), run.stdout);
    assert.ok(lines.some((line) => /^ {4}80 -> http-alt -> unresolved on Deployment\/web/.test(line)), run.stdout);
    assert.equal(lines.at(-1), '1 error, 0 warnings, 0 information in 2 files; 1 Service');
  });

  test('gives each Service its cluster DNS name, in the --cluster-domain when one is given', () => {
    const lines = runCli(['check', `${FIXTURES}/clean`]).stdout.split('\n');
    const service = lines.findIndex((line) => line.startsWith('  Service shop/web '));
    assert.equal(lines[service + 1], '    dns web.shop.svc.cluster.local');
    const custom = runCli(['check', `${FIXTURES}/clean`, '--cluster-domain', 'corp.example']).stdout;
    assert.match(custom, /^ {4}dns web\.shop\.svc\.corp\.example$/m);
  });

  test('a Service without a selector: each port reaches the endpoint port of its name, not its targetPort', () => {
    const run = runCli(['check', `${FIXTURES}/selectorless`, '--fail-on', 'none']);
    const lines = run.stdout.split('\n');
    // Port sql: targetPort 5432, and the EndpointSlice's port sql is 6432, where traffic goes.
    assert.ok(lines.includes('    5432 -> EndpointSlice/pg-1:6432 (port sql)'), run.stdout);
    assert.ok(lines.includes('    80 -> Endpoints/legacy: no port named http (its ports: web 8080/TCP)'), run.stdout);
    assert.match(run.stdout, /^test\/fixtures\/cli\/selectorless\/services\.yaml:\d+:\d+ warning endpoints-port-unmatched Endpoints\/legacy has no TCP port named http/m);
  });

  test('names a Service that matches nothing', () => {
    const run = runCli(['check', warning]);
    assert.ok(run.stdout.includes('  Service default/api (ClusterIP) -> no Pod template in default'), run.stdout);
    assert.equal(run.stdout.trimEnd().split('\n').at(-1), '0 errors, 1 warning, 0 information in 2 files; 1 Service');
  });

  test('names the custom resource whose operator makes the Pods of a Service', () => {
    const run = runCli(['check', `${FIXTURES}/operated`]);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes(`  Service monitoring/alertmanager-main (ClusterIP) -> Pods its operator makes for Alertmanager/main [${FIXTURES}/operated/monitoring.yaml]`), run.stdout);
    assert.ok(lines.includes("    9093 -> web -> the operator's Pods (ports not in a manifest)"), run.stdout);
    assert.equal(lines.filter((line) => /Pods its operator makes for/.test(line)).length, 5, run.stdout);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(lines.at(-2), '0 errors, 0 warnings, 0 information in 1 file; 5 Services');
  });

  test('a clean run still prints Services and the summary', () => {
    const run = runCli(['check', `${FIXTURES}/clean`]);
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, FINDING_LINE);
    assert.match(run.stdout, /^ {2}Service shop\/web \(ClusterIP\) -> Deployment\/web \[test\/fixtures\/cli\/clean\/workloads\/web\.yaml\]$/m);
    assert.match(run.stdout, /^0 errors, 0 warnings, 0 information in \d+ files; \d+ Services?$/m);
  });

  test('uses no colour when stdout is not a terminal, whatever NO_COLOR says', () => {
    for (const env of [withoutColourSettings(process.env), { ...withoutColourSettings(process.env), NO_COLOR: '1' }]) {
      const run = runCli(['check', error], { env });
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(run.stdout, /\u001b\[/);
    }
  });

  test('colours severities on a terminal unless NO_COLOR is set', async () => {
    const outputFor = async (env: Record<string, string | undefined>): Promise<string> => {
      let stdout = '';
      await runInProcess(['check', error], {
        cwd: REPO_ROOT,
        env,
        stdoutIsTerminal: true,
        out: (text) => (stdout += text),
        err: () => undefined,
      });
      return stdout;
    };
    // eslint-disable-next-line no-control-regex
    assert.match(await outputFor({}), /\u001b\[31merror\u001b\[39m \u001b\[2mservice-target-port-unresolved\u001b\[22m /);
    // eslint-disable-next-line no-control-regex
    assert.match(await outputFor({ NO_COLOR: '' }), /\u001b\[31merror/, 'an empty NO_COLOR does not disable colour');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(await outputFor({ NO_COLOR: '1' }), /\u001b\[/);
  });
});

describe('text output: Pods another build makes', () => {
  test('a Service that selects what a kustomize build makes names the build, and its ports resolve there', () => {
    const { stdout } = runCli(['check', '.', '--fail-on', 'none'], { cwd: `${REPO_ROOT}/${FIXTURES}/elsewhere` });
    const lines = stdout.split('\n');
    assert.ok(lines.includes('  Service default/web-direct (ClusterIP) -> Deployment/web [base/app.yaml], from overlay base (base), applied apart'), stdout);
    assert.ok(lines.includes('    80 -> 8080 -> web:8080/TCP'), stdout);
    // A Service a build holds names the build.
    assert.ok(lines.includes('  Service default/web (ClusterIP) in overlay base -> Deployment/web [base/app.yaml]'), stdout);
  });
});
