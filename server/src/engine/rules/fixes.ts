/**
 * Minimal text edits for rule fixes: set a value, add a `key: value` beside its siblings, add a
 * sequence item. Edits touch only the text they change, so comments and formatting stay: a new
 * line is indented like its siblings and goes after the comment that ends the line before it,
 * and a flow collection (`{app: web}`) gets `, key: value`. In a `.json` manifest every edit
 * keeps the file JSON (quoted keys and strings, commas); an edit JSON cannot take (a block
 * sequence item) is not offered there.
 */
import type { LabelPair } from '../model/objects';
import type { Span, TextEdit } from '../types';
import type { Layout } from './rule';

/** The file a span's offsets are in. */
function fileOf(span: Span, objectFile: string): string {
  return span.fileId ?? objectFile;
}

/**
 * Whether edits must keep a file JSON: a `.json` manifest. kubectl reads a file that opens with
 * `{` as JSON (apimachinery's YAMLOrJSONDecoder), where YAML's plain scalars are errors.
 */
export function isJsonFile(fileId: string): boolean {
  return /\.json$/i.test(fileId);
}

/** A zero-width span at `offset` in the file of `like`. */
function point(offset: number, like: Span): Span {
  return like.fileId === undefined ? { start: offset, end: offset } : { start: offset, end: offset, fileId: like.fileId };
}

/** Whether the key at `span.start` opens its line (block style), or after a `- ` that does. */
function opensLine(layout: Layout, file: string, span: Span): 'line' | 'item' | 'flow' {
  const column = layout.column(file, span.start);
  const indentation = layout.indentation(file, span.start);
  if (column === indentation) return 'line';
  if (column === indentation + 2) return 'item';
  return 'flow';
}

/**
 * A plain YAML scalar that reads as the string `value` in YAML 1.1 (as kubectl reads it), else the
 * value in double quotes: `web`, `"8080"`, `"yes"`.
 */
export function yamlString(value: string): string {
  const plain = /^[A-Za-z_][-A-Za-z0-9_./]*$/.test(value) && !/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/.test(value);
  return plain ? value : JSON.stringify(value);
}

/** A string or number as `file` writes it: quoted in JSON, plain in YAML where it reads as itself (`yamlString`). */
export function scalarIn(file: string, value: string | number): string {
  if (typeof value === 'number') return String(value);
  return isJsonFile(file) ? JSON.stringify(value) : yamlString(value);
}

/** A mapping key as `file` writes it: quoted in JSON, plain in YAML where it reads as itself. */
export function keyIn(file: string, key: string): string {
  return isJsonFile(file) ? JSON.stringify(key) : yamlString(key);
}

/** `key: value` as `file` writes an entry. */
function entryIn(file: string, key: string, value: string | number): string {
  return `${keyIn(file, key)}: ${scalarIn(file, value)}`;
}

/**
 * Adds `key: value` after the entry `last` (a map entry or a sequence item's last entry): in a
 * flow collection `, key: value` right after it; in block style a line of its own at the column of
 * `column` (the sibling keys), after the end of the line `last` ends on (its comment included).
 */
function addAfter(layout: Layout, file: string, last: Span, column: number, style: 'line' | 'item' | 'flow', entry: string): TextEdit {
  if (isJsonFile(file)) {
    return { span: point(last.end, last), newText: style === 'flow' ? `, ${entry}` : `,\n${' '.repeat(column)}${entry}` };
  }
  if (style === 'flow') return { span: point(last.end, last), newText: `, ${entry}` };
  return { span: point(layout.lineEnd(file, last.end), last), newText: `\n${' '.repeat(column)}${entry}` };
}

/** Adds `key: value` after the last of `siblings` (entries of one map), in their style. */
export function addEntryAfter(layout: Layout, objectFile: string, last: { readonly keySpan: Span; readonly span: Span }, key: string, value: string | number): TextEdit {
  const file = fileOf(last.keySpan, objectFile);
  return addAfter(layout, file, last.span, layout.column(file, last.keySpan.start), opensLine(layout, file, last.keySpan), entryIn(file, key, value));
}

/** Adds the label `key=value` to a label map after its last pair; undefined when the map is empty. */
export function addLabel(layout: Layout, objectFile: string, pairs: readonly LabelPair[], key: string, value: string): TextEdit | undefined {
  const last = pairs[pairs.length - 1];
  return last ? addEntryAfter(layout, objectFile, last, key, value) : undefined;
}

/** Adds `key: value` as the first entry of a sequence item (whose first key starts at `item.start`). */
export function addFirstEntry(layout: Layout, objectFile: string, item: Span, key: string, value: string | number): TextEdit {
  const file = fileOf(item, objectFile);
  const entry = entryIn(file, key, value);
  const separator = isJsonFile(file) ? ',' : '';
  if (opensLine(layout, file, item) === 'flow') return { span: point(item.start, item), newText: `${entry}, ` };
  return { span: point(item.start, item), newText: `${entry}${separator}\n${' '.repeat(layout.column(file, item.start))}` };
}

/** Adds `key: value` as the last entry of a sequence item spanning `item` (first key to last value). */
export function addLastEntry(layout: Layout, objectFile: string, item: Span, key: string, value: string | number): TextEdit {
  const file = fileOf(item, objectFile);
  return addAfter(layout, file, item, layout.column(file, item.start), opensLine(layout, file, item), entryIn(file, key, value));
}

/**
 * Adds a sequence item of `entries` (`- key: value`, the others below it) after the item spanning
 * `last`, after the end of its line; block items only (undefined for flow or JSON items).
 */
export function addItemAfter(layout: Layout, objectFile: string, last: Span, entries: readonly (readonly [key: string, value: string | number])[]): TextEdit | undefined {
  const file = fileOf(last, objectFile);
  if (isJsonFile(file) || opensLine(layout, file, last) !== 'item' || entries.length === 0) return undefined;
  const indentation = layout.indentation(file, last.start);
  const lines = entries.map(([key, value], index) => `${' '.repeat(index === 0 ? indentation : indentation + 2)}${index === 0 ? '- ' : ''}${entryIn(file, key, value)}`);
  return { span: point(layout.lineEnd(file, last.end), last), newText: `\n${lines.join('\n')}` };
}

/** Replaces a value with text written as it is (a number, a name already checked to read as itself). */
export function setValue(span: Span, text: string): TextEdit {
  return { span, newText: text };
}

/** Replaces a scalar value with `value` as the file writes it (`scalarIn`). */
export function setScalar(objectFile: string, span: Span, value: string | number): TextEdit {
  return { span, newText: scalarIn(fileOf(span, objectFile), value) };
}
