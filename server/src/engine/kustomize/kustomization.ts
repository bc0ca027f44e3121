/**
 * Reads a kustomization file (kind Kustomization or Component) into the fields the builder uses,
 * each with the span of its value. Field names and meanings:
 * https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import { extractBlockDocument } from '../syntax/blockExtractor';
import { resolvePlain } from '../syntax/scalars';
import { scalarValue } from '../syntax/yamlReader';
import { editDistance } from '../analysis/editDistance';
import { hasLoneCarriageReturn, splitDocuments } from '../syntax/documents';
import { ANY_SCHEMA, LEAF, type Schema } from '../syntax/schema';
import type { PKey, PNode, ScalarValue } from '../syntax/tree';
import type { Span } from '../types';
import type { OffsetMap } from './tree';

/** A string value of a kustomization with its span in the kustomization file. */
export interface Located {
  readonly value: string;
  readonly span: Span;
}

export interface LabelPair {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  /** From the key to the end of the value: where a label added by this entry points. */
  readonly span: Span;
}

/** A field spec of a `labels` entry or of kustomize's built-in tables: a path and the kinds it applies to. */
export interface FieldSpec {
  readonly path: string;
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly create?: boolean;
}

export interface LabelsEntry {
  readonly pairs: readonly LabelPair[];
  readonly includeSelectors: boolean;
  readonly includeTemplates: boolean;
  readonly fields: readonly FieldSpec[];
}

export interface Selector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  /** The span of `name` in the kustomization file. */
  readonly nameSpan?: Span;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

/** The text of an inline patch, with the map from its offsets to offsets in the kustomization file. */
export interface InlineText {
  readonly text: string;
  readonly map: OffsetMap;
  readonly span: Span;
}

export interface PatchEntry {
  readonly path?: Located;
  readonly inline?: InlineText;
  readonly target?: Selector;
  readonly span: Span;
}

export interface ReplicaEntry {
  readonly name: string;
  readonly count: number;
  /** The span of `count`. */
  readonly span: Span;
  /** The span of `name`. */
  readonly nameSpan: Span;
}

/** A field of a kustomization the builder does not apply (`Kustomization.unsupported`). */
export interface UnsupportedField extends Located {
  /** It holds nothing (no value, an empty list or mapping): kustomize does nothing with it. */
  readonly empty: boolean;
}

/**
 * A `replacements` entry as far as it tells which fields the build changes
 * (kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/): an entry that
 * names a file of replacements (`path`, not read here), or one replacement's targets.
 */
export interface ReplacementEntry {
  readonly span: Span;
  readonly path?: string;
  readonly targets: readonly ReplacementTarget[];
}

/** A replacement target: the kind and name its `select` names (undefined: any), and its `fieldPaths`. */
export interface ReplacementTarget {
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly fieldPaths: readonly string[];
}

export interface Kustomization {
  readonly kind: 'Kustomization' | 'Component';
  readonly resources: readonly Located[];
  readonly components: readonly Located[];
  readonly namespace?: Located;
  readonly namePrefix?: Located;
  readonly nameSuffix?: Located;
  readonly commonLabels: readonly LabelPair[];
  readonly labels: readonly LabelsEntry[];
  readonly patches: readonly PatchEntry[];
  readonly patchesStrategicMerge: readonly PatchEntry[];
  readonly patchesJson6902: readonly PatchEntry[];
  readonly replicas: readonly ReplicaEntry[];
  /** Fields present that the builder does not apply, each with the span of its key. */
  readonly unsupported: readonly UnsupportedField[];
  /** The `replacements` entries (the builder does not apply them; `unsupported` lists the field). */
  readonly replacements: readonly ReplacementEntry[];
  /** Problems reading the file. */
  readonly problems: readonly { readonly span: Span; readonly message: string }[];
  /**
   * Why kustomize refuses the file, when it does: a field whose YAML 1.1 type is not the type of
   * its Go field (`namespace: 0123` is a number; `count: "3"` a string). kustomize decodes a
   * kustomization with sigs.k8s.io/yaml into the `Kustomization` struct of api/types/kustomization.go
   * and stops at the first such field ("invalid Kustomization: json: cannot unmarshal number into
   * Go struct field Kustomization.namespace of type string"), so no build of it exists.
   */
  readonly refusal: { readonly span: Span; readonly reason: string } | undefined;
}

/** Fields that change objects in ways the builder does not reproduce: a note, never a guess. */
const UNSUPPORTED = [
  'configMapGenerator',
  'secretGenerator',
  'generators',
  'transformers',
  'validators',
  'replacements',
  'vars',
  'helmCharts',
  'helmChartInflationGenerator',
  'helmGlobals',
  'configurations',
  'crds',
  'openapi',
];

/** The file names kustomize looks for in a folder, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const KUSTOMIZATION_NAMES: ReadonlySet<string> = new Set(KUSTOMIZATION_FILE_NAMES);

/** Whether a file id names a kustomization file (kustomization.yaml, kustomization.yml or Kustomization). */
export function isKustomizationFile(fileId: string): boolean {
  // The last segment of a path or file URI (no query or fragment in a file id). Every file read
  // asks several times: most ids end in `.yaml` after a name that is not `kustomization`, told
  // apart by their length before the last slash and one character, without a slice.
  const last = fileId.lastIndexOf('/') + 1;
  const length = fileId.length - last;
  if (length !== 13 && length !== 17 && length !== 18) return false;
  const first = fileId.charCodeAt(last);
  if (first !== 0x6b && first !== 0x4b) return false; // k, K
  return KUSTOMIZATION_NAMES.has(fileId.slice(last));
}

