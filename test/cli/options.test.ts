import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, REPO_ROOT, runCli, runJson } from './harness';

const clean = `${FIXTURES}/clean`;
const error = `${FIXTURES}/error`;
const warning = `${FIXTURES}/warning`;
const information = `${FIXTURES}/information`;
const namespace = `${FIXTURES}/namespace`;

function ruleIds(args: readonly string[]): string[] {
  return runJson(args).output.findings.map((finding) => finding.ruleId);
}

describe('service-lens command line', () => {
  test('--help and -h print usage and exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const run = runCli([flag]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Usage: service-lens check \[paths\.\.\.\]/);
      assert.match(run.stdout, /--fail-on/);
    }
  });

  test('--version prints the package version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = runCli(['--version']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['no command', [], /Missing command/],
    ['an unknown command', ['lint', clean], /Unknown command "lint"/],
    ['an unknown option', ['check', clean, '--bogus'], /bogus/],
    ['an option without its value', ['check', clean, '--format'], /format/],
    ['an unknown format', ['check', clean, '--format', 'xml'], /Unknown format "xml"/],
    ['an unknown --fail-on level', ['check', clean, '--fail-on', 'fatal'], /--fail-on level "fatal"/],
    ['an unknown rule id', ['check', clean, '--rule', 'service-selector-typo=error'], /Unknown rule "service-selector-typo"/],
    ['an unknown rule severity', ['check', clean, '--rule', 'service-selector-no-match=loud'], /Unknown severity "loud"/],
    ['a rule without a severity', ['check', clean, '--rule', 'service-selector-no-match'], /<id>=<severity>/],
  ];
  for (const [name, args, message] of usageErrors) {
    test(`exits 2 on ${name}`, () => {
      const run = runCli(args);
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }

  test('exits 2 with the path named when a path does not exist', () => {
    const run = runCli(['check', clean, `${FIXTURES}/does-not-exist`]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /does-not-exist: no such file or directory/);
    assert.equal(run.stdout, '');
  });

  test('exits 0 on a clean workspace and 1 on an error finding', () => {
    const cleanRun = runCli(['check', clean]);
    assert.equal(cleanRun.status, 0, cleanRun.stdout + cleanRun.stderr);
    const errorRun = runCli(['check', error]);
    assert.equal(errorRun.status, 1, errorRun.stdout + errorRun.stderr);
    assert.match(errorRun.stdout, / error service-target-port-unresolved /);
  });

  test('checks the current directory when no path is given', () => {
    assert.equal(runCli(['check'], { cwd: path.join(REPO_ROOT, clean) }).status, 0);
    const run = runCli(['check'], { cwd: path.join(REPO_ROOT, error) });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^service\.yaml:\d+:\d+ error service-target-port-unresolved /m);
  });

  test('--fail-on decides which severities fail the run', () => {
    assert.deepEqual(ruleIds(['check', warning]), ['service-selector-no-match']);
    assert.equal(runCli(['check', warning]).status, 0, 'a warning does not fail the default --fail-on error');
    assert.equal(runCli(['check', warning, '--fail-on', 'error']).status, 0);
    assert.equal(runCli(['check', warning, '--fail-on', 'warning']).status, 1);
    assert.equal(runCli(['check', warning, '--fail-on', 'info']).status, 1);
  });

  test('--fail-on info fails on information findings, warning does not', () => {
    const findings = runJson(['check', information]).output.findings;
    assert.deepEqual(
      findings.map((finding) => [finding.ruleId, finding.severity]),
      [['service-target-port-undeclared', 'information']],
    );
    assert.equal(runCli(['check', information]).status, 0);
    assert.equal(runCli(['check', information, '--fail-on', 'warning']).status, 0);
    assert.equal(runCli(['check', information, '--fail-on', 'info']).status, 1);
  });

  test('--fail-on none reports findings and exits 0', () => {
    const run = runCli(['check', information, '--fail-on', 'none']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /service-target-port-undeclared/);
    assert.equal(runCli(['check', information, '--fail-on', 'none', '--rule', 'service-target-port-undeclared=error']).status, 0);
  });

  test('--rule raises, lowers and turns off a rule', () => {
    const raised = runJson(['check', information, '--rule', 'service-target-port-undeclared=error']);
    assert.equal(raised.run.status, 1);
    assert.deepEqual(raised.output.findings.map((finding) => finding.severity), ['error']);

    const lowered = runJson(['check', error, '--rule', 'service-target-port-unresolved=warning']);
    assert.equal(lowered.run.status, 0);
    assert.deepEqual(
      lowered.output.findings.map((finding) => [finding.ruleId, finding.severity]),
      [['service-target-port-unresolved', 'warning']],
    );

    const off = runJson(['check', error, '--rule', 'service-target-port-unresolved=off']);
    assert.equal(off.run.status, 0);
    assert.deepEqual(off.output.findings, []);
    assert.equal(off.output.services.length, 1, 'turning a rule off keeps the Service report');
  });

  test('the last --rule for an id wins and other rules keep their defaults', () => {
    const run = runJson([
      'check', error, warning,
      '--rule', 'service-target-port-unresolved=off',
      '--rule', 'service-target-port-unresolved=hint',
    ]);
    const severities = Object.fromEntries(run.output.findings.map((finding) => [finding.ruleId, finding.severity]));
    assert.deepEqual(severities, { 'service-target-port-unresolved': 'hint', 'service-selector-no-match': 'warning' });
  });

  test('--default-namespace places objects without metadata.namespace', () => {
    const elsewhere = runJson(['check', namespace]);
    // The StatefulSet's headless Service is in `default`, not in the StatefulSet's namespace `data`.
    assert.deepEqual(elsewhere.output.findings.map((finding) => finding.ruleId), ['service-selector-other-namespace', 'statefulset-service-unresolved']);
    assert.equal(elsewhere.output.findings[0]?.resource.namespace, 'default');
    assert.equal(runCli(['check', namespace, '--fail-on', 'warning']).status, 1);

    const home = runJson(['check', namespace, '--default-namespace', 'data']);
    assert.deepEqual(home.output.findings, []);
    assert.equal(home.output.services[0]?.namespace, 'data');
    assert.deepEqual(home.output.services[0]?.matches.map((match) => `${match.kind}/${match.name}`), ['StatefulSet/db']);
    assert.equal(runCli(['check', namespace, '--default-namespace', 'data', '--fail-on', 'warning']).status, 0);
  });

  test('all paths of one run form one linking universe', () => {
    const alone = runJson(['check', `${clean}/services`]);
    assert.deepEqual(alone.output.findings.map((finding) => finding.ruleId), ['service-selector-no-match']);

    const together = runJson(['check', `${clean}/services`, `${clean}/workloads`]);
    assert.deepEqual(together.output.findings, []);
    assert.deepEqual(together.output.services[0]?.matches, [
      { file: `${clean}/workloads/web.yaml`, kind: 'Deployment', name: 'web' },
    ]);
  });
});
