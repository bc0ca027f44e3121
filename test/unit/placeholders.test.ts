/**
 * Templates only where they matter: a document is skipped as a template when a field the tree
 * keeps holds an envsubst or Go-template placeholder, or when Go template actions make it invalid
 * YAML; placeholders in fields no rule reads leave it analysed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readFile } from '../../server/src/engine/syntax/documents';
import { at, type PNode } from '../../server/src/engine/syntax/tree';
import { REPO_ROOT } from '../support/paths';

const SERVICE = (name: string, app: string, port = '80') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - port: ${port}\n`;

function scalar(node: PNode | undefined): unknown {
  return node?.type === 'scalar' ? node.value : undefined;
}

describe('placeholders in kept fields', () => {
  it('skips the envsubst case as one template note naming the first placeholder and its field', () => {
    const text = readFileSync(join(REPO_ROOT, '..', 'shared', 'cases', '23-envsubst-placeholders', 'pool.yaml'), 'utf8');
    const read = readFile(text);
    assert.equal(read.documents.length, 0);
    assert.deepEqual(read.skipped.map((note) => [note.reason, note.message]), [
      ['template', 'Not analysed: metadata.name holds a placeholder (${POOL_NAME}); this document is a template (envsubst or Helm).'],
    ]);
  });

  it('names a whole-field placeholder, in every envsubst form', () => {
    for (const placeholder of ['${APP}', '$APP', '${APP:-web}', '${APP-web}', '"${APP}"', '${APP:=web}']) {
      const read = readFile(SERVICE('web', placeholder));
      assert.equal(read.documents.length, 0, placeholder);
      assert.equal(read.skipped.length, 1, placeholder);
      assert.equal(read.skipped[0]!.reason, 'template');
      const written = placeholder.replace(/"/g, '');
      assert.equal(read.skipped[0]!.message, `Not analysed: spec.selector.app is a placeholder (${written}); this document is a template (envsubst or Helm).`);
    }
  });

  it('finds placeholders in ports, keys and Go template actions', () => {
    const cases: [string, string][] = [
      [SERVICE('web', 'web', '${PORT:-80}'), 'spec.ports[0].port is a placeholder (${PORT:-80})'],
      [SERVICE('web', '{{ .Values.app }}'), 'spec.selector.app is a placeholder ({{ .Values.app }})'],
      [SERVICE('web', '"{{ .Values.app }}"'), 'spec.selector.app is a placeholder ({{ .Values.app }})'],
      [SERVICE('web', 'web-{{ .Release.Name }}'), 'spec.selector.app holds a placeholder ({{ .Release.Name }})'],
      [`apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    \${LABEL}: x\n`, 'a key of metadata.labels is a placeholder (${LABEL})'],
      [`apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app.kubernetes.io/name: $NAME\n`, 'metadata.labels["app.kubernetes.io/name"] is a placeholder ($NAME)'],
    ];
    for (const [text, message] of cases) {
      const read = readFile(text);
      assert.equal(read.documents.length, 0, text);
      assert.deepEqual(read.skipped.map((note) => note.reason), ['template'], text);
      assert.equal(read.skipped[0]!.message, `Not analysed: ${message}; this document is a template (envsubst or Helm).`);
    }
  });

  it('skips a document that Go template actions make invalid YAML as a template, not a YAML error', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n{{- if .Values.selector }}\n  selector:\n    app: web\n{{- end }}\n  ports:\n  - port: 80\n`;
    const read = readFile(text);
    assert.equal(read.documents.length, 0);
    assert.deepEqual(read.skipped.map((note) => note.reason), ['template']);
    assert.match(read.skipped[0]!.message, /^Not analysed: this document holds Go template actions/);
    // A document that is invalid YAML without any template syntax stays a YAML error.
    assert.equal(readFile('apiVersion: v1\nkind: Service\nmetadata: {name: "unclosed\n').skipped[0]?.reason, 'yaml-error');
  });

  it('analyses a document whose placeholders sit only in fields the tree does not keep', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  annotations:',
      '    checksum/config: {{ include "config" . | sha256sum }}',
      '    owner: ${OWNER}',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: web',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: "registry.example/web:${TAG}"',
      '        args: ["--root=$(HOME)", "{{ .Values.flag }}"]',
      '        env:',
      '        - name: PASSWORD',
      '          value: ${PASSWORD}',
      '        ports:',
      '        - containerPort: 8080',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      '  annotations:',
      '    service-lens/disable: ""',
      'spec:',
      '  selector:',
      '    app: web',
      '  ports:',
      '  - port: 80',
      '    targetPort: 8080',
      '',
    ].join('\n');
    const read = readFile(text);
    assert.deepEqual(read.skipped, []);
    assert.equal(read.documents.length, 2);
    assert.equal(scalar(at(read.documents[0]!.root, 'spec', 'template', 'metadata', 'labels', 'app')), 'web');
  });

  it('reads a dollar that is no placeholder as text: $(VAR), a lone $, $$, $5', () => {
    for (const value of ['"$(APP)"', 'pa$$word', 'cost-$5', 'web$', '"a $ b"']) {
      const read = readFile(SERVICE(value, 'web'));
      assert.deepEqual(read.skipped, [], value);
      assert.equal(read.documents.length, 1, value);
    }
  });

  it('keeps typed label values typed (yes is the boolean true, as kubectl reads it)', () => {
    const read = readFile('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    canary: yes\n    version: 2\n    track: "on"\n');
    const labels = at(read.documents[0]!.root, 'metadata', 'labels');
    assert.deepEqual([scalar(at(labels, 'canary')), scalar(at(labels, 'version')), scalar(at(labels, 'track'))], [true, 2, 'on']);
  });
});
