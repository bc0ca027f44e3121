/**
 * Reads a document with the `yaml` library (YAML 1.2, core schema) and prunes it to the same tree
 * the block extractor produces. Used for documents outside the extractor's subset: flow-style and
 * JSON documents, anchors and aliases, block scalars, multi-line scalars.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';
import type { Span } from '../types';
import type { Schema } from './schema';
import { containerSpan, type PEntry, type PNode, type ScalarValue } from './tree';

export type ReadResult =
  | { readonly ok: true; readonly root: PNode | undefined }
  | { readonly ok: false; readonly reason: string; readonly span: Span };

/** Aliases could expand a small document into a huge tree (an "alias bomb"): cap the nodes read through aliases. */
const ALIAS_NODE_BUDGET = 20_000;

export function readYamlDocument(text: string, start: number, end: number, schema: Schema): ReadResult {
  const source = text.slice(start, end);
  let document: Document.Parsed;
  try {
    // Duplicate keys are found by the converter, for the maps it keeps: the library's own check
    // compares every pair of keys of a map, which is quadratic on wide JSON objects.
    document = parseDocument(source, { uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error), span: { start, end: start } };
  }
  const error = document.errors[0];
  if (error) {
    const at = start + (error.pos[0] ?? 0);
    return { ok: false, reason: firstLine(error.message), span: { start: at, end: Math.min(end, start + (error.pos[1] ?? 0)) } };
  }
  const converter = new Converter(document, start);
  try {
    return { ok: true, root: converter.node(document.contents, schema) };
  } catch (failure) {
    return { ok: false, reason: failure instanceof Error ? failure.message : String(failure), span: { start, end: start } };
  }
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return newline < 0 ? message : message.slice(0, newline);
}

class Converter {
  private budget = ALIAS_NODE_BUDGET;
  /** Anchored nodes by name, in document order; built on the first alias. */
  private anchors: Map<string, { readonly start: number; readonly node: YamlNode }[]> | undefined;

  constructor(
    private readonly document: Document.Parsed,
    private readonly offset: number,
  ) {}

  node(raw: unknown, schema: Schema, throughAlias = false): PNode | undefined {
    let node = raw;
    let aliased = throughAlias;
    for (let depth = 0; isAlias(node); depth++) {
      if (depth > 32) throw new Error('alias chain too deep');
      node = this.resolve(node);
      aliased = true;
    }
    if (aliased && --this.budget < 0) throw new Error('document too large after alias expansion');
    if (node === null || node === undefined) return undefined;
    if (isScalar(node)) {
      const range = (node as YamlNode).range;
      if (!range) return undefined;
      if (node.value === null && range[0] === range[1]) return undefined;
      return { type: 'scalar', value: scalarValue(node.value), span: this.span(range[0], range[1]) };
    }
    if (isMap(node)) {
      const entries: PEntry[] = [];
      const seen = new Set<string>();
      for (const pair of node.items) {
        let key: unknown = pair.key;
        for (let depth = 0; isAlias(key); depth++) {
          if (depth > 32) throw new Error('alias chain too deep');
          key = this.resolve(key);
        }
        if (!isScalar(key) || !key.range) continue;
        const keyText = key.value === null ? '' : String(scalarValue(key.value));
        const child = schema.any ? schema : schema.keys?.[keyText];
        if (child === undefined) continue;
        if (seen.has(keyText)) throw new Error(`Map keys must be unique; "${keyText}" is repeated`);
        seen.add(keyText);
        entries.push({
          key: keyText,
          keySpan: this.span(key.range[0], key.range[1]),
          value: this.node(pair.value, child, aliased),
        });
      }
      return { type: 'map', entries, span: containerSpan({ entries }, this.start(node)) };
    }
    if (isSeq(node)) {
      const itemSchema = schema.any ? schema : schema.items;
      const items = itemSchema === undefined ? [] : node.items.map((item) => this.node(item, itemSchema, aliased));
      return { type: 'seq', items, span: containerSpan({ items }, this.start(node)) };
    }
    return undefined;
  }

  /**
   * The node an alias refers to: the last node with that anchor before the alias (YAML 1.2, 7.1).
   * `Alias.resolve` of the library searches the whole document for every alias, which makes
   * documents with many aliases quadratic; the anchors are indexed once instead.
   */
  private resolve(alias: Alias): YamlNode | undefined {
    if (!this.anchors) {
      const anchors = new Map<string, { start: number; node: YamlNode }[]>();
      visit(this.document, {
        Node: (_key, node) => {
          if (isAlias(node) || !node.anchor) return;
          let list = anchors.get(node.anchor);
          if (!list) anchors.set(node.anchor, (list = []));
          list.push({ start: node.range?.[0] ?? 0, node });
        },
      });
      this.anchors = anchors;
    }
    const at = alias.range?.[0] ?? Number.MAX_SAFE_INTEGER;
    let found: YamlNode | undefined;
    for (const candidate of this.anchors.get(alias.source) ?? []) {
      if (candidate.start >= at) break;
      found = candidate.node;
    }
    return found;
  }

  private start(node: YamlNode): number {
    return this.offset + (node.range?.[0] ?? 0);
  }

  private span(start: number, end: number): Span {
    return { start: this.offset + start, end: this.offset + end };
  }
}

function scalarValue(value: unknown): ScalarValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}
