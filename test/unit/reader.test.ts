/**
 * The fast block-YAML extractor and the `yaml` library must give the same pruned tree for every
 * document the extractor accepts: real manifests, the examples, a generated workspace, and random
 * mutations of them (typing, deleted lines, indentation changes, quoting, flow style).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractBlockDocument } from '../../server/src/engine/syntax/blockExtractor';
import { splitDocuments, readFile } from '../../server/src/engine/syntax/documents';
import { DOCUMENT_SCHEMA } from '../../server/src/engine/kinds/registry';
import { hasExtent, type PNode } from '../../server/src/engine/syntax/tree';
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
});
