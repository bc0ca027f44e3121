/**
 * Splits a file into YAML documents and reads the ones that can matter. A document is read only
 * when it names both `apiVersion` and `kind` and its kind is one the rules use. A template (envsubst
 * or Helm placeholders in the fields the tree keeps, or Go template actions that make it invalid
 * YAML) is skipped with a note.
 */
import type { SkipNote, Span } from '../types';
import { extractBlockDocument } from './blockExtractor';
import { DOCUMENT_SCHEMA, isReadKind } from '../kinds/registry';
import { findPlaceholder, placeholderMessage } from './placeholders';
import type { LineIndex } from './lines';
import type { Schema } from './schema';
import type { PNode } from './tree';
import { readYamlDocument } from './yamlReader';

export interface ReadDocument {
  /** Index of the document in the file (0-based, counting every document). */
  readonly index: number;
  readonly span: Span;
  readonly root: PNode;
}

export interface ReadFile {
  readonly documents: readonly ReadDocument[];
  readonly skipped: readonly Omit<SkipNote, 'fileId'>[];
}

/** One document of a file: from after its `---` line (or the start) to the next marker line. */
export interface DocumentRange {
  readonly start: number;
  readonly end: number;
  /** The `---` line carries content (a tag, a flow node): only the full parser reads it. */
  readonly markerContent: boolean;
}

/** A document with Go template actions that does not parse: Helm syntax such as `{{- if … }}` lines. */
const TEMPLATE_NOT_YAML = 'Not analysed: this document holds Go template actions ({{ … }}) and is not valid YAML until rendered; it is a template (Helm).';

