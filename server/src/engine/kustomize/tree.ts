/**
 * The mutable tree the builder transforms: the same shape as the engine's pruned tree (PNode), with
 * every span naming its file, so a value keeps its origin while patches and transformers move it
 * between objects. Built objects are handed out as PNode (this type is assignable to it).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { keyTable, type Schema } from '../syntax/schema';
import type { PNode, ScalarValue } from '../syntax/tree';
import type { Span } from '../types';

export interface MScalar {
  type: 'scalar';
  value: ScalarValue;
  span: Span;
}

export interface MEntry {
  key: string;
  keySpan: Span;
  value: MNode | undefined;
}

export interface MMap {
  type: 'map';
  entries: MEntry[];
  span: Span;
}

export interface MSeq {
  type: 'seq';
  items: (MNode | undefined)[];
  span: Span;
}

export type MNode = MScalar | MMap | MSeq;

/** A span of `fileId`, in that file's offsets. */
export function spanIn(fileId: string, span: Span): Span {
  return { start: span.start, end: span.end, fileId };
}

/** A deep copy of a pruned tree whose spans all name `fileId`. */
export function fromPruned(node: PNode, fileId: string): MNode {
  switch (node.type) {
    case 'scalar':
      return { type: 'scalar', value: node.value, span: spanIn(node.span.fileId ?? fileId, node.span) };
    case 'map':
      return {
        type: 'map',
        span: spanIn(node.span.fileId ?? fileId, node.span),
        entries: node.entries.map((e) => ({
          key: e.key,
          keySpan: spanIn(e.keySpan.fileId ?? fileId, e.keySpan),
          value: e.value ? fromPruned(e.value, fileId) : undefined,
        })),
      };
    case 'seq':
      return {
        type: 'seq',
        span: spanIn(node.span.fileId ?? fileId, node.span),
        items: node.items.map((item) => (item ? fromPruned(item, fileId) : undefined)),
      };
  }
}

/** A deep copy (spans are immutable values and are shared). */
export function cloneNode<T extends MNode>(node: T): T {
  switch (node.type) {
    case 'scalar':
      return { ...node };
    case 'map':
      return { type: 'map', span: node.span, entries: node.entries.map((e) => ({ key: e.key, keySpan: e.keySpan, value: e.value ? cloneNode(e.value) : undefined })) } as T;
    case 'seq':
      return { type: 'seq', span: node.span, items: node.items.map((item) => (item ? cloneNode(item) : undefined)) } as T;
  }
}

export function getEntry(map: MNode | undefined, key: string): MEntry | undefined {
  if (map?.type !== 'map') return undefined;
  for (const entry of map.entries) if (entry.key === key) return entry;
  return undefined;
}

export function getChild(map: MNode | undefined, key: string): MNode | undefined {
  return getEntry(map, key)?.value;
}

export function getAt(node: MNode | undefined, ...path: string[]): MNode | undefined {
  let current = node;
  for (const key of path) current = getChild(current, key);
  return current;
}

/** The text of a scalar (numbers and booleans as YAML writes them), or undefined. */
export function scalarText(node: PNode | undefined): string | undefined {
  if (node?.type !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

export function setEntry(map: MMap, key: string, value: MNode | undefined, keySpan: Span): void {
  const existing = map.entries.find((e) => e.key === key);
  if (existing) existing.value = value;
  else map.entries.push({ key, keySpan, value });
}

export function deleteEntry(map: MMap, key: string): void {
  const index = map.entries.findIndex((e) => e.key === key);
  if (index >= 0) map.entries.splice(index, 1);
}

/** The schema of a key under a schema; `any` subtrees keep everything. Undefined: not kept. */
export function childSchema(schema: Schema | undefined, key: string): Schema | undefined {
  if (!schema) return undefined;
  if (schema.any) return schema;
  return keyTable(schema).get(key);
}

/** Maps an offset in the text that was parsed to an offset in the file the span should name. */
export type OffsetMap = (offset: number) => number;

/** Whether every map keeps its `$patch` directive (strategic-merge patches). */
export interface ConvertOptions {
  readonly fileId: string;
  readonly map: OffsetMap;
  readonly keepDirectives: boolean;
  readonly document: Document;
}

const DIRECTIVE = '$patch';

/**
 * Converts a node of the `yaml` library to a tree pruned by `schema` (undefined: nothing kept).
 * Aliases are resolved; the alias budget of the document reader is not needed because patches and
 * kustomizations are small and an alias only repeats a node once per reference here.
 */
export function fromYaml(raw: unknown, schema: Schema, options: ConvertOptions, depth = 0): MNode | undefined {
  let node = raw as YamlNode | null | undefined;
  if (depth > 64) return undefined;
  if (node && isAlias(node)) node = node.resolve(options.document) as YamlNode | undefined;
  if (!node) return undefined;
  const range = node.range ?? [0, 0, 0];
  const span: Span = { start: options.map(range[0]), end: options.map(range[1]), fileId: options.fileId };
  if (isScalar(node)) {
    const value = node.value;
    const scalar: ScalarValue = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
    return { type: 'scalar', value: scalar, span };
  }
  if (isMap(node)) {
    const entries: MEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) continue;
      const sub = key === DIRECTIVE && options.keepDirectives ? LEAF_SCHEMA : childSchema(schema, key);
      if (!sub) continue;
      const keyRange = keyNode?.range ?? range;
      entries.push({
        key,
        keySpan: { start: options.map(keyRange[0]), end: options.map(keyRange[1]), fileId: options.fileId },
        value: fromYaml(pair.value, sub, options, depth + 1),
      });
    }
    return { type: 'map', entries, span };
  }
  if (isSeq(node)) {
    const itemSchema = schema.any ? schema : schema.items;
    return { type: 'seq', span, items: node.items.map((item) => (itemSchema ? fromYaml(item, itemSchema, options, depth + 1) : undefined)) };
  }
  return undefined;
}

const LEAF_SCHEMA: Schema = {};
