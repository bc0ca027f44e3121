/**
 * The YAML path at a cursor, worked out from the text alone (block style, indentation), so that it
 * holds on half-typed lines the parser cannot read yet: `spec.selector` + key `app` + value `we`.
 * Sequence items are `[]` in the path. Comment and blank lines are skipped.
 */
import type { Span } from '../types';

export interface CursorPath {
  /** Keys from the document root to the map the cursor is in; `[]` for a sequence item. */
  readonly path: readonly string[];
  /** On a key (typing a new key) or on the value of `key`. */
  readonly position: 'key' | 'value';
  /** The key whose value the cursor is on (position `value`). */
  readonly key: string | undefined;
  /** What is typed so far: the key or value text up to the cursor (quotes removed). */
  readonly prefix: string;
  /** The text a completion replaces: the word under the cursor (without quotes). */
  readonly replace: Span;
  /** Start and end offsets of the cursor's YAML document. */
  readonly document: Span;
}

interface Frame {
  readonly indent: number;
  readonly key: string;
}

const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;
const KEY_LINE = /^(- +)*(["']?)([^"'#:{}[\]][^#:{}[\]]*?)\2:(\s|$)/;

/** The path at `offset`, or undefined inside a flow collection, a comment or a block scalar. */
export function cursorPathAt(text: string, offset: number): CursorPath | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const document = documentAround(text, lineStart);
  // Frames of the lines above, by indentation.
  const stack: Frame[] = [];
  let at = document.start;
  while (at < lineStart) {
    let end = text.indexOf('\n', at);
    if (end < 0 || end > lineStart) end = lineStart;
    pushLine(stack, text.slice(at, end).replace(/\r$/, ''));
    at = end + 1;
  }
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const column = offset - lineStart;
  const before = line.slice(0, column);
  if (before.includes('#') || /[{}[\]]/.test(before) || /^\s*[|>]/.test(before)) return undefined;
  const indentMatch = /^( *)((?:- +)*)/.exec(before)!;
  let indent = indentMatch[1]!.length;
  const dashes = indentMatch[2]!;
  // Each `- ` opens a sequence item one level deeper.
  popTo(stack, indent, dashes.length > 0);
  const path = stack.map((frame) => frame.key);
  for (const dash of dashes.match(/- +/g) ?? []) {
    path.push('[]');
    indent += dash.length;
  }
  const rest = before.slice(indent);
  const colon = /^(["']?)([^"':]*?)\1:\s*/.exec(rest);
  if (colon) {
    const key = colon[2]!.trim();
    const valueText = rest.slice(colon[0].length);
    const quote = /^["']/.exec(valueText)?.[0] ?? '';
    const prefix = valueText.slice(quote.length);
    const valueStart = lineStart + indent + colon[0].length + quote.length;
    const after = /^[^\s"'#,]*/.exec(line.slice(column))![0];
    return { path, position: 'value', key, prefix, replace: { start: valueStart, end: offset + after.length }, document };
  }
  const quote = /^["']/.exec(rest)?.[0] ?? '';
  const prefix = rest.slice(quote.length);
  if (/\s/.test(prefix)) return undefined;
  const after = /^[^\s"':#]*/.exec(line.slice(column))![0];
  return { path, position: 'key', key: undefined, prefix, replace: { start: lineStart + indent + quote.length, end: offset + after.length }, document };
}

function documentAround(text: string, lineStart: number): Span {
  let start = 0;
  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (DOCUMENT_MARKER.test(text.slice(at, Math.min(end, at + 4)))) {
      if (at >= lineStart && at > 0) return { start, end: at };
      if (at < lineStart) start = end + 1;
    }
    at = end + 1;
  }
  return { start, end: text.length };
}

/**
 * Drops the frames a line at `indent` closes. A `- ` item at the indentation of a key belongs to
 * that key (a compact sequence: `ports:` then `- port: 80` below it, not indented).
 */
function popTo(stack: Frame[], indent: number, dash = false): void {
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.indent < indent || (dash && top.indent === indent && top.key !== '[]')) return;
    stack.pop();
  }
}

/** Updates the frames with one line above the cursor. */
function pushLine(stack: Frame[], line: string): void {
  const trimmed = line.trimStart();
  if (trimmed === '' || trimmed.startsWith('#')) return;
  let indent = line.length - trimmed.length;
  popTo(stack, indent, trimmed.startsWith('-'));
  let rest = trimmed;
  // `- ` items: a frame per dash, each deeper.
  while (/^- +/.test(rest) || rest === '-') {
    const dash = /^- */.exec(rest)![0];
    stack.push({ indent, key: '[]' });
    indent += dash.length;
    rest = rest.slice(dash.length);
    if (rest === '') return;
  }
  const match = KEY_LINE.exec(rest);
  if (match) stack.push({ indent, key: match[3]!.trim() });
}
