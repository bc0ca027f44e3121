/**
 * The in-process kustomize builder against the real `kubectl kustomize` (kustomize v5.7.1): every
 * root is built by both and every object's link-relevant fields must be equal. Roots: the
 * fixtures under test/fixtures/kustomize, the examples, a generated set (test/support/kustomizeGenerator.ts)
 * and roots that merge port lists (test/support/portMergeGenerator.ts).
 * Every root is also built from the host's summaries of its files, which must build the same.
 * Needs `node scripts/setup/index.mjs 40-k8s-tools`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildKustomization, ParseCache } from '../../server/src/engine/kustomize';
import { isReadKind } from '../../server/src/engine/kinds/registry';
import type { PNode } from '../../server/src/engine/syntax/tree';
import { generateRoots } from '../support/kustomizeGenerator';
import { generatePortMergeRoots } from '../support/portMergeGenerator';
import { comparableBuild, summaryInputs } from '../support/resourceDocuments';

const KUBECTL = resolve('tools/k8s/bin/kubectl');
const GENERATED = Number(process.env.KUSTOMIZE_ROOTS ?? 120);
/** Roots that merge port lists on two keys (test/support/portMergeGenerator.ts). */
const PORT_ROOTS = Number(process.env.KUSTOMIZE_PORT_ROOTS ?? 80);

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

function plain(node: PNode | undefined): Plain {
  if (!node) return null;
  if (node.type === 'scalar') return node.value;
  if (node.type === 'seq') return node.items.map(plain);
  const out: { [key: string]: Plain } = {};
  for (const entry of node.entries) out[entry.key] = plain(entry.value);
  return out;
}

type Obj = { [key: string]: Plain } | undefined;
const obj = (value: Plain | undefined): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? value : undefined);
const list = (value: Plain | undefined): Plain[] => (Array.isArray(value) ? value : []);
const text = (value: Plain | undefined): string | undefined => (value === undefined || value === null || typeof value === 'object' ? undefined : String(value));

function stringMap(value: Plain | undefined): Record<string, string> | undefined {
  const map = obj(value);
  if (!map) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, text(v) ?? '']).sort(([a], [b]) => (a ?? '').localeCompare(b ?? '')));
}

function pick(value: Plain, keys: readonly string[]): Record<string, string | undefined> {
  const map = obj(value) ?? {};
  return Object.fromEntries(keys.map((key) => [key, text(map[key])]));
}

function containers(spec: Obj): unknown[] {
  return list(spec?.['containers']).map((c) => ({ name: text(obj(c)?.['name']), ports: list(obj(c)?.['ports']).map((p) => pick(p, ['name', 'containerPort', 'protocol'])) }));
}

function backends(spec: Obj): unknown[] {
  const out: unknown[] = [];
  const backend = (b: Plain | undefined): void => {
    const map = obj(b);
    if (!map) return;
    const service = obj(map['service']);
    out.push({ name: text(service?.['name']), port: pick(service?.['port'] ?? null, ['name', 'number']), serviceName: text(map['serviceName']), servicePort: text(map['servicePort']) });
  };
  backend(spec?.['defaultBackend']);
  backend(spec?.['backend']);
  for (const rule of list(spec?.['rules'])) for (const path of list(obj(obj(rule)?.['http'])?.['paths'])) backend(obj(path)?.['backend']);
  return out;
}

/** The fields links depend on, as comparable data. */
function facts(value: Plain): { key: string; facts: unknown } {
  const o = obj(value) ?? {};
  const kind = text(o['kind']) ?? '';
  const metadata = obj(o['metadata']);
  const spec = obj(o['spec']);
  const name = text(metadata?.['name']) ?? '';
  const namespace = text(metadata?.['namespace']) ?? '';
  const template = obj(kind === 'CronJob' ? obj(obj(obj(spec?.['jobTemplate'])?.['spec']))?.['template'] : spec?.['template']);
  const result: Record<string, unknown> = { kind, name, namespace, labels: stringMap(metadata?.['labels']) };
  if (kind === 'Service') {
    result['selector'] = stringMap(spec?.['selector']);
    result['type'] = text(spec?.['type']);
    result['ports'] = list(spec?.['ports']).map((p) => pick(p, ['name', 'port', 'targetPort', 'protocol', 'nodePort']));
  } else if (kind === 'Pod') {
    result['containers'] = containers(spec);
  } else if (kind === 'Ingress') {
    result['backends'] = backends(spec);
  } else {
    const selector = obj(spec?.['selector']);
    result['matchLabels'] = kind === 'ReplicationController' ? stringMap(selector) : stringMap(selector?.['matchLabels']);
    result['templateLabels'] = stringMap(obj(template?.['metadata'])?.['labels']);
    result['containers'] = containers(obj(template?.['spec']));
    result['serviceName'] = text(spec?.['serviceName']);
    result['replicas'] = text(spec?.['replicas']);
  }
  return { key: `${kind}/${namespace}/${name}`, facts: JSON.parse(JSON.stringify(result)) };
}

