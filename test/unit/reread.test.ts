/**
 * Reading a file again document by document equals reading it whole: random edits of real fixture
 * files (typing, deleted and inserted lines, new and removed `---` markers, suppression comments,
 * block scalars, carriage returns), each step read against the previous text (`rereadFileFacts`,
 * then `moveObjects`) and compared with a fresh read: objects, skip notes, suppression comments
 * and line starts. Then the analysis host: random edits of one large multi-document file, whose
 * findings and reports after every keystroke equal a from-scratch analysis.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { moveObjects, readFileFacts, rereadFileFacts, type FileFacts } from '../../server/src/engine/facts/fileFacts';
import type { ObjectFacts } from '../../server/src/engine/model/objects';
import type { DocumentRange } from '../../server/src/engine/syntax/documents';
import type { Finding } from '../../server/src/engine/types';
import { readTree, REPO_ROOT } from '../support/paths';
import { Random } from '../support/random';
import { TestHost } from '../support/testHost';

const OPTIONS = { podTemplatePaths: {} };

/** Facts as comparable text: every field, spans and orders included. */
function plain(facts: Omit<FileFacts, 'objects'> & { readonly objects: readonly ObjectFacts[] }): string {
  return JSON.stringify({
    objects: facts.objects,
    skipped: facts.skipped,
    suppressions: [...facts.suppressions].map(([line, rules]) => [line, [...rules].sort()]),
    lines: facts.lines.toJson(),
  });
}

const INSERTS = ['a', '-', ' ', ':', '1', '\n', '---\n', '\n---\n', '...\n', '# service-lens-disable-next-line service-selector-no-match\n', '  app: x\n', '|\n  text\n', '{', '"', '\r\n', '\r'];

/** One random edit of a text: an insertion, a deletion or a replacement at a random place. */
function edit(random: Random, text: string): string {
  const at = random.int(text.length + 1);
  const choice = random.int(10);
  if (choice < 5) return text.slice(0, at) + random.pick(INSERTS) + text.slice(at);
  if (choice < 8) return text.slice(0, at) + text.slice(at + 1 + random.int(choice === 7 ? 40 : 2));
  // Remove or duplicate a whole line.
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const end = lineEnd < 0 ? text.length : lineEnd + 1;
  return random.int(2) === 0 ? text.slice(0, lineStart) + text.slice(end) : text.slice(0, end) + text.slice(lineStart, end) + text.slice(end);
}

/** Multi-document fixture files: where reuse matters. */
function fixtureTexts(): [string, string][] {
  const files = [
    ...readTree(join(REPO_ROOT, 'test', 'fixtures', 'workspaces')),
    ...readTree(join(REPO_ROOT, 'test', 'fixtures', 'rules')),
    ...readTree(join(REPO_ROOT, 'examples')),
  ];
  return files.filter(([, text]) => text.includes('\n---'));
}

