/**
 * Reads a document with the `yaml` library (scalars typed by YAML 1.1 as kubectl reads them, merge
 * keys applied) and prunes it to the same tree
 * the block extractor produces. Used for documents outside the extractor's subset: flow-style and
 * JSON documents, anchors and aliases, block scalars, multi-line scalars.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Alias, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { Span } from '../types';
import { plainKeyText, resolvePlain, resolveTagged, type CoreScalarTag } from './scalars';
import { keyTable, type Schema } from './schema';
import { mapSpan, seqSpan, type PEntry, type PKey, type PNode, type ScalarValue } from './tree';

export type ReadResult =
  | { readonly ok: true; readonly root: PNode | undefined }
  | { readonly ok: false; readonly reason: string; readonly span: Span };

/** Aliases could expand a small document into a huge tree (an "alias bomb"): cap the nodes read through aliases. */
const ALIAS_NODE_BUDGET = 20_000;
const TOO_LARGE = 'document too large after alias expansion';

/** Merge keys inside merged mappings, how deep (real manifests use one or two levels). */
const MERGE_DEPTH = 32;
const MERGE_KEY = '<<';
const MERGE_TAG = 'tag:yaml.org,2002:merge';
/** go-yaml v2's message for a merge value that is not a mapping or a list of mappings. */
const MERGE_NEEDS_MAPS = 'map merge requires map or sequence of maps as the value';

/** The core tags go-yaml resolves a tagged scalar with, by full name. */
const CORE_TAGS: ReadonlyMap<string, CoreScalarTag> = new Map(
  (['int', 'float', 'bool', 'null'] as const).map((name) => [`tag:yaml.org,2002:${name}`, name]),
);

export function readYamlDocument(text: string, start: number, end: number, schema: Schema): ReadResult {
  const source = text.slice(start, end);
  let document: Document.Parsed;
  try {
    // Duplicate keys are found by the converter, for the maps it keeps: the library's own check
    // compares every pair of keys of a map, which is quadratic on wide JSON objects.
    // The failsafe schema leaves every scalar a string: scalars.ts types them as go-yaml v2 does
    // (YAML 1.1), and merge keys are applied below, so this reader and the block extractor agree.
    document = parseDocument(source, { uniqueKeys: false, prettyErrors: false, schema: 'failsafe', version: '1.1' });
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
    if (aliased && --this.budget < 0) throw new Error(TOO_LARGE);
    if (node === null || node === undefined) return undefined;
    if (isScalar(node)) {
      const range = node.range;
      if (!range) return undefined;
      // An empty node (`key:` with nothing after it).
      if (range[0] === range[1] && (node.type === Scalar.PLAIN || node.type === undefined)) return undefined;
      return { type: 'scalar', value: scalarValue(node), span: this.span(range[0], range[1]) };
    }
    if (isMap(node)) {
      const entries = new Map<string, PEntry>();
      const written: PEntry[] = [];
      const skipped: PKey[] = [];
      this.collect(node, schema, aliased, entries, written, 0, schema.recordSkipped && !schema.any ? skipped : undefined);
      const list = [...entries.values()];
      const span = mapSpan(written, this.start(node));
      return { type: 'map', entries: list, span, skipped: skipped.length > 0 ? skipped : undefined };
    }
    if (isSeq(node)) {
      const itemSchema = schema.any ? schema : schema.items;
      const items = itemSchema === undefined ? [] : node.items.map((item) => this.node(item, itemSchema, aliased));
      return { type: 'seq', items, span: seqSpan(items, this.start(node)) };
    }
    return undefined;
  }

  /**
   * Adds the kept entries of a mapping to `entries`, in order. A key written twice in one mapping
   * is an error. A merge key (`<<: *base`, `<<: [*a, *b]`) is applied where it stands, as go-yaml
   * v2 (kubectl's reader) applies it when it decodes into a map (`mapping` and `merge` in
   * decode.go): each merged mapping sets its keys, so keys written after the merge key win over
   * merged ones, and in a merge list earlier mappings win (they are applied last). A merged
   * entry keeps its spans in the anchored mapping, where the user wrote it. `written` gets the
   * entries that lie in this mapping (a merge counts as its `<<` key and value), for its span.
   * `skipped`, when given, gets the keys written in this mapping that the schema does not keep.
   * Returns how many kept entries it set.
   */
  private collect(
    node: YAMLMap,
    schema: Schema,
    aliased: boolean,
    entries: Map<string, PEntry>,
    written: PEntry[] | undefined,
    depth: number,
    skipped?: PKey[],
  ): number {
    const seen = new Set<string>();
    let set = 0;
    for (const pair of node.items) {
      let key: unknown = pair.key;
      for (let hops = 0; isAlias(key); hops++) {
        if (hops > 32) throw new Error('alias chain too deep');
        key = this.resolve(key);
      }
      if (!isScalar(key) || !key.range) continue;
      if (depth > 0 && --this.budget < 0) throw new Error(TOO_LARGE);
      if (isMergeKey(key)) {
        const merged = this.merge(pair.value, schema, aliased, entries, depth + 1);
        set += merged;
        if (written && merged > 0) {
          const value = pair.value as YamlNode | null;
          const end = value?.range ? value.range[1] : key.range[1];
          written.push({ key: MERGE_KEY, keySpan: this.span(key.range[0], key.range[1]), value: { type: 'scalar', value: null, span: this.span(key.range[0], end) } });
        }
        continue;
      }
      const keyText = keyTextOf(key);
      const child = schema.any ? schema : keyTable(schema).get(keyText);
      if (child === undefined) {
        skipped?.push({ key: keyText, keySpan: this.span(key.range[0], key.range[1]) });
        continue;
      }
      if (seen.has(keyText)) throw new Error(`Map keys must be unique; "${keyText}" is repeated`);
      seen.add(keyText);
      const entry: PEntry = { key: keyText, keySpan: this.span(key.range[0], key.range[1]), value: this.node(pair.value, child, aliased) };
      entries.set(keyText, entry);
      written?.push(entry);
      set++;
    }
    return set;
  }

  /** Applies the value of a merge key; returns how many kept entries it set. */
  private merge(raw: unknown, schema: Schema, throughAlias: boolean, entries: Map<string, PEntry>, depth: number): number {
    if (depth > MERGE_DEPTH) throw new Error('merge keys nested too deep');
    const sources: { node: YAMLMap; aliased: boolean }[] = [];
    const mapping = (value: unknown): { node: YAMLMap; aliased: boolean } => {
      let node = value;
      let aliased = throughAlias;
      if (isAlias(node)) {
        node = this.resolve(node);
        aliased = true;
      }
      if (!isMap(node)) throw new Error(MERGE_NEEDS_MAPS);
      return { node, aliased };
    };
    if (isSeq(raw)) {
      for (const item of raw.items) sources.push(mapping(item));
      sources.reverse();
    } else {
      sources.push(mapping(raw));
    }
    let set = 0;
    for (const source of sources) set += this.collect(source.node, schema, source.aliased, entries, undefined, depth);
    return set;
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
    // kubectl (go-yaml) stops at such an alias, "unknown anchor 'sel' referenced": an anchor of
    // another document, or one set after the alias, is not there.
    if (found === undefined) throw new Error(`unknown anchor '${alias.source}' referenced (an anchor must be set earlier in the same document)`);
    return found;
  }

  private start(node: YamlNode): number {
    return this.offset + (node.range?.[0] ?? 0);
  }

  private span(start: number, end: number): Span {
    return { start: this.offset + start, end: this.offset + end };
  }
}

