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
import { splitDocuments, readFile } from '../../server/src/engine/syntax/documents';
import { DOCUMENT_SCHEMA } from '../../server/src/engine/syntax/schema';
import { at, entry, hasExtent, type PNode, type ScalarValue } from '../../server/src/engine/syntax/tree';
import { readYamlDocument } from '../../server/src/engine/syntax/yamlReader';
import { generateWorkspace } from '../support/generated';
import { corpusRoot, readTree, REPO_ROOT } from '../support/paths';
import { Random } from '../support/random';

function normalise(node: PNode | undefined): unknown {
  if (!node) return null;
  if (node.type === 'scalar') return [typeof node.value === 'number' && Number.isNaN(node.value) ? 'NaN' : node.value, node.span.start, node.span.end];
  if (node.type === 'map') {
    return { entries: node.entries.map((entry) => [entry.key, entry.keySpan.start, entry.keySpan.end, normalise(entry.value)]), span: hasExtent(node) ? node.span : null };
  }
  return { items: node.items.map(normalise), span: hasExtent(node) ? node.span : null };
}

interface Tally {
  compared: number;
  fallback: number;
  invalid: number;
}

function compareFile(text: string, label: string, tally: Tally): void {
  for (const range of splitDocuments(text)) {
    const full = readYamlDocument(text, range.start, range.end, DOCUMENT_SCHEMA);
    const fast = extractBlockDocument(text, range.start, range.end, DOCUMENT_SCHEMA);
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

/**
 * Every branch of go-yaml v2's `resolve` (resolve.go) for plain scalars, as kubectl reads them.
 * Integers beyond 2^53 compare as the nearest JavaScript number.
 */
const RESOLVE_CASES: readonly (readonly [string, ScalarValue])[] = [
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((word) => [word, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((word) => [word, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((word) => [word, null] as const),
  ...['yEs', 'oN', 'nO', 'tRUE', 'nULL', 'nan', 'inf', 'Infinity', 'o', 'yes!', 'trueish'].map((word) => [word, word] as const),
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN], ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity],
  ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity], ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
  ['.iNf', '.iNf'], ['+inf', '+inf'], ['-.nan', '-.nan'],
  // Integers: base 10, 0x, 0o and 0-prefixed octal, 0b (strconv.ParseInt with base 0), underscores dropped.
  ['0', 0], ['42', 42], ['-17', -17], ['+17', 17], ['-0', 0], ['1_000', 1000], ['1__0_', 10], ['0_x1F', 31],
  ['0x1F', 31], ['0X1f', 31], ['-0x10', -16], ['+0x10', 16], ['0o17', 15], ['0O17', 15], ['017', 15], ['-017', -15], ['00', 0],
  ['0b101', 5], ['0B101', 5], ['-0b101', -5], ['0b-101', -5], ['0b+101', 5],
  ['9223372036854775807', 2 ** 63 - 1], ['-9223372036854775808', -(2 ** 63)],
  ['18446744073709551615', 2 ** 64 - 1], ['0xFFFFFFFFFFFFFFFF', 2 ** 64 - 1],
  // Out of the 64-bit range: a float when it is written like one, else a string.
  ['18446744073709551616', 2 ** 64], ['0x10000000000000000', '0x10000000000000000'], ['-9223372036854775809', -(2 ** 63) - 1],
  // Not integers, but floats by yamlStyleFloat: an invalid octal, a version number.
  ['08', 8], ['0778', 778], ['1.0', 1], ['1.10', 1.1], ['0x', '0x'], ['0xG', '0xG'], ['0b2', '0b2'], ['0o8', '0o8'], ['_1', '_1'],
  ['1.5', 1.5], ['1.', 1], ['.5', 0.5], ['-.5', -0.5], ['+1.5e3', 1500], ['1e3', 1000], ['1E-2', 0.01], ['1_000.5', 1000.5],
  ['.5_5', 0.55], ['.5e1_0', 5e9], ['._5', '._5'], ['.5_', '.5_'], ['.5_e3', '.5_e3'], ['.e5', '.e5'], ['.', '.'], ['+', '+'],
  ['1e400', '1e400'], ['.5e400', '.5e400'], ['1e-400', 0], ['1.5.5', '1.5.5'], ['1e', '1e'], ['1e+', '1e+'], ['0x1p3', '0x1p3'],
  // Timestamps decode into an interface{} as their text; base 60 is not supported.
  ['2001-12-14', '2001-12-14'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['1:20', '1:20'], ['190:20:30', '190:20:30'],
  ['web', 'web'], ['v1', 'v1'], ['8080/TCP', '8080/TCP'], ['-web', '-web'], ['80_http', '80_http'],
];

/** Plain keys as sigs.k8s.io/yaml turns go-yaml's typed keys into JSON object keys. */
const KEY_CASES: readonly (readonly [string, string])[] = [
  ['yes', 'true'], ['Off', 'false'], ['0x10', '16'], ['017', '15'], ['1_000', '1000'], ['1.5', '1.5'], ['1.0', '1'], ['1e6', '1e+06'],
  ['0.0001', '0.0001'], ['0.00001', '1e-05'], ['123456.7', '123456.7'], ['1234567.0', '1.234567e+06'], ['3.14159265', '3.1415927'],
  ['.inf', '.inf'], ['-.Inf', '-.inf'], ['.NaN', '.nan'], ['"on"', 'on'],
];

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