/**
 * What the reader needs of a parsed node. Two parsers implement it: the block extractor's pruned
 * tree (`prunedView`, the fast path for the plain kustomizations most repositories hold) and the
 * `yaml` library's document (`yamlView`, every other kustomization). The fields are read once, by
 * `readFields`, over either.
 */
interface NodeView<N> {
  /** The entries of a mapping with a scalar key, in order: the key's text, its span, the value. */
  entries(node: N | undefined): readonly (readonly [string, Span, N | undefined])[];
  /** Every scalar key of a mapping with its span, in order (`entries` may leave unread keys out). */
  keys(node: N | undefined): readonly (readonly [string, Span])[];
  /** The items of a sequence, or undefined when the node is not one. */
  items(node: N | undefined): readonly (N | undefined)[] | undefined;
  isMap(node: N | undefined): boolean;
  /** A scalar's value as text; undefined for a null or a collection. */
  text(node: N | undefined): string | undefined;
  /** What a node holds as sigs.k8s.io/yaml decodes it (YAML 1.1); undefined for no node. */
  typeOf(node: N | undefined): DecodedType | undefined;
  isTrue(node: N | undefined): boolean;
  /** A scalar's span; a collection's runs from its first key or item to the end of its last value. */
  span(node: N | undefined): Span;
  /** The text of a scalar holding an inline patch (`inlineText`). */
  inline(node: N): InlineText | undefined;
}

/** The type of a decoded YAML node (a plain scalar typed as YAML 1.1). */
type DecodedType = 'string' | 'integer' | 'float' | 'boolean' | 'null' | 'map' | 'list' | 'undecodable';

