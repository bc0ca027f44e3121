/**
 * The fast block-YAML extractor and the `yaml` library must give the same pruned tree for every
 * document the extractor accepts: real manifests, the examples, a generated workspace, and random
 * mutations of them (typing, deleted lines, indentation changes, quoting, flow style).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractBlockDocument } from '../../server/src/engine/syntax/blockExtractor';
import { hasLoneCarriageReturn, splitDocuments, readFile } from '../../server/src/engine/syntax/documents';
import { LineIndex } from '../../server/src/engine/syntax/lines';
import { DOCUMENT_SCHEMA } from '../../server/src/engine/kinds/registry';
import { at, entry, hasExtent, type PNode, type ScalarValue } from '../../server/src/engine/syntax/tree';
import { readYamlDocument } from '../../server/src/engine/syntax/yamlReader';
import { generateWorkspace } from '../support/generated';
import { KEY_CASES, RESOLVE_CASES } from './yaml11Cases';
import { corpusRoot, readTree, REPO_ROOT } from '../support/paths';
import { Random } from '../support/random';

function normalise(node: PNode | undefined): unknown {
  if (!node) return null;
  if (node.type === 'scalar') return [typeof node.value === 'number' && Number.isNaN(node.value) ? 'NaN' : node.value, node.span.start, node.span.end];
  if (node.type === 'map') {
    return {
      entries: node.entries.map((entry) => [entry.key, entry.keySpan.start, entry.keySpan.end, normalise(entry.value)]),
      span: hasExtent(node) ? node.span : null,
      skipped: (node.skipped ?? []).map((key) => [key.key, key.keySpan.start, key.keySpan.end]),
    };
  }
  return { items: node.items.map(normalise), span: hasExtent(node) ? node.span : null };
}

interface Tally {
  compared: number;
  fallback: number;
  invalid: number;
}

function compareFile(text: string, label: string, tally: Tally): void {
  const lines = hasLoneCarriageReturn(text) ? undefined : LineIndex.of(text);
  for (const range of splitDocuments(text)) {
    const full = readYamlDocument(text, range.start, range.end, DOCUMENT_SCHEMA);
    const fast = extractBlockDocument(text, range.start, range.end, DOCUMENT_SCHEMA);
    if (lines) assert.deepEqual(extractBlockDocument(text, range.start, range.end, DOCUMENT_SCHEMA, lines), fast, `${label} @${range.start}: the extractor reads otherwise with the line index`);
    if (!full.ok) {
      tally.invalid++;
      continue;
    }
    if (!fast.ok) {
      tally.fallback++;
      continue;
    }
    tally.compared++;
    assert.deepEqual(normalise(fast.root), normalise(full.root), `${label} @${range.start}: the readers disagree`);
  }
}

function mutations(text: string, random: Random, count: number): string[] {
  const out: string[] = [];
  for (let index = 0; index < count; index++) {
    const lines = text.split('\n');
    const line = random.int(lines.length);
    const current = lines[line]!;
    switch (random.int(7)) {
      case 0:
        lines[line] = ' ' + current;
        break;
      case 1:
        lines.splice(line, 1);
        break;
      case 2:
        lines[line] = current.replace(/: (\S+)$/, ': "$1"');
        break;
      case 3:
        lines[line] = current.replace(/: (\S+)$/, ": '$1' # note");
        break;
      case 4: {
        const at = random.int(current.length + 1);
        lines[line] = current.slice(0, at) + random.pick(['{', '[', ':', '#', '-', '"', "'", '&a', '*a', '|', ' ', '\t']) + current.slice(at);
        break;
      }
      case 5:
        lines[line] = current.replace(/^(\s*)(\w[\w./-]*): (\S+)$/, '$1$2: {k: $3}');
        break;
      default:
        lines.splice(line, 0, lines[random.int(lines.length)]!);
        break;
    }
    out.push(lines.join('\n'));
  }
  return out;
}

describe('manifest reader', () => {
  it('both readers agree on the corpus, the examples and the rule fixtures', () => {
    const tally: Tally = { compared: 0, fallback: 0, invalid: 0 };
    for (const [file, text] of [...readTree(corpusRoot()), ...readTree(join(REPO_ROOT, 'examples')), ...readTree(join(REPO_ROOT, 'test', 'fixtures'))]) {
      compareFile(text, file, tally);
    }
    assert.ok(tally.compared > 150, `compared ${tally.compared} documents`);
  });

  it('both readers agree on a generated workspace', () => {
    const tally: Tally = { compared: 0, fallback: 0, invalid: 0 };
    for (const [file, text] of readTree(generateWorkspace(150, 'reader'))) compareFile(text, file, tally);
    assert.ok(tally.compared > 400, `compared ${tally.compared} documents`);
    assert.ok(tally.fallback * 100 < tally.compared, `nearly all generated manifests are inside the block subset (${tally.fallback} fell back)`);
  });

  it('both readers agree on 2,000 random mutations', () => {
    const random = new Random(99);
    const sources = [...readTree(corpusRoot()), ...readTree(join(REPO_ROOT, 'examples'))].filter(([, text]) => text.length < 20_000);
    const tally: Tally = { compared: 0, fallback: 0, invalid: 0 };
    for (let round = 0; round < 20; round++) {
      const [file, text] = random.pick(sources);
      for (const mutated of mutations(text, random, 100)) compareFile(mutated, file, tally);
    }
    assert.ok(tally.compared > 500, `compared ${tally.compared} mutated documents (${tally.fallback} fell back, ${tally.invalid} invalid)`);
  });

  it('leaves a document with a duplicate key to the yaml library, kept or skipped, at any depth, and a key again in a nested or sibling mapping is no duplicate', () => {
    const base = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
    const duplicates = [
      `${base}kind: Service\n`,
      `${base}spec:\n  selector:\n    app: web\n    app: api\n`,
      `${base}spec:\n  sessionAffinity: None\n  sessionAffinity: ClientIP\n`,
      `${base}spec:\n  ports:\n    - port: 80\n      port: 81\n`,
      `${base}spec:\n  unknownField: 1\n  unknownField: 2\n`,
    ];
    for (const text of duplicates) assert.equal(extractBlockDocument(text, 0, text.length, DOCUMENT_SCHEMA).ok, false, text);
    const siblings = `apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    namespace: a\n  namespace: b\n  name: web\nspec:\n  ports:\n    - name: a\n      port: 80\n    - name: b\n      port: 81\n  selector:\n    name: web\n`;
    assert.equal(extractBlockDocument(siblings, 0, siblings.length, DOCUMENT_SCHEMA).ok, true);
  });

  it('reads a block map nested 10,000 levels deep in a kept subtree, cut at 256 levels, with the stack to spare', () => {
    const depth = 10_000;
    const nested = Array.from({ length: depth }, (_, level) => `${' '.repeat(8 + level)}k${level}:`).join('\n') + `\n${' '.repeat(8 + depth)}v`;
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: deep\nspec:\n  template:\n    metadata:\n      labels:\n        app: deep\n${nested}\n    spec:\n      containers:\n      - name: c\n`;
    const read = extractBlockDocument(text, 0, text.length, DOCUMENT_SCHEMA);
    assert.ok(read.ok, read.ok ? '' : read.reason);
    let node = at(read.root, 'spec', 'template', 'metadata', 'labels');
    assert.equal(scalar(at(node, 'app')), 'deep');
    let levels = 0;
    for (node = at(node, 'k0'); node?.type === 'map' && node.entries.length > 0; levels++) node = node.entries[0]!.value;
    // The root is block node 1 and the labels node 5: the maps below them keep entries down to node 256.
    assert.equal(levels, 256 - 5, 'the kept map ends where the read stops, 256 block nodes below the root');
    const containers = at(read.root, 'spec', 'template', 'spec', 'containers');
    assert.equal(containers?.type === 'seq' ? scalar(at(containers.items[0], 'name')) : undefined, 'c', 'the lines after the cut are read');
  });

  it('reads a document alike after any number of documents it gave up on deep inside kept mappings (one scanner serves every read)', () => {
    const good = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    a:\n      b:\n        c: d\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
    const before = extractBlockDocument(good, 0, good.length, DOCUMENT_SCHEMA);
    assert.ok(before.ok);
    // Each gives up four block nodes deep, in a kept subtree: more failures than the 256 levels a read keeps.
    const failing = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    a:\n      b:\n        c: &anchor d\n';
    for (let count = 0; count < 300; count++) assert.equal(extractBlockDocument(failing, 0, failing.length, DOCUMENT_SCHEMA).ok, false);
    const flowFailing = 'apiVersion: v1\nkind: Service\nspec:\n  selector: {app: [web\n';
    assert.equal(extractBlockDocument(flowFailing, 0, flowFailing.length, DOCUMENT_SCHEMA).ok, false);
    const after = extractBlockDocument(good, 0, good.length, DOCUMENT_SCHEMA);
    assert.ok(after.ok);
    assert.deepEqual(normalise(after.root), normalise(before.root));
    assert.equal(scalar(at(after.root, 'metadata', 'labels', 'a', 'b', 'c')), 'd');
  });

  it('splits documents at --- and ... lines only', () => {
    const text = 'a: 1\n---\nb: |\n  ---not a marker\n--- # comment\nc: 3\n...\n%YAML 1.2\n---\nd: 4';
    const ranges = splitDocuments(text).map((range) => text.slice(range.start, range.end));
    assert.deepEqual(ranges, ['a: 1\n', 'b: |\n  ---not a marker\n', 'c: 3\n', '%YAML 1.2\n', 'd: 4']);
  });

  it('skips templated documents with a note and ignores non-Kubernetes YAML', () => {
    const read = readFile('apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n---\nname: ci\non: push\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: "{{ x }}"\n');
    assert.equal(read.documents.length, 0);
    assert.deepEqual(read.skipped.map((note) => note.reason), ['template']);
  });

  it('reports YAML errors as skipped documents, never as exceptions', () => {
    const read = readFile('apiVersion: v1\nkind: Service\nmetadata: {name: "unclosed\nspec: [\n');
    assert.equal(read.documents.length, 0);
    assert.equal(read.skipped[0]?.reason, 'yaml-error');
  });

  it('reads CRLF line endings and a byte order mark', () => {
    const text = '\ufeffapiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  selector:\r\n    app: web\r\n';
    const read = readFile(text);
    assert.equal(read.documents.length, 1);
    const tally: Tally = { compared: 0, fallback: 0, invalid: 0 };
    compareFile(text, 'crlf', tally);
    assert.equal(tally.compared, 1);
  });

  it('types every plain scalar by go-yaml v2 (YAML 1.1), in both readers, block and flow style', () => {
    for (const [source, expected] of RESOLVE_CASES) {
      for (const text of [
        `apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    k: ${source}\n`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  labels: {k: ${source}}\n`,
      ]) {
        const [fast, full] = bothReaders(text);
        for (const [reader, root] of [['block extractor', fast], ['yaml library', full]] as const) {
          const value = at(root, 'metadata', 'labels', 'k');
          assert.equal(value?.type, 'scalar', `${reader}: ${JSON.stringify(text)}`);
          if (value?.type === 'scalar') assert.deepEqual(value.value, expected, `${reader} reads ${JSON.stringify(source)} as ${String(value.value)}`);
        }
      }
    }
  });

  it('keeps quoted scalars strings and reads typed keys as kubectl names them', () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    a: "yes"\n    b: '0x1F'\n    c: "~"\n${KEY_CASES.map(([key], index) => `    ${key}: v${index}\n`).join('')}`;
    const [fast, full] = bothReaders(text);
    for (const root of [fast, full]) {
      const labels = at(root, 'metadata', 'labels');
      assert.deepEqual(['a', 'b', 'c'].map((key) => scalar(at(labels, key))), ['yes', '0x1F', '~']);
      KEY_CASES.forEach(([key, expected], index) => assert.equal(scalar(at(labels, expected)), `v${index}`, `the key ${key} reads as ${expected}`));
    }
  });

  it('applies merge keys as go-yaml v2 does, in the yaml-library reader only', () => {
    const text = readFileSync(join(REPO_ROOT, '..', 'shared', 'cases', '06-yaml-merge-key-labels', 'whoami.yaml'), 'utf8');
    const ranges = splitDocuments(text);
    const deployment = ranges[1]!;
    assert.equal(extractBlockDocument(text, deployment.start, deployment.end, DOCUMENT_SCHEMA).ok, false, 'the block extractor gives up on <<');
    const read = readFile(text);
    assert.equal(read.skipped.length, 0);
    const root = read.documents[1]!.root;
    const labels = at(root, 'spec', 'template', 'metadata', 'labels');
    assert.deepEqual(labelMap(labels), { app: 'echo', tier: 'edge' });
    // The merged key points where it is written: in the anchored map.
    const app = entry(labels, 'app')!;
    assert.equal(app.keySpan.start, text.indexOf('app: echo', text.indexOf('&base')));
    assert.equal(text.slice(app.keySpan.start, app.keySpan.end), 'app');
    const containers = at(root, 'spec', 'template', 'spec', 'containers');
    assert.equal(containers?.type, 'seq');
    if (containers?.type !== 'seq') return;
    assert.deepEqual(containers.items.map((item) => scalar(at(item, 'name'))), ['first', 'second']);
    const secondPorts = at(containers.items[1], 'ports');
    assert.ok(secondPorts?.type === 'seq' && secondPorts.items.length === 1 && scalar(at(secondPorts.items[0], 'name')) === 'admin');
  });

  it('merges a list of maps (earlier ones win), nested merges, and an inline merged map', () => {
    const labels = (body: string): Record<string, unknown> => {
      const text = `x-defs:\n  a: &a {app: a, tier: a}\n  b: &b {app: b, zone: b}\n  c: &c {<<: *b, zone: c}\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n${body}`;
      const merges = !body.includes('"<<"');
      const [fast, full] = bothReaders(text, !merges);
      if (merges) assert.equal(fast, undefined, 'the block extractor gives up on <<');
      return labelMap(at(full, 'metadata', 'labels'));
    };
    assert.deepEqual(labels('    <<: [*a, *b]\n'), { app: 'a', tier: 'a', zone: 'b' });
    assert.deepEqual(labels('    <<: [*b, *a]\n'), { app: 'b', tier: 'a', zone: 'b' });
    assert.deepEqual(labels('    <<: *c\n'), { app: 'b', zone: 'c' });
    assert.deepEqual(labels('    <<: {app: inline}\n    tier: own\n'), { app: 'inline', tier: 'own' });
    assert.deepEqual(labels('    <<: *a\n    app: own\n'), { app: 'own', tier: 'a' });
    // go-yaml v2 applies a merge where it stands: a key written before `<<` is overwritten by it.
    assert.deepEqual(labels('    app: own\n    <<: *a\n'), { app: 'a', tier: 'a' });
    // A quoted "<<" is an ordinary key.
    assert.deepEqual(labels('    "<<": plain\n'), { '<<': 'plain' });
  });

  it('reports a merge of something other than maps as a YAML error', () => {
    for (const value of ['*name', '[*name]', 'text', '']) {
      const read = readFile(`apiVersion: v1\nkind: Service\nmetadata:\n  name: &name web\n  labels:\n    <<: ${value}\n`);
      assert.equal(read.documents.length, 0, value);
      assert.equal(read.skipped[0]?.reason, 'yaml-error', value);
      assert.match(read.skipped[0]?.message ?? '', /map merge requires map or sequence of maps/);
    }
  });

  it('cuts off a merge-key bomb quickly', () => {
    const lines = ['apiVersion: v1', 'kind: Service', 'x-defs:', '  l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}'];
    for (let level = 1; level < 10; level++) lines.push(`  l${level}: &l${level} {<<: [${Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ')}]}`);
    lines.push('metadata:', '  labels:', '    <<: *l9', '');
    const started = performance.now();
    const read = readFile(lines.join('\n'));
    assert.ok(performance.now() - started < 2_000, 'read in under 2 s');
    assert.equal(read.documents.length, 0);
    assert.equal(read.skipped[0]?.reason, 'yaml-error');
  });
});

/** The trees of a document by the block extractor (which must accept it) and by the `yaml` library. */
function bothReaders(text: string, fastMustRead = true): [PNode | undefined, PNode | undefined] {
  const full = readYamlDocument(text, 0, text.length, DOCUMENT_SCHEMA);
  assert.ok(full.ok, `the yaml library reads ${JSON.stringify(text)}: ${full.ok ? '' : full.reason}`);
  const fast = extractBlockDocument(text, 0, text.length, DOCUMENT_SCHEMA);
  if (fastMustRead) {
    assert.ok(fast.ok, `the block extractor reads ${JSON.stringify(text)}: ${fast.ok ? '' : fast.reason}`);
    assert.deepEqual(normalise(fast.root), normalise(full.root), `the readers disagree on ${JSON.stringify(text)}`);
  }
  return [fast.ok ? fast.root : undefined, full.root];
}

function scalar(node: PNode | undefined): ScalarValue | undefined {
  return node?.type === 'scalar' ? node.value : undefined;
}

function labelMap(node: PNode | undefined): Record<string, unknown> {
  if (node?.type !== 'map') return {};
  return Object.fromEntries(node.entries.map((item) => [item.key, scalar(item.value)]));
}

describe('aliases', () => {
  it('skips a document whose alias names an anchor of another document, as kubectl stops there', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: &sel {app: web}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: *sel\n';
    const read = readFile(text, DOCUMENT_SCHEMA);
    assert.deepEqual(read.documents.map((document) => document.index), [0]);
    assert.equal(read.skipped.length, 1);
    assert.equal(read.skipped[0]!.reason, 'yaml-error');
    assert.match(read.skipped[0]!.message, /unknown anchor 'sel' referenced/);
    // Within one document the anchor is found.
    const one = readFile('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: &sel {app: web}\nspec:\n  selector: *sel\n', DOCUMENT_SCHEMA);
    assert.equal(one.skipped.length, 0);
    assert.equal(one.documents.length, 1);
  });
});