describe('reading a file again after an edit', () => {
  it('equals a full read for random edits of real fixture files', () => {
    const files = fixtureTexts();
    assert.ok(files.length > 20, `expected many multi-document fixtures, found ${files.length}`);
    let reused = 0;
    let steps = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const random = new Random(seed);
      for (const [path, original] of files) {
        let text = original;
        let objects = readFileFacts(text, OPTIONS).objects;
        let skipped = readFileFacts(text, OPTIONS).skipped;
        let lines = readFileFacts(text, OPTIONS).lines;
        let ranges: readonly DocumentRange[] | undefined;
        for (let step = 0; step < 6; step++) {
          const next = edit(random, text);
          const full = readFileFacts(next, OPTIONS);
          const reread = rereadFileFacts({ text, objects, skipped, lines, ranges }, next, OPTIONS);
          steps++;
          if (reread) {
            reused++;
            moveObjects(reread.moved, reread.move);
            assert.equal(plain(reread.facts), plain(full), `${path}, seed ${seed}, step ${step}: the reread differs from a full read`);
            const added = new Set(reread.added);
            for (const object of reread.facts.objects) assert.equal(objects.includes(object), !added.has(object));
            for (const object of reread.removed) assert.ok(objects.includes(object) && !reread.facts.objects.includes(object));
            objects = reread.facts.objects;
            skipped = reread.facts.skipped;
            lines = reread.facts.lines;
            ranges = reread.ranges;
          } else {
            objects = full.objects;
            skipped = full.skipped;
            lines = full.lines;
            ranges = undefined;
          }
          text = next;
        }
      }
    }
    // Most edits leave some document alone: reuse must be the rule, not the exception.
    assert.ok(reused > steps / 2, `reused ${reused} of ${steps} reads`);
  });

  it('reads only the edited document and keeps the others as the same objects', () => {
    const document = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n`;
    const before = [document('a'), document('b'), document('c')].join('---\n');
    const after = before.replace('app: b', 'app: bee');
    const first = readFileFacts(before, OPTIONS);
    const reread = rereadFileFacts({ text: before, objects: first.objects, skipped: first.skipped }, after, OPTIONS);
    assert.ok(reread);
    assert.deepEqual(reread.move, { from: before.indexOf('---', before.indexOf('app: b')), delta: 2, orderDelta: 0 });
    assert.equal(reread.facts.objects[0], first.objects[0]);
    assert.notEqual(reread.facts.objects[1], first.objects[1]);
    assert.equal(reread.facts.objects[2], first.objects[2]);
    assert.deepEqual(reread.moved, [first.objects[2]]);
    assert.deepEqual(reread.removed, [first.objects[1]]);
    assert.deepEqual(reread.added, [reread.facts.objects[1]]);
    moveObjects(reread.moved, reread.move);
    assert.equal(plain(reread.facts), plain(readFileFacts(after, OPTIONS)));
  });
});

function findingsOf(workspace: TestHost): Map<string, string> {
  const out = new Map<string, string>();
  for (const fileId of workspace.fileIds()) out.set(fileId, JSON.stringify(workspace.findings(fileId)));
  return out;
}

/** One large file of many documents (every kind family and the rule fixtures), beside a few small files. */
function largeFileWorkspace(): Map<string, string> {
  const documents = fixtureTexts()
    .filter(([path]) => !path.includes('kustomization') && !path.includes('Chart.yaml'))
    .map(([, text]) => text.replace(/^---\n/, '').replace(/\n*$/, '\n'));
  const files = new Map<string, string>();
  files.set('all/large.yaml', documents.join('---\n'));
  files.set('all/other.yaml', documents.slice(0, 3).join('---\n'));
  return files;
}

describe('editing one large file', () => {
  it('keeps the findings equal to a from-scratch analysis after every keystroke', () => {
    const files = largeFileWorkspace();
    const random = new Random(20261201);
    const workspace = new TestHost();
    workspace.setFiles([...files]);
    let before = findingsOf(workspace);
    for (let step = 1; step <= 150; step++) {
      const fileId = random.int(5) === 0 ? 'all/other.yaml' : 'all/large.yaml';
      const text = edit(random, files.get(fileId)!);
      files.set(fileId, text);
      const touched = new Set(workspace.setFile(fileId, text));
      const after = findingsOf(workspace);
      for (const id of new Set([...before.keys(), ...after.keys()])) {
        if (before.get(id) !== after.get(id)) assert.ok(touched.has(id), `step ${step}: findings of ${id} changed but the update did not return it`);
      }
      before = after;
      const scratch = new TestHost();
      scratch.setFiles([...files]);
      assert.deepEqual(after, findingsOf(scratch), `step ${step}: findings differ from a from-scratch analysis`);
      assert.equal(JSON.stringify(workspace.serviceReports()), JSON.stringify(scratch.serviceReports()), `step ${step}: service reports differ`);
    }
  });

  it('moves the findings of the documents after an edit with the text', () => {
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}-missing\n  ports:\n    - port: 80\n`;
    const text = [service('a'), service('b')].join('---\n');
    const workspace = new TestHost();
    workspace.setFile('one.yaml', text);
    workspace.setFile('one.yaml', `# a comment\n${text}`.replace('name: a', 'name: ab'));
    const moved: Finding[] = [...workspace.findings('one.yaml')];
    const scratch = new TestHost();
    scratch.setFile('one.yaml', `# a comment\n${text}`.replace('name: a', 'name: ab'));
    assert.deepEqual(moved, [...scratch.findings('one.yaml')]);
    assert.ok(moved.some((finding) => finding.resource.name === 'b'));
  });
});