/** The type of a scalar's value as read (`resolvePlain` for a plain one). */
function typeOfValue(value: ScalarValue): DecodedType {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

/** What a Go field of the `Kustomization` struct takes. */
type GoType = 'string' | 'int' | 'bool' | 'string map' | 'list' | 'struct';

/** The decoded types each Go type takes (a null leaves the field empty). */
const ACCEPTS: Readonly<Record<GoType, readonly DecodedType[]>> = {
  string: ['string', 'null'],
  int: ['integer', 'null'],
  bool: ['boolean', 'null'],
  'string map': ['map', 'null'],
  list: ['list', 'null'],
  struct: ['map', 'null'],
};

const A_VALUE: Readonly<Record<DecodedType, string>> = {
  string: 'a string',
  integer: 'a number',
  float: 'a number',
  boolean: 'a boolean',
  null: 'null',
  map: 'a mapping',
  list: 'a list',
  undecodable: 'a value its tag cannot decode',
};

const EXPECTED: Readonly<Record<GoType, string>> = {
  string: 'a string',
  int: 'an integer',
  bool: 'true or false',
  'string map': 'a mapping of strings',
  list: 'a list',
  struct: 'a mapping of fields',
};

/**
 * The fields of the `Kustomization` struct of kustomize v5.7.1 (api/types/kustomization.go, with
 * `apiVersion` and `kind`), lowercased: kustomize decodes with `DisallowUnknownFields`, and Go's
 * JSON decoder matches field names without regard to case.
 */
const KUSTOMIZATION_FIELDS: ReadonlySet<string> = new Set(
  [
    'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
    'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
    'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator',
    'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations', 'generators',
    'transformers', 'validators', 'buildMetadata',
  ].map((name) => name.toLowerCase()),
);

/*
 * The JSON names of the structs kustomize v5.7.1 decodes inside a kustomization
 * (api/types: Label, FieldSpec with its Gvk, Replica, Patch, Selector with its ResId, Image).
 */
const LABEL_FIELDS: readonly string[] = ['pairs', 'includeSelectors', 'includeTemplates', 'fields'];
const FIELD_SPEC_FIELDS: readonly string[] = ['group', 'version', 'kind', 'path', 'create'];
const REPLICA_FIELDS: readonly string[] = ['name', 'count'];
const PATCH_FIELDS: readonly string[] = ['path', 'patch', 'target', 'options'];
const SELECTOR_FIELDS: readonly string[] = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'];
const IMAGE_FIELDS: readonly string[] = ['name', 'newName', 'tagSuffix', 'newTag', 'digest'];

/** The written spelling of the field of `names` closest to `key` (at most two edits away), for a message. */
function nearestName(key: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase(), 2);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The written spelling of the known field closest to `key` (at most two edits away), for a message. */
function nearestField(key: string): string | undefined {
  return nearestName(key, KUSTOMIZATION_FIELD_NAMES);
}

const KUSTOMIZATION_FIELD_NAMES: readonly string[] = ['namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'commonAnnotations', 'labels', 'resources', 'components', 'bases', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'replicas', 'images', 'replacements', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'helmCharts'];

/**
 * Where a value sits in a kustomization: its keys as written and its item indices, from the root.
 * kustomize turns the YAML into JSON with sigs.k8s.io/yaml, whose mappings come out with their keys
 * sorted (Go's `json.Marshal` of a map), and Go's JSON decoder reports the first field it cannot
 * take in that order: keys compare as bytes, items by index (`comparePaths`).
 */
type FieldPath = readonly (string | number)[];

/** Orders two paths as the JSON kustomize decodes lists their values (see `FieldPath`). */
function comparePaths(left: FieldPath, right: FieldPath): number {
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const a = left[index]!;
    const b = right[index]!;
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    // Keys compare as UTF-8 bytes in Go; UTF-16 code units order them the same outside surrogates.
    return a < b ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * The field of a kustomization that kustomize names when it refuses the file: the first, in the
 * order of the JSON it decodes (`FieldPath`), that it does not know or whose decoded type its Go
 * field does not take (among the fields the builder reads); undefined when kustomize accepts them
 * all. Checked against `kubectl kustomize` (test/unit/kustomizeRefusal.kubectl.test.ts).
 */
function refusalOf<N>(view: NodeView<N>, root: N | undefined): { span: Span; reason: string } | undefined {
  const misfits: { span: Span; reason: string; path: FieldPath }[] = [];
  const check = (node: N | undefined, want: GoType, name: string, path: FieldPath): boolean => {
    const type = view.typeOf(node);
    if (type === undefined || ACCEPTS[want].includes(type)) return true;
    const hint = want === 'string' && (type === 'integer' || type === 'float' || type === 'boolean') ? ' (quote it to keep it as text)' : '';
    misfits.push({ span: view.span(node), reason: `${name} is ${A_VALUE[type]} where kustomize takes ${EXPECTED[want]}${hint}`, path });
    return false;
  };
  const get = (node: N | undefined, name: string): N | undefined => field(view, node, name);
  const stringMap = (node: N | undefined, name: string, path: FieldPath): void => {
    if (!check(node, 'string map', name, path)) return;
    for (const [key, , value] of view.entries(node)) check(value, 'string', `the value of ${name}.${key}`, [...path, key]);
  };
  const stringList = (node: N | undefined, name: string, path: FieldPath): void => {
    if (!check(node, 'list', name, path)) return;
    for (const [index, item] of (view.items(node) ?? []).entries()) check(item, 'string', `an item of ${name}`, [...path, index]);
  };
  // kustomize refuses a kustomization whose fields all decode to nothing ("kustomization.yaml is
  // empty"): apiVersion and kind aside, only nulls and empty strings (an empty list is something).
  // (A key the reader keeps no value of, such as `metadata` in the block extractor's tree, counts as set.)
  const values = new Map(view.entries(root).map(([key, , value]) => [key, value] as const));
  const nothing = (key: string): boolean => {
    if (key === 'apiVersion' || key === 'kind') return true;
    if (!values.has(key)) return false;
    const value = values.get(key);
    return value === undefined || view.typeOf(value) === 'null' || (view.typeOf(value) === 'string' && view.text(value) === '');
  };
  if (view.keys(root).every(([key]) => nothing(key))) {
    return { span: view.span(root), reason: 'it sets no field, so kustomize finds it empty' };
  }
  for (const [key, keySpan] of view.keys(root)) {
    if (KUSTOMIZATION_FIELDS.has(key.toLowerCase())) continue;
    const meant = nearestField(key);
    misfits.push({ span: keySpan, reason: `${key} is no field of a kustomization${meant ? ` (${meant}?)` : ''}`, path: [key] });
  }
  for (const name of ['namespace', 'namePrefix', 'nameSuffix']) check(get(root, name), 'string', name, [name]);
  for (const name of ['resources', 'bases', 'components']) stringList(get(root, name), name, [name]);
  stringMap(get(root, 'commonLabels'), 'commonLabels', ['commonLabels']);
  for (const name of ['kind', 'apiVersion']) check(get(root, name), 'string', name, [name]);
  /** A list of structs, each checked by `fields` (given its path) when it is one. */
  const structs = (node: N | undefined, name: string, path: FieldPath, fields: (item: N, path: FieldPath) => void): void => {
    if (!check(node, 'list', name, path)) return;
    for (const [index, item] of (view.items(node) ?? []).entries()) {
      if (check(item, 'struct', `an item of ${name}`, [...path, index]) && item !== undefined) fields(item, [...path, index]);
    }
  };
  /** A FieldSpec or a patch target: a group, version, kind and more, all strings. */
  const stringFields = (node: N | undefined, name: string, path: FieldPath, keys: readonly string[]): void => {
    if (!check(node, 'struct', name, path)) return;
    for (const key of keys) check(get(node, key), 'string', `${name}.${key}`, [...path, key]);
  };
  /**
   * The keys of a struct that name none of its fields (`fields`, Go's JSON names): kustomize
   * decodes with DisallowUnknownFields, at every level ("json: unknown field").
   */
  const unknownKeys = (node: N, path: FieldPath, fields: readonly string[], what: string): void => {
    for (const [key, keySpan] of view.keys(node)) {
      if (fields.some((name) => namesField(key, name))) continue;
      const meant = nearestName(key, fields);
      misfits.push({ span: keySpan, reason: `${key} is no field of ${what}${meant ? ` (${meant}?)` : ''}`, path: [...path, key] });
    }
  };
  structs(get(root, 'labels'), 'labels', ['labels'], (item, path) => {
    unknownKeys(item, path, LABEL_FIELDS, 'a labels entry');
    stringMap(get(item, 'pairs'), 'labels.pairs', [...path, 'pairs']);
    check(get(item, 'includeSelectors'), 'bool', 'labels.includeSelectors', [...path, 'includeSelectors']);
    check(get(item, 'includeTemplates'), 'bool', 'labels.includeTemplates', [...path, 'includeTemplates']);
    structs(get(item, 'fields'), 'labels.fields', [...path, 'fields'], (spec, specPath) => {
      unknownKeys(spec, specPath, FIELD_SPEC_FIELDS, 'a field spec');
      stringFields(spec, 'labels.fields', specPath, ['path', 'group', 'version', 'kind']);
      check(get(spec, 'create'), 'bool', 'labels.fields.create', [...specPath, 'create']);
    });
  });
  structs(get(root, 'replicas'), 'replicas', ['replicas'], (item, path) => {
    unknownKeys(item, path, REPLICA_FIELDS, 'a replicas entry');
    check(get(item, 'name'), 'string', 'replicas.name', [...path, 'name']);
    check(get(item, 'count'), 'int', 'replicas.count', [...path, 'count']);
  });
  for (const name of ['patches', 'patchesJson6902']) {
    structs(get(root, name), name, [name], (item, path) => {
      unknownKeys(item, path, PATCH_FIELDS, 'a patch');
      const target = get(item, 'target');
      if (target !== undefined && view.typeOf(target) === 'map') unknownKeys(target, [...path, 'target'], SELECTOR_FIELDS, 'a patch target');
      check(get(item, 'path'), 'string', `${name}.path`, [...path, 'path']);
      check(get(item, 'patch'), 'string', `${name}.patch`, [...path, 'patch']);
      stringFields(get(item, 'target'), `${name}.target`, [...path, 'target'], ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']);
    });
  }
  stringList(get(root, 'patchesStrategicMerge'), 'patchesStrategicMerge', ['patchesStrategicMerge']);
  stringMap(get(root, 'commonAnnotations'), 'commonAnnotations', ['commonAnnotations']);
  // An image's new tag written as a number (`newTag: 1.20`) is a common way to be refused.
  structs(get(root, 'images'), 'images', ['images'], (item, path) => {
    unknownKeys(item, path, IMAGE_FIELDS, 'an images entry');
    for (const key of ['name', 'newName', 'newTag', 'digest']) check(get(item, key), 'string', `images.${key}`, [...path, key]);
  });
  misfits.sort((left, right) => comparePaths(left.path, right.path) || left.span.start - right.span.start);
  const first = misfits[0];
  return first && { span: first.span, reason: first.reason };
}

/**
 * The value of the field `name` of a kustomization struct. kustomize decodes a kustomization with
 * Go's JSON decoder, after sigs.k8s.io/yaml turned it into JSON with each mapping's keys sorted;
 * the decoder matches a key to a field without regard to case (encoding/json, `Unmarshal`), so
 * `Resources:` and `Path:` are `resources` and `path`, and of several keys that name one field
 * the last in sorted order is decoded last and wins: `resources` over `Resources`, `nameprefix`
 * over `namePrefix` (checked with kubectl v1.34, kustomize v5.7.1).
 */
function field<N>(view: NodeView<N>, node: N | undefined, name: string): N | undefined {
  let chosen: { readonly key: string; readonly value: N | undefined } | undefined;
  for (const [key, , value] of view.entries(node)) {
    if (namesField(key, name) && (chosen === undefined || key > chosen.key)) chosen = { key, value };
  }
  return chosen?.value;
}

/** Whether Go's JSON decoder takes the key `key` for the struct field `name` (see `field`). */
function namesField(key: string, name: string): boolean {
  return key === name || (key.length === name.length && key.toLowerCase() === name.toLowerCase());
}

function located<N>(view: NodeView<N>, node: N | undefined): Located | undefined {
  const value = view.text(node);
  return value === undefined ? undefined : { value, span: view.span(node) };
}

function strings<N>(view: NodeView<N>, node: N | undefined): Located[] {
  const out: Located[] = [];
  for (const item of view.items(node) ?? []) {
    const value = located(view, item);
    if (value) out.push(value);
  }
  return out;
}

function labelPairs<N>(view: NodeView<N>, node: N | undefined, fileId: string): LabelPair[] {
  return view.entries(node).map(([key, keySpan, valueNode]) => {
    const valueSpan = valueNode ? view.span(valueNode) : keySpan;
    return { key, value: view.text(valueNode) ?? '', keySpan, span: { start: keySpan.start, end: Math.max(keySpan.end, valueSpan.end), fileId } };
  });
}

function selector<N>(view: NodeView<N>, node: N | undefined): Selector | undefined {
  if (!view.isMap(node)) return undefined;
  const get = (name: string): string | undefined => view.text(field(view, node, name));
  const nameNode = field(view, node, 'name');
  return {
    group: get('group'),
    version: get('version'),
    kind: get('kind'),
    name: get('name'),
    nameSpan: nameNode === undefined ? undefined : view.span(nameNode),
    namespace: get('namespace'),
    labelSelector: get('labelSelector'),
    annotationSelector: get('annotationSelector'),
  };
}

/** An inline patch written on one line, plain or quoted: its characters map by a shift; else every offset maps to the scalar's start. */
function oneLineText(file: string, value: string, span: Span): InlineText {
  const source = file.slice(span.start, span.end);
  if (!source.includes('\n')) {
    const first = source.charCodeAt(0);
    const quoted = first === 0x22 || first === 0x27;
    const inner = quoted ? source.slice(1, -1) : source;
    if (inner === value) {
      const base = span.start + (quoted ? 1 : 0);
      return { text: value, map: (offset) => base + offset, span };
    }
  }
  return { text: value, map: () => span.start, span };
}

/** The offset map of a literal block scalar whose header starts at `start`: line i of the value starts at the file's content line i plus the indentation. */
function literalMap(file: string, start: number, end: number, value: string): OffsetMap | undefined {
  const headerEnd = file.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return undefined;
  const lineStarts: number[] = [];
  let indent = -1;
  for (let lineStart = headerEnd + 1; lineStart < end; ) {
    const newline = file.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline > end ? end : newline;
    const line = file.slice(lineStart, lineEnd);
    if (indent < 0 && line.trim() !== '') indent = line.length - line.trimStart().length;
    lineStarts.push(lineStart);
    lineStart = lineEnd + 1;
  }
  if (indent < 0) return undefined;
  const valueLineStarts: number[] = [0];
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 10) valueLineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = valueLineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (valueLineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    const fileLine = lineStarts[low];
    if (fileLine === undefined) return end;
    return Math.min(end, fileLine + indent + (offset - valueLineStarts[low]!));
  };
}

function patchEntry<N>(view: NodeView<N>, node: N | undefined, allowPlainString: boolean): PatchEntry | undefined {
  if (node === undefined) return undefined;
  const span = view.span(node);
  if (!view.isMap(node)) {
    // patchesStrategicMerge: a file path, or an inline patch when no such file exists (decided by the builder).
    if (!allowPlainString) return undefined;
    const path = located(view, node);
    return path ? { path, inline: view.inline(node), span } : undefined;
  }
  const path = located(view, field(view, node, 'path'));
  const patchNode = field(view, node, 'patch');
  const inline = patchNode !== undefined ? view.inline(patchNode) : undefined;
  return { path, inline, target: selector(view, field(view, node, 'target')), span };
}

function fieldSpecs<N>(view: NodeView<N>, node: N | undefined): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const item of view.items(node) ?? []) {
    const path = view.text(field(view, item, 'path'));
    if (path === undefined) continue;
    const text = (name: string): string | undefined => view.text(field(view, item, name));
    out.push({ path, group: text('group'), version: text('version'), kind: text('kind'), create: view.isTrue(field(view, item, 'create')) });
  }
  return out;
}

/** The entries of `replacements` (`ReplacementEntry`). */
function replacementEntries<N>(view: NodeView<N>, node: N | undefined): ReplacementEntry[] {
  const out: ReplacementEntry[] = [];
  for (const item of view.items(node) ?? []) {
    const path = view.text(field(view, item, 'path'));
    const targets: ReplacementTarget[] = [];
    for (const target of view.items(field(view, item, 'targets')) ?? []) {
      const select = field(view, target, 'select');
      targets.push({
        kind: view.text(field(view, select, 'kind')),
        name: view.text(field(view, select, 'name')),
        fieldPaths: strings(view, field(view, target, 'fieldPaths')).map((entry) => entry.value),
      });
    }
    out.push({ span: view.span(item), ...(path !== undefined ? { path } : {}), targets });
  }
  return out;
}

/** The fields of a kustomization whose root mapping is `root`. */
function readFields<N>(view: NodeView<N>, root: N | undefined, fileId: string, problems: { span: Span; message: string }[], refusal?: Kustomization['refusal']): Kustomization {
  const get = (name: string): N | undefined => field(view, root, name);
  const kind = view.text(get('kind')) === 'Component' ? 'Component' : 'Kustomization';
  const unsupported: UnsupportedField[] = [];
  const values = new Map<string, N | undefined>();
  for (const [key, , value] of view.entries(root)) values.set(key, value);
  for (const [key, keySpan] of view.keys(root)) {
    if (!UNSUPPORTED.includes(key)) continue;
    const value = values.get(key);
    const empty = value === undefined || view.items(value)?.length === 0 || (view.isMap(value) && view.keys(value).length === 0);
    unsupported.push({ value: key, span: keySpan, empty });
  }
  const labels: LabelsEntry[] = [];
  for (const item of view.items(get('labels')) ?? []) {
    labels.push({
      pairs: labelPairs(view, field(view, item, 'pairs'), fileId),
      includeSelectors: view.isTrue(field(view, item, 'includeSelectors')),
      includeTemplates: view.isTrue(field(view, item, 'includeTemplates')),
      fields: fieldSpecs(view, field(view, item, 'fields')),
    });
  }
  const patchList = (name: string, plain: boolean): PatchEntry[] =>
    (view.items(get(name)) ?? []).map((item) => patchEntry(view, item, plain)).filter((entry): entry is PatchEntry => entry !== undefined);
  const replicas: ReplicaEntry[] = [];
  for (const item of view.items(get('replicas')) ?? []) {
    const nameNode = field(view, item, 'name');
    const name = view.text(nameNode);
    const countNode = field(view, item, 'count');
    const count = Number(view.text(countNode));
    if (name !== undefined && Number.isInteger(count)) replicas.push({ name, count, span: view.span(countNode), nameSpan: view.span(nameNode) });
  }
  return {
    kind,
    resources: [...strings(view, get('resources')), ...strings(view, get('bases'))],
    components: strings(view, get('components')),
    namespace: located(view, get('namespace')),
    namePrefix: located(view, get('namePrefix')),
    nameSuffix: located(view, get('nameSuffix')),
    commonLabels: labelPairs(view, get('commonLabels'), fileId),
    labels,
    patches: patchList('patches', false),
    patchesStrategicMerge: patchList('patchesStrategicMerge', true),
    patchesJson6902: patchList('patchesJson6902', false),
    replicas,
    unsupported,
    replacements: replacementEntries(view, get('replacements')),
    problems,
    refusal: refusal ?? (view.isMap(root) ? refusalOf(view, root) : undefined),
  };
}

/** The `yaml` library's nodes (YAML 1.2 core schema, as kustomize's kyaml reads them). */
function yamlView(text: string, fileId: string, document: Document.Parsed): NodeView<YamlNode> {
  // `key:` with nothing after it has no value (the library gives an empty null scalar). An alias
  // (`*name`) stands for the node it names, as go-yaml decodes it (an unknown one is an error of the document).
  const written = (given: YamlNode | null): YamlNode | undefined => {
    const node = isAlias(given) ? ((given.resolve(document) as YamlNode | undefined) ?? null) : given;
    return !node || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]) ? undefined : node;
  };
  // The end of a node as the block extractor gives it (`mapSpan`, `seqSpan`): a collection ends with its
  // last value, not with the line break the library's range takes in.
  const end = (node: YamlNode): number => {
    if (isMap(node)) {
      const last = node.items[node.items.length - 1];
      if (!last) return node.range?.[1] ?? 0;
      const value = written(last.value as YamlNode | null);
      return value ? end(value) : end(last.key as YamlNode);
    }
    if (isSeq(node)) {
      const last = node.items[node.items.length - 1] as YamlNode | null | undefined;
      return last ? end(last) : (node.range?.[1] ?? 0);
    }
    return node.range?.[1] ?? 0;
  };
  // A collection starts at its first key or item, as in the block extractor (`mapSpan`, `seqSpan`): a
  // flow mapping's `{` is not part of it.
  const start = (node: YamlNode): number => {
    if (isMap(node)) {
      const first = node.items[0]?.key as YamlNode | null | undefined;
      return first ? start(first) : (node.range?.[0] ?? 0);
    }
    if (isSeq(node)) {
      const first = node.items[0] as YamlNode | null | undefined;
      return first ? start(first) : (node.range?.[0] ?? 0);
    }
    return node.range?.[0] ?? 0;
  };
  const span = (node: YamlNode | null | undefined): Span => {
    if (!node) return { start: 0, end: 0, fileId };
    return { start: start(node), end: end(node), fileId };
  };
  const view: NodeView<YamlNode> = {
    entries(node) {
      if (!isMap(node)) return [];
      // A key written twice keeps its last value, as sigs.k8s.io/yaml decodes a kustomization
      // (checked with `kubectl kustomize`): the entry stands where the last one is written.
      // A merge key (`<<: *base`, `<<: [*a, *b]`) writes the entries of the mappings it names where
      // it stands, as go-yaml v2 decodes it (decode.go `merge`; https://yaml.org/type/merge.html):
      // among several mappings the first that has a key wins, and a key written later in the
      // mapping (itself or by another merge) overrides.
      const byKey = new Map<string, readonly [string, Span, YamlNode | undefined]>();
      const put = (entry: readonly [string, Span, YamlNode | undefined]): void => {
        byKey.delete(entry[0]);
        byKey.set(entry[0], entry);
      };
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as YamlNode | null;
        if (!key || !isScalar(key)) continue;
        const value = written(pair.value as YamlNode | null);
        if (key.value === '<<' && (key as Scalar).type === 'PLAIN') {
          const sources = isSeq(value) ? value.items.map((item) => written(item as YamlNode | null)).reverse() : [value];
          for (const source of sources) for (const entry of view.entries(source)) put(entry);
          continue;
        }
        put([String(key.value), span(key), value]);
      }
      return [...byKey.values()].sort((left, right) => left[1].start - right[1].start);
    },
    keys: (node) => view.entries(node).map(([key, keySpan]) => [key, keySpan] as const),
    items: (node) => (isSeq(node) ? node.items.map((item) => written(item as YamlNode | null)) : undefined),
    isMap: (node) => isMap(node),
    text: (node) => (!node || !isScalar(node) || node.value === null ? undefined : String(node.value)),
    typeOf(node) {
      if (!node) return undefined;
      if (isMap(node)) return 'map';
      if (isSeq(node)) return 'list';
      if (!isScalar(node)) return undefined;
      // As go-yaml v2 decodes it: a tag decides (`!!str 0123` is text, `!!int "3"` a number).
      try {
        return typeOfValue(scalarValue(node as Scalar));
      } catch {
        return 'undecodable';
      }
    },
    // kustomize decodes a kustomization with sigs.k8s.io/yaml (api/types/kustomization.go): YAML 1.1,
    // where a plain `yes`, `on` or `y` is true as well.
    isTrue: (node) => isScalar(node) && (node.value === true || (typeof node.value === 'string' && (node as Scalar).type === 'PLAIN' && resolvePlain(node.value) === true)),
    span,
    inline(node) {
      if (!isScalar(node) || typeof node.value !== 'string') return undefined;
      const value = node.value;
      const where = span(node);
      if ((node as Scalar).type === 'BLOCK_LITERAL') {
        const map = literalMap(text, where.start, where.end, value);
        if (map) return { text: value, map, span: where };
        return { text: value, map: () => where.start, span: where };
      }
      return oneLineText(text, value, where);
    },
  };
  return view;
}