function kubectl(dir: string): Promise<{ ok: true; output: string } | { ok: false; error: string }> {
  return new Promise((done) => {
    execFile(KUBECTL, ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done(error ? { ok: false, error: stderr || String(error) } : { ok: true, output: stdout });
    });
  });
}

/** Runs `task` over `items` with at most `width` at once (the machine has few cores). */
async function pool<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  }));
  return results;
}

const inputs = {
  text(id: string): string | undefined {
    try {
      return statSync(id).isFile() ? readFileSync(id, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};

function kustomizationOf(dir: string): string {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`no kustomization in ${dir}`);
}

/** Folders under `dir` holding a kustomization that no other of them includes (found by building). */
function fixtureRoots(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'kustomization.yaml' || name === 'kustomization.yml' || name === 'Kustomization') out.push(path);
    }
  };
  walk(dir);
  const included = new Set(out.flatMap((k) => buildKustomization(k, inputs).reached.filter((r) => r !== k)));
  return out.filter((k) => !included.has(k)).map((k) => k.slice(0, k.lastIndexOf('/')));
}

const temp = mkdtempSync(join(tmpdir(), 'kustomize-differential-'));
after(() => rmSync(temp, { recursive: true, force: true }));

test('kubectl (kustomize) is installed for the differential test', () => {
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: run \`node scripts/setup/index.mjs 40-k8s-tools\``);
});

test('the builder agrees with kubectl kustomize on every object of every root', async () => {
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: run \`node scripts/setup/index.mjs 40-k8s-tools\``);
  const started = Date.now();
  const roots = [...fixtureRoots(resolve('test/fixtures/kustomize')), ...fixtureRoots(resolve('examples')), ...generateRoots(temp, GENERATED), ...generatePortMergeRoots(temp, PORT_ROOTS)];
  assert.ok(roots.length >= GENERATED + PORT_ROOTS + 2, `expected the fixture roots, ${GENERATED} generated roots and ${PORT_ROOTS} port roots, got ${roots.length}`);
  const outputs = await pool(roots, 2, kubectl);
  const differences: string[] = [];
  let objects = 0;
  let ourTime = 0;
  roots.forEach((root, index) => {
    const expected = outputs[index]!;
    if (!expected.ok) {
      differences.push(`${root}: kubectl kustomize failed: ${expected.error.trim()}`);
      return;
    }
    const theirs = new Map<string, unknown>();
    for (const document of parseAllDocuments(expected.output) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      const value = document.toJS() as Plain;
      const kind = text(obj(value)?.['kind']);
      if (!kind || !isReadKind(kind)) continue;
      const f = facts(value);
      theirs.set(f.key, f.facts);
    }
    const buildStarted = Date.now();
    const build = buildKustomization(kustomizationOf(root), inputs);
    ourTime += Date.now() - buildStarted;
    // A first build from the host's summaries builds the same (resourceDocuments.ts).
    const fromSummaries = comparableBuild(buildKustomization(kustomizationOf(root), summaryInputs(inputs), new ParseCache(0), false));
    if (JSON.stringify(fromSummaries) !== JSON.stringify(comparableBuild(buildKustomization(kustomizationOf(root), inputs, new ParseCache(0), false)))) {
      differences.push(`${root}: a build from the host's summaries differs from one that reads the files`);
    }
    // A patch element kubectl drops is noted (`ignored`) while the build agrees with kubectl's.
    const notes = build.notes.filter((n) => !n.message.startsWith('Partly understood') && n.effect !== 'ignored');
    if (notes.length > 0) differences.push(`${root}: notes ${JSON.stringify(notes.map((n) => n.message))}`);
    const ours = new Map<string, unknown>();
    for (const object of build.objects) {
      const f = facts(plain(object.root));
      ours.set(f.key, f.facts);
    }
    for (const [key, value] of theirs) {
      objects++;
      if (!ours.has(key)) differences.push(`${root}: ${key} missing from our build`);
      if (ours.has(key) && JSON.stringify(ours.get(key)) !== JSON.stringify(value)) differences.push(`${root}: ${key}\n  kubectl: ${JSON.stringify(value)}\n  ours:    ${JSON.stringify(ours.get(key))}`);
    }
    for (const key of ours.keys()) if (!theirs.has(key)) differences.push(`${root}: ${key} built by us only`);
  });
  console.log(`kustomize differential: ${roots.length} roots, ${objects} objects, ${Date.now() - started} ms (our builds ${ourTime} ms)`);
  assert.deepEqual(differences.slice(0, 20), [], `${differences.length} differences`);
});
