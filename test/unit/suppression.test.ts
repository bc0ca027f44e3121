import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TestHost } from '../support/testHost';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]
`;

function findings(service: string): string[] {
  const workspace = new TestHost();
  workspace.setFiles([['deployment.yaml', DEPLOYMENT], ['service.yaml', service]]);
  return workspace.allFindings().map((finding) => finding.ruleId);
}

const SERVICE = (comment: string, annotations = '') => `apiVersion: v1
kind: Service
metadata:
  name: web${annotations}
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
${comment}      targetPort: htpp
`;

describe('suppression', () => {
  it('reports the finding without a suppression', () => {
    assert.deepEqual(findings(SERVICE('')), ['service-target-port-unresolved']);
  });

  it('a disable-next-line comment with the rule id hides it', () => {
    assert.deepEqual(findings(SERVICE('      # service-lens-disable-next-line service-target-port-unresolved\n')), []);
  });

  it('several ids may be listed, separated by commas', () => {
    assert.deepEqual(findings(SERVICE('      # service-lens-disable-next-line service-selector-no-match, service-target-port-unresolved\n')), []);
  });

  it('another rule id does not hide it', () => {
    assert.deepEqual(findings(SERVICE('      # service-lens-disable-next-line service-selector-no-match\n')), ['service-target-port-unresolved']);
  });

  it('message text never suppresses, only ids', () => {
    assert.deepEqual(findings(SERVICE('      # service-lens-disable-next-line targetPort htpp names no TCP port\n')), ['service-target-port-unresolved']);
  });

  it('the directive must open a whole-line comment', () => {
    const text = SERVICE('').replace('targetPort: htpp', 'targetPort: htpp # service-lens-disable-next-line service-target-port-unresolved');
    assert.deepEqual(findings(text), ['service-target-port-unresolved']);
  });

  it('it applies to the next line only', () => {
    const text = SERVICE('      # service-lens-disable-next-line service-target-port-unresolved\n      protocol: TCP\n');
    assert.deepEqual(findings(text), ['service-target-port-unresolved']);
  });

  it('the service-lens/disable annotation hides the rule on that object', () => {
    const annotated = SERVICE('', '\n  annotations:\n    service-lens/disable: "service-target-port-unresolved"');
    assert.deepEqual(findings(annotated), []);
  });

  it('a severity setting of off disables a rule', () => {
    const workspace = new TestHost({ rules: { 'service-target-port-unresolved': 'off' } });
    workspace.setFiles([['deployment.yaml', DEPLOYMENT], ['service.yaml', SERVICE('')]]);
    assert.deepEqual(workspace.allFindings(), []);
  });

  it('a severity setting overrides the default', () => {
    const workspace = new TestHost({ rules: { 'service-target-port-unresolved': 'hint' } });
    workspace.setFiles([['deployment.yaml', DEPLOYMENT], ['service.yaml', SERVICE('')]]);
    assert.deepEqual(workspace.allFindings().map((finding) => finding.severity), ['hint']);
  });
});