const KIND_LINE = /^kind[ \t]*:[ \t]*["']?([A-Za-z0-9]+)/;

/** A carriage return not followed by a line feed: an old Mac line break, which only the full parser reads. */
const LONE_CR = /\r(?!\n)/;

/**
 * Reads every document of a file that can matter, pruned to `schema` (the fields the rules read;
 * see kinds/registry.ts). Never throws: a document that is not YAML becomes a skip note.
 */
export function readFile(text: string, schema: Schema = DOCUMENT_SCHEMA): ReadFile {
  if (hasLoneCarriageReturn(text)) return readWithLineFeeds(text, schema);
  return readDocuments(text, splitDocuments(text), 0, schema);
}

/** Whether a text has a line break that is a lone carriage return (see `readFile`). */
export function hasLoneCarriageReturn(text: string): boolean {
  return text.includes('\r') && LONE_CR.test(text);
}

/**
 * Reads the documents `ranges` of a file (as `splitDocuments` gives them, in order), the first of
 * which is the document of index `firstIndex` in the file. The text must have no lone carriage
 * return (`hasLoneCarriageReturn`); `lines` is its LineIndex, when known. Never throws.
 */
export function readDocuments(text: string, ranges: readonly DocumentRange[], firstIndex: number, schema: Schema = DOCUMENT_SCHEMA, lines?: LineIndex): ReadFile {
  const documents: ReadDocument[] = [];
  const skipped: Omit<SkipNote, 'fileId'>[] = [];
  const apiVersion = new Occurrences(text, 'apiVersion');
  const kindWord = new Occurrences(text, 'kind');
  const templates = new Occurrences(text, '{{');
  const dollars = new Occurrences(text, '$');
  for (let index = 0; index < ranges.length; index++) {
    const range = ranges[index]!;
    const { start, end } = range;
    const documentIndex = firstIndex + index;
    if (!apiVersion.within(start, end) || !kindWord.within(start, end)) continue;
    const kind = sniffKind(text, start, end);
    if (kind !== undefined && !isReadKind(kind)) continue;
    const span = { start, end };
    const templated = templates.within(start, end);
    let root: PNode | undefined;
    const fast = kind !== undefined && !range.markerContent ? extractBlockDocument(text, start, end, schema, lines) : undefined;
    if (fast?.ok) {
      root = fast.root;
    } else if (flowNestingExceeds(text, start, end, MAX_FLOW_NESTING)) {
      // The `yaml` library takes seconds on thousands of nested `{`/`[`; no manifest nests so deep.
      if (templated) skipped.push({ span, reason: 'template', message: TEMPLATE_NOT_YAML, ...(kind !== undefined ? { kind } : {}) });
      else skipped.push({ span: { start, end: start }, reason: 'yaml-error', message: `Skipped a document whose flow collections nest deeper than ${MAX_FLOW_NESTING} levels.`, ...(kind !== undefined ? { kind } : {}) });
      continue;
    } else {
      const full = readYamlDocument(text, range.markerContent ? markerStart(text, start) : start, end, schema);
      if (!full.ok) {
        if (templated) skipped.push({ span, reason: 'template', message: TEMPLATE_NOT_YAML, ...(kind !== undefined ? { kind } : {}) });
        else skipped.push({ span: full.span, reason: 'yaml-error', message: `Skipped a document that is not valid YAML: ${full.reason}`, ...(kind !== undefined ? { kind } : {}) });
        continue;
      }
      root = full.root;
    }
    // Placeholders matter only in the fields the tree keeps (placeholders.ts).
    const placeholder = root && (templated || dollars.within(start, end)) ? findPlaceholder(text, root) : undefined;
    if (placeholder) {
      skipped.push({ span, reason: 'template', message: placeholderMessage(placeholder), ...(kind !== undefined ? { kind } : {}) });
      continue;
    }
    if (root) documents.push({ index: documentIndex, span, root });
  }
  return { documents, skipped };
}

/** Deeper flow nesting than this is not read (a Kubernetes manifest needs a handful of levels). */
const MAX_FLOW_NESTING = 256;

/**
 * Whether `{`/`[` nest deeper than `limit` in a range, counted without a parse (quotes and comments
 * are not told apart, which can only overcount: a bound, not a reader).
 */
function flowNestingExceeds(text: string, start: number, end: number, limit: number): boolean {
  let depth = 0;
  for (let index = text.indexOf('{', start) < 0 && text.indexOf('[', start) < 0 ? end : start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if ((code === 0x7d || code === 0x5d) && depth > 0) {
      depth--;
    }
  }
  return false;
}

/**
 * Reads a file whose lines end with lone carriage returns: every line break becomes a line feed
 * (the same length, so every offset stays valid) and the result is read as usual.
 */
function readWithLineFeeds(text: string, schema: Schema): ReadFile {
  return readFile(text.replace(/\r(?!\n)/g, '\n'), schema);
}

/**
 * Whether a word occurs in a range, for ranges visited in increasing order: each search starts
 * where the last one found something, so a file is searched once per word, not once per document.
 */
class Occurrences {
  private next = -2;

  constructor(
    private readonly text: string,
    private readonly word: string,
  ) {}

  within(start: number, end: number): boolean {
    if (this.next !== -1 && this.next < start) this.next = this.text.indexOf(this.word, start);
    return this.next >= start && this.next < end;
  }
}

/** The kind named on a top-level `kind:` line, if the document has one in block style. */
function sniffKind(text: string, start: number, end: number): string | undefined {
  let lineStart = start;
  while (lineStart < end) {
    if (text.charCodeAt(lineStart) === 0x6b /* k */) {
      const lineEnd = text.indexOf('\n', lineStart);
      const line = text.slice(lineStart, lineEnd < 0 || lineEnd > end ? end : lineEnd);
      const match = KIND_LINE.exec(line);
      if (match) return match[1];
    }
    const next = text.indexOf('\n', lineStart);
    if (next < 0 || next >= end) break;
    lineStart = next + 1;
  }
  return undefined;
}

/** Start of the `---` line that precedes a document starting at `start`. */
function markerStart(text: string, start: number): number {
  const previous = text.lastIndexOf('\n', start - 2);
  return previous < 0 ? 0 : previous + 1;
}

/**
 * Document boundaries: lines that begin with `---` or `...` followed by whitespace or the end of
 * the line. Such a line ends any block scalar too (YAML 1.2, 9.1.4), so no content is split wrongly.
 * Lines end at `\n`. With `lines`, the LineIndex of a text without lone carriage returns (so that
 * its lines are those), the lines are taken from it instead of being searched again.
 */
export function splitDocuments(text: string, lines?: LineIndex): DocumentRange[] {
  const ranges: DocumentRange[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let markerContent = false;
  let lineStart = start;
  let line = 0;
  const length = text.length;
  while (lineStart < length) {
    const next = lines ? lines.lineStart(++line) : nextLineStart(text, lineStart);
    const code = text.charCodeAt(lineStart);
    if (code === 0x2d || code === 0x2e) {
      const lineEnd = text.charCodeAt(next - 1) === 0x0a ? next - 1 : next;
      if (isMarker(text, lineStart, lineEnd)) {
        ranges.push({ start, end: lineStart, markerContent });
        markerContent = code === 0x2d && hasContent(text, lineStart + 3, lineEnd);
        start = next;
        if (code === 0x2e) markerContent = false;
      }
    }
    lineStart = next;
  }
  ranges.push({ start, end: length, markerContent });
  return ranges;
}

/** The offset after the `\n` that ends the line at `lineStart`, or the text's length. */
function nextLineStart(text: string, lineStart: number): number {
  const newline = text.indexOf('\n', lineStart);
  return newline < 0 ? text.length : newline + 1;
}

function isMarker(text: string, lineStart: number, lineEnd: number): boolean {
  const code = text.charCodeAt(lineStart);
  if (text.charCodeAt(lineStart + 1) !== code || text.charCodeAt(lineStart + 2) !== code) return false;
  const after = lineStart + 3;
  if (after >= lineEnd) return true;
  const next = text.charCodeAt(after);
  return next === 0x20 || next === 0x09 || next === 0x0d;
}

function hasContent(text: string, from: number, lineEnd: number): boolean {
  for (let position = from; position < lineEnd; position++) {
    const code = text.charCodeAt(position);
    if (code === 0x20 || code === 0x09 || code === 0x0d) continue;
    return code !== 0x23;
  }
  return false;
}

/** Characters compared at once while looking for the first difference (substrings compare natively). */
const CHUNK = 4096;

/** Length of the text two strings start with. */
export function commonPrefix(left: string, right: string): number {
  const shorter = Math.min(left.length, right.length);
  let at = 0;
  while (at + CHUNK <= shorter && left.substring(at, at + CHUNK) === right.substring(at, at + CHUNK)) at += CHUNK;
  while (at < shorter && left.charCodeAt(at) === right.charCodeAt(at)) at++;
  return at;
}

/** Length of the text two strings end with, at most `limit`. */
export function commonSuffix(left: string, right: string, limit: number): number {
  let length = 0;
  while (length + CHUNK <= limit && left.substring(left.length - length - CHUNK, left.length - length) === right.substring(right.length - length - CHUNK, right.length - length)) length += CHUNK;
  while (length < limit && left.charCodeAt(left.length - 1 - length) === right.charCodeAt(right.length - 1 - length)) length++;
  return length;
}

/** Whether a document has the same range in two texts, `delta` characters later in the second. */
export function sameRange(left: DocumentRange, right: DocumentRange, delta = 0): boolean {
  return left.start + delta === right.start && left.end + delta === right.end && left.markerContent === right.markerContent;
}

/**
 * How many leading documents a text shares with the text it was edited from: those with the same
 * range in both (`oldRanges`, `newRanges`) that end within the `prefix` characters both texts start
 * with (`commonPrefix`). Their text, and so their parse, is the same.
 */
export function unchangedHead(oldRanges: readonly DocumentRange[], newRanges: readonly DocumentRange[], prefix: number): number {
  let head = 0;
  while (head < oldRanges.length && head < newRanges.length && sameRange(oldRanges[head]!, newRanges[head]!) && oldRanges[head]!.end <= prefix) head++;
  return head;
}