/**
 * The block extractor's pruned tree. Its scalars are typed as YAML 1.1 (the Kubernetes manifests'
 * reading); `plainTree` only lets through trees where that and the `yaml` library's YAML 1.2
 * agree, so both views read the same fields.
 */
function prunedView(text: string, fileId: string): NodeView<PNode> {
  const span = (node: PNode | undefined): Span => ({ start: node?.span.start ?? 0, end: node?.span.end ?? 0, fileId });
  return {
    entries: (node) => (node?.type === 'map' ? node.entries.map((entry) => [entry.key, { start: entry.keySpan.start, end: entry.keySpan.end, fileId }, entry.value] as const) : []),
    keys: (node) =>
      node?.type === 'map'
        ? [...node.entries, ...(node.skipped ?? [])].sort((left, right) => left.keySpan.start - right.keySpan.start).map((key) => [key.key, { start: key.keySpan.start, end: key.keySpan.end, fileId }] as const)
        : [],
    items: (node) => (node?.type === 'seq' ? node.items : undefined),
    isMap: (node) => node?.type === 'map',
    text: (node) => (node?.type === 'scalar' && node.value !== null ? String(node.value) : undefined),
    // The extractor types plain scalars as YAML 1.1 already.
    typeOf: (node) => (node === undefined ? undefined : node.type === 'map' ? 'map' : node.type === 'seq' ? 'list' : typeOfValue(node.value)),
    isTrue: (node) => node?.type === 'scalar' && node.value === true,
    span,
    inline: (node) => (node.type === 'scalar' && typeof node.value === 'string' ? oneLineText(text, node.value, span(node)) : undefined),
  };
}

