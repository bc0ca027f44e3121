/**
 * Minimal text edits for rule fixes: set a value, add a `key: value` beside its siblings, add a
 * sequence item. Edits touch only the text they change, so comments and formatting stay; a new
 * line is indented like its siblings, and a flow collection (`{app: web}`) gets `, key: value`.
 */
import type { LabelPair } from '../model/objects';
import type { Span, TextEdit } from '../types';
import type { Layout } from './rule';

/** The file a span's offsets are in. */
function fileOf(span: Span, objectFile: string): string {
  return span.fileId ?? objectFile;
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

/** Adds `key: value` after the last of `siblings` (entries of one map), in their style. */
export function addEntryAfter(layout: Layout, objectFile: string, last: { readonly keySpan: Span; readonly span: Span }, key: string, value: string): TextEdit {
  const file = fileOf(last.keySpan, objectFile);
  const style = opensLine(layout, file, last.keySpan);
  const entry = `${yamlString(key)}: ${value}`;
  if (style === 'flow') return { span: point(last.span.end, last.span), newText: `, ${entry}` };
  return { span: point(last.span.end, last.span), newText: `\n${' '.repeat(layout.column(file, last.keySpan.start))}${entry}` };
}

/** Adds the label `key=value` to a label map after its last pair; undefined when the map is empty. */
export function addLabel(layout: Layout, objectFile: string, pairs: readonly LabelPair[], key: string, value: string): TextEdit | undefined {
  const last = pairs[pairs.length - 1];
  return last ? addEntryAfter(layout, objectFile, last, key, yamlString(value)) : undefined;
}

/** Adds `key: value` as the first entry of a sequence item (whose first key starts at `item.start`). */
export function addFirstEntry(layout: Layout, objectFile: string, item: Span, key: string, value: string): TextEdit {
  const file = fileOf(item, objectFile);
  const entry = `${key}: ${value}`;
  if (opensLine(layout, file, item) === 'flow') return { span: point(item.start, item), newText: `${entry}, ` };
  return { span: point(item.start, item), newText: `${entry}\n${' '.repeat(layout.column(file, item.start))}` };
}

/** Adds `key: value` as the last entry of a sequence item spanning `item` (first key to last value). */
export function addLastEntry(layout: Layout, objectFile: string, item: Span, key: string, value: string): TextEdit {
  const file = fileOf(item, objectFile);
  const entry = `${key}: ${value}`;
  if (opensLine(layout, file, item) === 'flow') {
    return { span: point(item.end, item), newText: `, ${entry}` };
  }
  return { span: point(item.end, item), newText: `\n${' '.repeat(layout.column(file, item.start))}${entry}` };
}

/** Adds a sequence item `- key: value` after the item spanning `last` (block items only). */
export function addItemAfter(layout: Layout, objectFile: string, last: Span, key: string, value: string): TextEdit | undefined {
  const file = fileOf(last, objectFile);
  if (opensLine(layout, file, last) !== 'item') return undefined;
  return { span: point(last.end, last), newText: `\n${' '.repeat(layout.indentation(file, last.start))}- ${key}: ${value}` };
}

/** Replaces a value. */
export function setValue(span: Span, text: string): TextEdit {
  return { span, newText: text };
}
