/**
 * Both readers give the values kubectl itself reads: a document holding every case of the YAML 1.1
 * table, typed keys and merge keys is turned into JSON by `kubectl label --local` (no cluster; the
 * same sigs.k8s.io/yaml path as `kubectl apply`) and compared with the trees of both readers.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractBlockDocument } from '../../server/src/engine/syntax/blockExtractor';
import type { Schema } from '../../server/src/engine/syntax/schema';
import type { PNode } from '../../server/src/engine/syntax/tree';
import { readYamlDocument } from '../../server/src/engine/syntax/yamlReader';
import { REPO_ROOT } from '../support/paths';
import { KEY_CASES, RESOLVE_CASES } from './yaml11Cases';

const KEEP_ALL: Schema = { any: true };

/** kubectl's JSON for a YAML text, through `kubectl label --local -o json` on a custom kind. */
function kubectlJson(text: string): Record<string, unknown> {
  const kubectl = join(REPO_ROOT, 'tools', 'k8s', 'bin', process.platform === 'win32' ? 'kubectl.exe' : 'kubectl');
  if (!existsSync(kubectl)) throw new Error(`kubectl is missing at ${kubectl}: run node scripts/setup/index.mjs 40-k8s-tools`);
  const folder = mkdtempSync(join(tmpdir(), 'service-lens-yaml11-'));
  try {
    const file = join(folder, 'thing.yaml');
    writeFileSync(file, text);
    const run = spawnSync(kubectl, ['label', '--local', '-f', file, 'checked=yes', '-o', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: join(folder, 'no-kubeconfig') },
      timeout: 60_000,
    });
    assert.equal(run.status, 0, `kubectl failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A pruned tree as plain data: maps become objects, as JSON would hold them. */
function toData(node: PNode | undefined): unknown {
  if (!node) return null;
  if (node.type === 'scalar') return node.value;
  if (node.type === 'seq') return node.items.map(toData);
  return Object.fromEntries(node.entries.map((entry) => [entry.key, toData(entry.value)]));
}

describe('YAML 1.1 as kubectl reads it', () => {
  it('both readers give the values and keys kubectl gives, and the yaml-library reader its merges', () => {
    // kubectl cannot turn NaN or an infinity into JSON; those cases are checked against the table only.
    const values = RESOLVE_CASES.filter(([, value]) => typeof value !== 'number' || Number.isFinite(value));
    const plain = [
      'apiVersion: example.com/v1',
      'kind: Thing',
      'metadata:',
      '  name: thing',
      'spec:',
      '  values:',
      ...values.map(([source], index) => `    k${index}: ${source}`),
      '  keys:',
      ...KEY_CASES.map(([source], index) => `    ${source}: v${index}`),
      '',
    ].join('\n');
    const merges = [
      '  merged:',
      '    before: own',
      '    <<: {before: merged, only: merged}',
      '    after: own',
      '  list:',
      '    <<: [{a: first, b: first}, {a: second, c: second}]',
      '  anchored:',
      '    base: &base {app: web, tier: edge}',
      '    labels:',
      '      <<: *base',
      '      tier: own',
      '',
    ].join('\n');
    const text = plain + merges;
    const expected = (kubectlJson(text)['spec'] ?? {}) as Record<string, unknown>;

    const full = readYamlDocument(text, 0, text.length, KEEP_ALL);
    assert.ok(full.ok, full.ok ? '' : full.reason);
    const read = toData(full.root) as { spec: Record<string, unknown> };
    assert.deepEqual(read.spec, expected);

    const fast = extractBlockDocument(plain, 0, plain.length, KEEP_ALL);
    assert.ok(fast.ok, fast.ok ? '' : fast.reason);
    const fastRead = toData(fast.root) as { spec: Record<string, unknown> };
    assert.deepEqual(fastRead.spec, { values: expected['values'], keys: expected['keys'] });
  });
});