/** The fields of a kustomization the fast path keeps; every other key is listed (`unsupported`). */
const KUSTOMIZATION_SCHEMA: Schema = {
  keys: {
    apiVersion: LEAF,
    kind: LEAF,
    resources: { items: LEAF },
    bases: { items: LEAF },
    components: { items: LEAF },
    namespace: LEAF,
    namePrefix: LEAF,
    nameSuffix: LEAF,
    commonLabels: ANY_SCHEMA,
    labels: ANY_SCHEMA,
    patches: ANY_SCHEMA,
    patchesStrategicMerge: ANY_SCHEMA,
    patchesJson6902: ANY_SCHEMA,
    replicas: ANY_SCHEMA,
    // Read for their types only (`refusalOf`): `newTag: 1.20` makes kustomize refuse the file.
    images: ANY_SCHEMA,
    commonAnnotations: ANY_SCHEMA,
    // Fields not applied: read to tell an empty one and what `replacements` target.
    ...Object.fromEntries(UNSUPPORTED.map((key) => [key, ANY_SCHEMA])),
  },
  recordSkipped: true,
};

/**
 * Whether YAML 1.1 (the extractor) and YAML 1.2 (the `yaml` library) read every key and scalar of
 * a tree alike: strings, decimal integers without a sign or leading zero, and `true`/`false` as
 * written. `yes`, `012`, `0x1F`, `~` and the like send the file to the `yaml` library.
 */