/**
 * A scalar's value as go-yaml v2 decodes it (decode.go, `scalar`): a plain scalar without a tag
 * resolves by the YAML 1.1 table (scalars.ts); a quoted or block scalar is a string; an explicit
 * core tag resolves the text as that type and fails when it is not one (`!!int "80"` is 80,
 * `!!int abc` an error); any other tag leaves the text a string.
 */
export function scalarValue(node: Scalar): ScalarValue {
  const source = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  const tag = node.tag;
  if (!tag || tag === '!') {
    if (tag === '!' || (node.type !== Scalar.PLAIN && node.type !== undefined)) return source;
    return resolvePlain(source);
  }
  const wanted = CORE_TAGS.get(tag);
  // `!!str`, `!!timestamp` (decoded into an interface{} as its text) and other tags: the text.
  // `!!binary` keeps its base64 text (go-yaml decodes it; no kept field is binary).
  return wanted === undefined ? source : resolveTagged(source, wanted);
}

/** The text of a mapping key: a plain key reads as go-yaml types it, any other as its string. */
function keyTextOf(key: Scalar): string {
  const source = typeof key.source === 'string' ? key.source : String(key.value ?? '');
  if (!key.tag && (key.type === Scalar.PLAIN || key.type === undefined)) return plainKeyText(source);
  const value = scalarValue(key);
  return value === null ? '' : String(value);
}

/** A plain `<<` key (or one tagged `!!merge`), as go-yaml's `isMerge` tells it. */
function isMergeKey(key: Scalar): boolean {
  const source = typeof key.source === 'string' ? key.source : key.value;
  if (source !== MERGE_KEY) return false;
  return key.tag ? key.tag === MERGE_TAG : key.type === Scalar.PLAIN || key.type === undefined;
}
