import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, REPO_ROOT, runJson, textAt } from './harness';

const error = `${FIXTURES}/error`;
const warning = `${FIXTURES}/warning`;

describe('--format json', () => {
  test('has exactly the version 1 top-level shape', () => {
    const { output } = runJson(['check', error]);
    assert.deepEqual(Object.keys(output).sort(), ['findings', 'services', 'version']);
    assert.equal(output.version, 1);
  });

  test('a finding carries rule, severity, relative file, 0-based range on the value, message and resource', () => {
    const { run, output } = runJson(['check', error]);
    assert.equal(run.status, 1);
    assert.equal(output.findings.length, 1, JSON.stringify(output.findings));
    const finding = output.findings[0]!;
    assert.deepEqual(Object.keys(finding).sort(), ['file', 'message', 'range', 'resource', 'ruleId', 'severity']);
    assert.equal(finding.ruleId, 'service-target-port-unresolved');
    assert.equal(finding.severity, 'error');
    assert.equal(finding.file, `${error}/service.yaml`);
    // service.yaml line 11 (0-based 10) is `      targetPort: http-alt`: the range is the value only.
    assert.deepEqual(finding.range, { start: { line: 10, character: 18 }, end: { line: 10, character: 26 } });
    assert.equal(textAt(path.join(REPO_ROOT, finding.file), finding.range), 'http-alt');
    assert.match(finding.message, /http-alt/);
    assert.match(finding.message, /Deployment\/web/);
    assert.deepEqual(finding.resource, { kind: 'Service', name: 'web', namespace: 'default' });
  });

  test('a Service lists its matches and, per port, where traffic lands', () => {
    const { output } = runJson(['check', error]);
    assert.deepEqual(output.services, [
      {
        file: `${error}/service.yaml`,
        name: 'web',
        namespace: 'default',
        type: 'ClusterIP',
        selector: { app: 'web' },
        matches: [{ file: `${error}/deployment.yaml`, kind: 'Deployment', name: 'web' }],
        ports: [
          { port: 80, targetPort: 'http-alt', protocol: 'TCP', resolutions: [] },
          {
            port: 81,
            targetPort: 'http',
            protocol: 'TCP',
            resolutions: [
              { file: `${error}/deployment.yaml`, kind: 'Deployment', name: 'web', container: 'web', containerPort: 8080 },
            ],
          },
        ],
      },
    ]);
  });

  test('the selector finding points at the selector pair', () => {
    const { output } = runJson(['check', warning]);
    const finding = output.findings.find((candidate) => candidate.ruleId === 'service-selector-no-match');
    assert.ok(finding, JSON.stringify(output.findings));
    assert.equal(finding.severity, 'warning');
    assert.equal(textAt(path.join(REPO_ROOT, finding.file), finding.range), 'app: api-server');
    assert.deepEqual(output.services.find((service) => service.name === 'api')?.matches, []);
  });

  test('a patch element kustomize drops is reported once, with the overlays that apply it', () => {
    const { output } = runJson(['check', `${FIXTURES}/patch-ignored`, '--fail-on', 'none']);
    const found = output.findings.map((finding) => ({ file: finding.file, line: finding.range.start.line + 1, ruleId: finding.ruleId, severity: finding.severity, scope: finding.scope, scopes: finding.scopes }));
    assert.deepEqual(found, [
      {
        file: `${FIXTURES}/patch-ignored/component/patch.yaml`,
        line: 8,
        ruleId: 'kustomize-patch-ignored',
        severity: 'warning',
        scope: `${FIXTURES}/patch-ignored/prod`,
        scopes: [`${FIXTURES}/patch-ignored/prod`, `${FIXTURES}/patch-ignored/qa`],
      },
    ]);
    assert.match(output.findings[0]!.message, /applies nothing of this element to Service\/web: its port 80 writes protocol: TCP/);
    // The base's Service as each overlay builds it, with the overlay's folder.
    assert.deepEqual(
      output.services.map((service) => `${service.name} ${service.scope ?? '-'}`),
      [`web ${FIXTURES}/patch-ignored/prod`, `web ${FIXTURES}/patch-ignored/qa`],
    );
  });

  test('a plain Ingress and Service in front of what a kustomize build makes: found in that build, named by `elsewhere`', () => {
    const { output, run } = runJson(['check', '.'], { cwd: path.join(REPO_ROOT, FIXTURES, 'elsewhere') });
    assert.equal(run.status, 1);
    // Only the backend no scope holds is missing.
    assert.deepEqual(
      output.findings.map((finding) => `${finding.file}:${finding.range.start.line + 1} ${finding.ruleId}`),
      ['edge/ingress.yaml:22 ingress-backend-unresolved'],
    );
    const direct = output.services.find((service) => service.name === 'web-direct');
    assert.deepEqual(direct?.matches, []);
    assert.deepEqual(direct?.elsewhere, { scope: 'base', label: 'overlay base', matches: [{ file: 'base/app.yaml', kind: 'Deployment', name: 'web' }] });
    // Its ports resolve on those Pods.
    assert.deepEqual(direct?.ports.map((port) => port.resolutions.map((resolution) => `${resolution.container}:${resolution.containerPort}`)), [['web:8080']]);
    assert.equal(output.services.find((service) => service.name === 'web')?.elsewhere, undefined);
  });

  test('paths are relative to the working directory', () => {
    const { output } = runJson(['check', '.'], { cwd: path.join(REPO_ROOT, error) });
    assert.deepEqual(output.findings.map((finding) => finding.file), ['service.yaml']);
    assert.deepEqual(output.services[0]?.matches.map((match) => match.file), ['deployment.yaml']);

    const { output: fromAbove } = runJson(['check', path.join(REPO_ROOT, error)], { cwd: path.join(REPO_ROOT, FIXTURES, 'warning') });
    assert.deepEqual(fromAbove.findings.map((finding) => finding.file), ['../error/service.yaml']);
  });

  test('additive fields: the endpoint port each port of a Service without a selector reaches', () => {
    const { output } = runJson(['check', `${FIXTURES}/selectorless`, '--fail-on', 'none']);
    const ports = Object.fromEntries(output.services.map((service) => [service.name, service.ports.map((port) => port.endpointPorts)]));
    const file = `${FIXTURES}/selectorless/services.yaml`;
    assert.deepEqual(ports, {
      pg: [[{ file, kind: 'EndpointSlice', name: 'pg-1', port: 6432 }]],
      legacy: [[{ file, kind: 'Endpoints', name: 'legacy', port: null }]],
    });
    const { output: clean } = runJson(['check', `${FIXTURES}/clean`]);
    assert.ok(clean.services.every((service) => service.ports.every((port) => port.endpointPorts === undefined)), 'absent for a Service with a selector');
  });

  test('additive fields: an operator-made owner, farther matches in the folder tree, assumed templates', () => {
    const cases = path.join(REPO_ROOT, 'test', 'fixtures', 'cases');
    const { output: operator } = runJson(['check', '.'], { cwd: path.join(cases, '24-operator-made-pods') });
    const owned = operator.services[0];
    assert.deepEqual(owned?.owner, { file: 'db.yaml', apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'pg-main' });
    assert.equal(owned?.alsoMatches, undefined);

    const { output: samples } = runJson(['check', '.'], { cwd: path.join(cases, '22-monorepo-alternatives') });
    const vllm = samples.services.find((service) => service.file === 'samples/vllm/serve.yaml');
    assert.deepEqual(vllm?.matches.map((match) => match.file), ['samples/vllm/serve.yaml']);
    assert.deepEqual(vllm?.alsoMatches?.map((match) => match.file), ['samples/tgi/serve.yaml']);
    assert.equal(vllm?.owner, undefined);

    const { output: rollout } = runJson(['check', '.'], { cwd: path.join(cases, '01-argo-rollout-workload') });
    assert.deepEqual(rollout.services[0]?.matches, [{ file: 'app.yaml', kind: 'Rollout', name: 'storefront' }]);
  });
});