function plainTree(text: string, node: PNode | undefined): boolean {
  if (node === undefined) return true;
  switch (node.type) {
    case 'scalar': {
      const value = node.value;
      if (typeof value === 'string') return true;
      const source = text.slice(node.span.start, node.span.end);
      if (typeof value === 'number') return /^(?:0|[1-9][0-9]*)$/.test(source);
      return typeof value === 'boolean' && source === String(value);
    }
    case 'seq':
      return node.items.every((item) => plainTree(text, item));
    case 'map':
      return node.entries.every((entry) => keyAsWritten(text, entry) && plainTree(text, entry.value));
  }
}

/** A key read as its own text (a quoted key, or a plain key that no schema types). */
function keyAsWritten(text: string, entry: PKey): boolean {
  const first = text.charCodeAt(entry.keySpan.start);
  if (first === 0x22 || first === 0x27) return true;
  return text.slice(entry.keySpan.start, entry.keySpan.end) === entry.key;
}

/** A document marker (`---` or `...`) on any line but the first. */
const LATER_MARKER = /[\r\n](?:---|\.\.\.)(?:[ \t\r\n]|$)/;

/** The fields KUSTOMIZATION_SCHEMA keeps, lowercased. */
const READ_FIELDS_LOWERCASE: ReadonlySet<string> = new Set(Object.keys(KUSTOMIZATION_SCHEMA.keys ?? {}).map((key) => key.toLowerCase()));

