/**
 * JSON patches (RFC 6902) on the pruned tree, applied by `fast-json-patch` on a plain-JSON view.
 * Operations on fields the pruned tree leaves out change nothing a link depends on and are
 * skipped; the others run as kustomize runs them (an operation that fails fails the patch). Values
 * keep their spans: what the patch did not touch keeps its own, what it wrote points at the
 * operation's value in the patch file. https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesjson6902/
 */
import { applyOperation, type Operation } from 'fast-json-patch';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { Schema } from '../syntax/schema';
import type { ScalarValue } from '../syntax/tree';
import type { Span } from '../types';
import { childSchema, fromYaml, getEntry, type MEntry, type MNode, type OffsetMap } from './tree';

export interface JsonOperation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  /** The value, pruned by the schema at `path`; undefined for operations without one or outside the schema. */
  readonly value?: MNode;
  readonly hasValue: boolean;
  /** The operation in the patch file. */
  readonly span: Span;
}

/** Whether text is a JSON patch rather than strategic-merge documents: its first document is a sequence (kustomize tries both readings). */
export function looksLikeJsonPatch(text: string): boolean {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return true;
  try {
    const documents = parseAllDocuments(text);
    const first = Array.isArray(documents) ? documents[0] : undefined;
    return first !== undefined && isSeq(first.contents);
  } catch {
    return false;
  }
}

/** A patch text parsed as a YAML stream (the parse options of the builder), or why it is not one. */
export type PatchParse = { readonly documents: readonly Document.Parsed[] } | { readonly error: string };

/** Parses a patch text (`readJsonPatch` and strategic-merge patches); the documents are read, never changed. */
export function parsePatch(text: string): PatchParse {
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
    if (!Array.isArray(parsed)) return { error: 'not a YAML stream' };
    return { documents: parsed };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function decodePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The schema at a pointer, or undefined when the path leaves what the pruned tree keeps. */
export function schemaAtPointer(root: Schema, tokens: readonly string[]): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const token of tokens) {
    if (!schema) return undefined;
    if (schema.any) return schema;
    if (/^(\d+|-)$/.test(token) && schema.items) schema = schema.items;
    else schema = childSchema(schema, token);
  }
  return schema;
}

/** Reads the operations of a JSON patch (JSON or YAML). Returns a message when it is not a list of operations. */
export function readJsonPatch(text: string, fileId: string, map: OffsetMap, schema: Schema, parse: (text: string) => PatchParse = parsePatch): { operations: JsonOperation[] } | { error: string } {
  const parsed = parse(text);
  if ('error' in parsed) return { error: parsed.error };
  const documents = parsed.documents;
  const document = documents[0];
  if (!document || document.errors.length > 0) return { error: document?.errors[0]?.message.split('\n')[0] ?? 'empty patch' };
  const list = document.contents;
  if (!isSeq(list)) return { error: 'a JSON patch is a list of operations' };
  const operations: JsonOperation[] = [];
  for (const item of list.items) {
    if (!isMap(item)) return { error: 'an operation is not a mapping' };
    const get = (name: string): YamlNode | undefined => {
      const pair = item.items.find((p) => isScalar(p.key) && p.key.value === name);
      return (pair?.value ?? undefined) as YamlNode | undefined;
    };
    const text = (node: YamlNode | undefined): string | undefined => (node && isScalar(node) && node.value !== null ? String(node.value) : undefined);
    const op = text(get('op'));
    const path = text(get('path'));
    if (op === undefined || path === undefined) return { error: 'an operation lacks op or path' };
    const range = item.range ?? [0, 0, 0];
    const span: Span = { start: map(range[0]), end: map(range[1]), fileId };
    const tokens = decodePointer(path);
    const valueSchema = tokens ? schemaAtPointer(schema, tokens) : undefined;
    const valueNode = get('value');
    const value = valueNode && valueSchema ? fromYaml(valueNode, valueSchema, { fileId, map, keepDirectives: false, document }) : undefined;
    operations.push({ op, path, from: text(get('from')), value, hasValue: valueNode !== undefined, span });
  }
  return { operations };
}

type Json = ScalarValue | Json[] | { [key: string]: Json };

class View {
  /** The tree node each JSON container was made from. */
  readonly origins = new WeakMap<object, MNode>();

  toJson(node: MNode | undefined): Json {
    if (!node) return null;
    if (node.type === 'scalar') return node.value;
    if (node.type === 'seq') {
      const array = node.items.map((item) => this.toJson(item));
      this.origins.set(array, node);
      return array;
    }
    const object: { [key: string]: Json } = {};
    for (const entry of node.entries) object[entry.key] = this.toJson(entry.value);
    this.origins.set(object, node);
    return object;
  }

