/**
 * LineIndex against a plain reference (line starts after every line break, leading spaces), on
 * texts shorter and longer than the scratch buffer `LineIndex.of` shares between calls; and
 * `splitDocuments` and the block extractor given a text's LineIndex against the same without one.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { extractBlockDocument } from '../../server/src/engine/syntax/blockExtractor';
import { splitDocuments } from '../../server/src/engine/syntax/documents';
import { DOCUMENT_SCHEMA } from '../../server/src/engine/kinds/registry';
import { LineIndex } from '../../server/src/engine/syntax/lines';
import { Random } from '../support/random';

/** Line starts and indents the slow way: a character at a time, `\n`, `\r\n` and a lone `\r` ending a line. */
function reference(text: string): { starts: number[]; indents: number[] } {
  const starts = [0];
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 13 && text.charCodeAt(at + 1) === 10) continue;
    if (code === 10 || code === 13) starts.push(at + 1);
  }
  const indents = starts.map((start) => {
    let at = start;
    while (text[at] === ' ' && at - start < 255) at++;
    return at - start;
  });
  return { starts, indents };
}

function randomText(random: Random, lines: number, breaks: readonly string[]): string {
  const parts: string[] = [];
  for (let line = 0; line < lines; line++) {
    const roll = random.int(10);
    const body = roll === 0 ? '---' : roll === 1 ? '' : `${' '.repeat(random.int(8))}key${line}: value`;
    parts.push(body, breaks[random.int(breaks.length)]!);
  }
  return parts.join('');
}

describe('LineIndex', () => {
  it('finds every line start and indent, in texts of a few lines to more than the kept scratch buffer', () => {
    const random = new Random(7);
    for (const lines of [0, 1, 2, 1023, 1024, 1025, 5000, 70_000, 3]) {
      for (const breaks of [['\n'], ['\r\n'], ['\n', '\r\n', '\r']]) {
        const text = randomText(random, lines, breaks) + (lines % 2 === 0 ? 'tail' : '');
        const index = LineIndex.of(text);
        const expected = reference(text);
        const json = index.toJson();
        assert.deepEqual(json.starts, expected.starts, `${lines} lines ending ${JSON.stringify(breaks)}`);
        assert.deepEqual(json.indents, expected.indents);
        assert.equal(index.lineStart(expected.starts.length), text.length, 'a line past the last starts at the end');
      }
    }
  });

  it('measures the indent of a last line of spaces, of an empty last line and of a text of spaces, after a text that left other indents in the scratch buffer', () => {
    for (const text of ['', ' ', '   ', 'a\n   ', 'a\n', '  a\n\n', '\n  \n   ', '    b\n  ', `${' '.repeat(300)}c\n${' '.repeat(260)}`]) {
      LineIndex.of('        x\n        y\n        z\n        w\n');
      const expected = reference(text);
      const json = LineIndex.of(text).toJson();
      assert.deepEqual(json.starts, expected.starts, JSON.stringify(text));
      assert.deepEqual(json.indents, expected.indents, JSON.stringify(text));
    }
  });

  it('gives splitDocuments the same documents as its own search for lines', () => {
    const random = new Random(11);
    for (let round = 0; round < 200; round++) {
      const bom = round % 7 === 0 ? '\ufeff' : '';
      const text = bom + randomText(random, random.int(60), ['\n', '\r\n']) + ['', '---', '--- # c', '...', '---\n'][round % 5];
      assert.deepEqual(splitDocuments(text, LineIndex.of(text)), splitDocuments(text), JSON.stringify(text));
    }
  });

  it('gives the block extractor the lines it would find itself: deep indents, CRLF, a byte order mark, blank and comment lines', () => {
    const random = new Random(23);
    const deep = ' '.repeat(300);
    const parts = [
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  labels:', '    app: web', '  annotations:', `${deep}note: x`,
      'spec:', '  selector:', '    app: web', '   ', '  # a comment', '  ports:', '  - port: 80', '    targetPort: http', `${deep}# deep comment`,
    ];
    for (let round = 0; round < 300; round++) {
      const lines = [...parts];
      for (let edit = random.int(4); edit > 0; edit--) {
        const at = random.int(lines.length);
        const roll = random.int(4);
        if (roll === 0) lines[at] = ' ' + lines[at]!;
        else if (roll === 1) lines.splice(at, 1);
        else if (roll === 2) lines.splice(at, 0, '');
        else lines[at] = deep + lines[at]!.trimStart();
      }
      const eol = round % 3 === 0 ? '\r\n' : '\n';
      const text = (round % 5 === 0 ? '\ufeff' : '') + lines.join(eol) + (round % 2 === 0 ? eol : '') + (round % 7 === 0 ? `---${eol}kind: Service${eol}apiVersion: v1${eol}` : '');
      const index = LineIndex.of(text);
      for (const range of splitDocuments(text)) {
        const own = extractBlockDocument(text, range.start, range.end, DOCUMENT_SCHEMA);
        assert.deepEqual(extractBlockDocument(text, range.start, range.end, DOCUMENT_SCHEMA, index), own, JSON.stringify(text));
      }
    }
  });
});