/**
 * The fields of a plain kustomization through the block extractor, or undefined when the file needs
 * the `yaml` library: more than one document, YAML outside the extractor's block subset (block
 * scalars, anchors, multi-line scalars, duplicate keys), a root that is not a mapping, or a scalar
 * the two YAML versions read differently.
 */
export function readPlainKustomization(fileId: string, source: string): Kustomization | undefined {
  if (hasLoneCarriageReturn(source)) return undefined;
  // A byte order mark past the start, and any document marker but a `---` on the first line, are
  // the library's to read (a second marker starts a second document, which kustomize ignores).
  if (source.indexOf('\ufeff', 1) >= 0 || LATER_MARKER.test(source)) return undefined;
  // An empty range before a leading `---` is no document.
  const ranges = splitDocuments(source).filter((range) => source.slice(range.start, range.end).trim() !== '');
  const range = ranges[0];
  if (ranges.length !== 1 || range === undefined || range.markerContent) return undefined;
  const read = extractBlockDocument(source, range.start, range.end, KUSTOMIZATION_SCHEMA);
  if (!read.ok || read.root?.type !== 'map' || !plainTree(source, read.root)) return undefined;
  // A field written in another case (`Resources:`) is one kustomize reads (see `field`); the schema keeps exact names only.
  for (const key of read.root.skipped ?? []) if (!keyAsWritten(source, key) || READ_FIELDS_LOWERCASE.has(key.key.toLowerCase())) return undefined;
  return readFields(prunedView(source, fileId), read.root, fileId, []);
}