  /** The tree for a JSON value; `hint` is the node at the same place before the operation, `fallback` the operation's span. */
  fromJson(json: Json, hint: MNode | undefined, fallback: Span): MNode {
    if (json !== null && typeof json === 'object') {
      const origin = this.origins.get(json) ?? hint;
      if (Array.isArray(json)) {
        const items = json.map((item, index) => this.fromJson(item, origin?.type === 'seq' ? origin.items[index] : undefined, fallback));
        return { type: 'seq', items, span: origin?.span ?? fallback };
      }
      const entries: MEntry[] = [];
      for (const [key, value] of Object.entries(json)) {
        const before = getEntry(origin, key);
        entries.push({ key, keySpan: before?.keySpan ?? fallback, value: this.fromJson(value, before?.value, fallback) });
      }
      return { type: 'map', entries, span: origin?.span ?? fallback };
    }
    if (hint?.type === 'scalar' && (hint.value === json || (Number.isNaN(hint.value) && Number.isNaN(json)))) return hint;
    return { type: 'scalar', value: json, span: fallback };
  }
}

/**
 * Applies operations to an object's tree. Returns the new tree, or the failure of the first
 * operation that failed (kustomize then fails the build; the object is left as it was).
 */
export function applyJsonPatch(root: MNode, operations: readonly JsonOperation[], schema: Schema): { root: MNode; skipped: number } | { error: string } {
  let current = root;
  let skipped = 0;
  for (const operation of operations) {
    const tokens = decodePointer(operation.path);
    const fromTokens = operation.from === undefined ? undefined : decodePointer(operation.from);
    if (!tokens) return { error: `invalid path ${operation.path}` };
    const inside = schemaAtPointer(schema, tokens) !== undefined;
    const fromInside = fromTokens === undefined || schemaAtPointer(schema, fromTokens) !== undefined;
    if (!inside) {
      // Moving a kept value out of the kept fields removes it from them.
      if (operation.op === 'move' && fromTokens && fromInside) {
        const removed = applyJsonPatch(current, [{ op: 'remove', path: operation.from!, hasValue: false, span: operation.span }], schema);
        if ('error' in removed) return removed;
        current = removed.root;
      } else {
        skipped++;
      }
      continue;
    }
    if (!fromInside) return { error: `${operation.op} from ${operation.from}: a field the builder does not read` };
    const view = new View();
    const document = view.toJson(current);
    const valueView = new View();
    const value = operation.value ? valueView.toJson(operation.value) : operation.hasValue ? null : undefined;
    const fallback = operation.value?.span ?? operation.span;
    // kustomize applies JSON patches with github.com/evanphx/json-patch, whose `replace` looks a
    // mapping's key up without checking that it is there: replacing a missing key of an existing
    // mapping sets it, as `add` does (a missing list index or parent still fails; kubectl v1.34).
    const op = operation.op === 'replace' && isMissingKeyOfMapping(document, tokens) ? 'add' : operation.op;
    const raw = { op, path: operation.path, from: operation.from, value } as unknown as Operation;
    try {
      const result = applyOperation(document, raw, true, true, true).newDocument as Json;
      const merged = new View();
      // Containers of the object and of the operation's value both keep their origins.
      const combined = merged.origins;
      copyOrigins(view, document, combined);
      if (value !== undefined && value !== null && typeof value === 'object') copyOrigins(valueView, value, combined);
      current = merged.fromJson(result, undefined, fallback);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      return { error: `${operation.op} ${operation.path}: ${message}` };
    }
  }
  return { root: current, skipped };
}

/** Whether `tokens` name a key that a mapping of `document` (reached by the tokens before it) does not have. */
function isMissingKeyOfMapping(document: Json, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false;
  let parent: Json | undefined = document;
  for (const token of tokens.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return false;
    parent = Array.isArray(parent) ? parent[Number(token)] : parent[token];
  }
  return parent !== null && parent !== undefined && typeof parent === 'object' && !Array.isArray(parent) && !Object.prototype.hasOwnProperty.call(parent, tokens[tokens.length - 1]!);
}

function copyOrigins(view: View, json: Json, into: WeakMap<object, MNode>): void {
  if (json === null || typeof json !== 'object') return;
  const origin = view.origins.get(json);
  if (origin) into.set(json, origin);
  for (const value of Array.isArray(json) ? json : Object.values(json)) copyOrigins(view, value, into);
}