/**
 * Reads a kustomization file. Never throws: problems are listed in `problems`. A plain file is read
 * by the block extractor; any other by the `yaml` library, with the same result (a differential
 * test holds both readers to it).
 */
export function readKustomization(fileId: string, source: string): Kustomization {
  return readPlainKustomization(fileId, source) ?? readKustomizationWithYaml(fileId, source);
}

/**
 * Reads a kustomization file with the `yaml` library. Never throws: problems are listed in
 * `problems`. Only the first document counts: kustomize decodes the file with sigs.k8s.io/yaml,
 * whose go-yaml v2 `Unmarshal` reads the first document and ignores the rest (a trailing `---`,
 * or a second document, changes nothing; checked with kubectl kustomize v5.7.1).
 */
export function readKustomizationWithYaml(fileId: string, source: string): Kustomization {
  const problems: { span: Span; message: string }[] = [];
  let document: Document.Parsed;
  try {
    const documents = parseAllDocuments(source, { prettyErrors: false, uniqueKeys: false });
    document = (Array.isArray(documents) ? documents[0] : undefined) ?? parseDocument('');
  } catch (error) {
    problems.push({ span: { start: 0, end: 0, fileId }, message: `Invalid kustomization: ${error instanceof Error ? error.message : String(error)}` });
    document = parseDocument('');
  }
  const error = document.errors[0];
  if (error) problems.push({ span: { start: error.pos[0], end: error.pos[1], fileId }, message: `Invalid kustomization: ${error.message.split('\n')[0]}` });
  const view = yamlView(source, fileId, document);
  const contents = (document.contents as YamlNode | null) ?? undefined;
  // A document with nothing in it (`---` followed by another `---`) holds a null scalar, as does one
  // that is `~` or `null`: kustomize decodes a null into no field at all ("kustomization.yaml is empty").
  const empty = contents !== undefined && isScalar(contents) && contents.value === null;
  const root = error || empty ? undefined : contents;
  if (root !== undefined && !isMap(root)) problems.push({ span: view.span(root), message: 'Invalid kustomization: the file is not a mapping.' });
  // kustomize refuses an empty kustomization ("kustomization.yaml is empty") and one that is not a
  // mapping ("cannot unmarshal array into Go value of type types.Kustomization").
  const shape = error
    ? undefined
    : root === undefined
      ? { span: { start: 0, end: 0, fileId }, reason: 'the file is empty' }
      : !isMap(root)
        ? { span: view.span(root), reason: `the file is ${isSeq(root) ? 'a list' : 'a single value'}, where kustomize takes a mapping of fields` }
        : undefined;
  return readFields(view, root, fileId, problems, shape);
}

/** What a kustomization file references, as written (relative paths), without building anything. */
export function kustomizationReferences(fileId: string, source: string): { resources: string[]; components: string[]; patches: string[] } {
  const k = readKustomization(fileId, source);
  const patchPaths = [...k.patches, ...k.patchesStrategicMerge, ...k.patchesJson6902].map((p) => p.path?.value).filter((p): p is string => p !== undefined);
  return { resources: k.resources.map((r) => r.value), components: k.components.map((c) => c.value), patches: patchPaths };
}
