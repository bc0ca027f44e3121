/**
 * Reads a kustomization file (kind Kustomization or Component) into the fields the builder uses,
 * each with the span of its value. Field names and meanings:
 * https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import type { Span } from '../types';
import { basenameId } from './paths';
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
  readonly span: Span;
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
  readonly unsupported: readonly Located[];
  /** Problems reading the file. */
  readonly problems: readonly { readonly span: Span; readonly message: string }[];
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

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** The file names kustomize looks for in a folder, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a file id names a kustomization file (kustomization.yaml, kustomization.yml or Kustomization). */
export function isKustomizationFile(fileId: string): boolean {
  return KUSTOMIZATION_NAMES.has(basenameId(fileId));
}

interface Reader {
  readonly text: string;
  readonly document: Document.Parsed;
  readonly fileId: string;
}

function spanOf(reader: Reader, node: YamlNode | null | undefined): Span {
  const range = node?.range ?? [0, 0, 0];
  return { start: range[0], end: range[1], fileId: reader.fileId };
}

function entries(node: unknown): [string, YamlNode | null, YamlNode | null][] {
  if (!isMap(node)) return [];
  const out: [string, YamlNode | null, YamlNode | null][] = [];
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = pair.key as YamlNode | null;
    if (!key || !isScalar(key)) continue;
    out.push([String(key.value), key, pair.value as YamlNode | null]);
  }
  return out;
}

function field(node: unknown, name: string): YamlNode | null | undefined {
  return entries(node).find(([key]) => key === name)?.[2];
}

function text(node: YamlNode | null | undefined): string | undefined {
  if (!node || !isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

function located(reader: Reader, node: YamlNode | null | undefined): Located | undefined {
  const value = text(node);
  return value === undefined ? undefined : { value, span: spanOf(reader, node) };
}

function strings(reader: Reader, node: YamlNode | null | undefined): Located[] {
  if (!isSeq(node)) return [];
  const out: Located[] = [];
  for (const item of node.items) {
    const value = located(reader, item as YamlNode);
    if (value) out.push(value);
  }
  return out;
}

function labelPairs(reader: Reader, node: YamlNode | null | undefined): LabelPair[] {
  return entries(node).map(([key, keyNode, valueNode]) => {
    const keySpan = spanOf(reader, keyNode);
    const valueSpan = valueNode ? spanOf(reader, valueNode) : keySpan;
    return { key, value: text(valueNode) ?? '', keySpan, span: { start: keySpan.start, end: Math.max(keySpan.end, valueSpan.end), fileId: reader.fileId } };
  });
}

function selector(node: YamlNode | null | undefined): Selector | undefined {
  if (!isMap(node)) return undefined;
  const get = (name: string): string | undefined => text(field(node, name));
  return {
    group: get('group'),
    version: get('version'),
    kind: get('kind'),
    name: get('name'),
    namespace: get('namespace'),
    labelSelector: get('labelSelector'),
    annotationSelector: get('annotationSelector'),
  };
}

/**
 * The text of a scalar holding an inline patch and where its characters are in the file. A literal
 * block scalar (`|`) maps line by line exactly; a one-line quoted or plain scalar maps by a shift;
 * any other style maps every offset to the start of the scalar.
 */
function inlineText(reader: Reader, node: YamlNode): InlineText | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const value = node.value;
  const span = spanOf(reader, node);
  const source = reader.text.slice(span.start, span.end);
  const scalar = node as Scalar;
  if (scalar.type === 'BLOCK_LITERAL') {
    const map = literalMap(reader.text, span.start, span.end, value);
    if (map) return { text: value, map, span };
  } else if (!source.includes('\n')) {
    const quoted = scalar.type === 'QUOTE_SINGLE' || scalar.type === 'QUOTE_DOUBLE';
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

function patchEntry(reader: Reader, node: YamlNode | null, allowPlainString: boolean): PatchEntry | undefined {
  if (!node) return undefined;
  const span = spanOf(reader, node);
  if (isScalar(node)) {
    // patchesStrategicMerge: a file path, or an inline patch when no such file exists (decided by the builder).
    if (!allowPlainString) return undefined;
    const path = located(reader, node);
    const inline = inlineText(reader, node);
    return path ? { path, inline, span } : undefined;
  }
  if (!isMap(node)) return undefined;
  const path = located(reader, field(node, 'path'));
  const patchNode = field(node, 'patch');
  const inline = patchNode ? inlineText(reader, patchNode) : undefined;
  return { path, inline, target: selector(field(node, 'target')), span };
}

function fieldSpecs(node: YamlNode | null | undefined): FieldSpec[] {
  if (!isSeq(node)) return [];
  const out: FieldSpec[] = [];
  for (const item of node.items) {
    const path = text(field(item, 'path'));
    if (path === undefined) continue;
    out.push({ path, group: text(field(item, 'group')), version: text(field(item, 'version')), kind: text(field(item, 'kind')), create: text(field(item, 'create')) === 'true' });
  }
  return out;
}

function flag(node: YamlNode | null | undefined): boolean {
  return isScalar(node) && node.value === true;
}

/** Reads a kustomization file. Never throws: problems are listed in `problems`. */
export function readKustomization(fileId: string, source: string): Kustomization {
  const problems: { span: Span; message: string }[] = [];
  let document: Document.Parsed;
  try {
    document = parseDocument(source, { prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    problems.push({ span: { start: 0, end: 0, fileId }, message: `Invalid kustomization: ${error instanceof Error ? error.message : String(error)}` });
    document = parseDocument('');
  }
  const error = document.errors[0];
  if (error) problems.push({ span: { start: error.pos[0], end: error.pos[1], fileId }, message: `Invalid kustomization: ${error.message.split('\n')[0]}` });
  const reader: Reader = { text: source, document, fileId };
  const root = error ? undefined : document.contents;
  if (root !== undefined && root !== null && !isMap(root)) problems.push({ span: spanOf(reader, root as YamlNode), message: 'Invalid kustomization: the file is not a mapping.' });
  const get = (name: string): YamlNode | null | undefined => field(root, name);
  const kind = text(get('kind')) === 'Component' ? 'Component' : 'Kustomization';
  const unsupported: Located[] = [];
  for (const [key, keyNode] of entries(root)) if (UNSUPPORTED.includes(key)) unsupported.push({ value: key, span: spanOf(reader, keyNode) });
  const labels: LabelsEntry[] = [];
  const labelsNode = get('labels');
  if (isSeq(labelsNode)) {
    for (const item of labelsNode.items) {
      labels.push({
        pairs: labelPairs(reader, field(item, 'pairs')),
        includeSelectors: flag(field(item, 'includeSelectors')),
        includeTemplates: flag(field(item, 'includeTemplates')),
        fields: fieldSpecs(field(item, 'fields')),
      });
    }
  }
  const patchList = (name: string, plain: boolean): PatchEntry[] => {
    const node = get(name);
    if (!isSeq(node)) return [];
    return node.items.map((item) => patchEntry(reader, item as YamlNode, plain)).filter((p): p is PatchEntry => p !== undefined);
  };
  const replicas: ReplicaEntry[] = [];
  const replicasNode = get('replicas');
  if (isSeq(replicasNode)) {
    for (const item of replicasNode.items) {
      const name = text(field(item, 'name'));
      const count = Number(text(field(item, 'count')));
      if (name !== undefined && Number.isInteger(count)) replicas.push({ name, count, span: spanOf(reader, field(item, 'count')) });
    }
  }
  return {
    kind,
    resources: [...strings(reader, get('resources')), ...strings(reader, get('bases'))],
    components: strings(reader, get('components')),
    namespace: located(reader, get('namespace')),
    namePrefix: located(reader, get('namePrefix')),
    nameSuffix: located(reader, get('nameSuffix')),
    commonLabels: labelPairs(reader, get('commonLabels')),
    labels,
    patches: patchList('patches', false),
    patchesStrategicMerge: patchList('patchesStrategicMerge', true),
    patchesJson6902: patchList('patchesJson6902', false),
    replicas,
    unsupported,
    problems,
  };
}

/** What a kustomization file references, as written (relative paths), without building anything. */
export function kustomizationReferences(fileId: string, source: string): { resources: string[]; components: string[]; patches: string[] } {
  const k = readKustomization(fileId, source);
  const patchPaths = [...k.patches, ...k.patchesStrategicMerge, ...k.patchesJson6902].map((p) => p.path?.value).filter((p): p is string => p !== undefined);
  return { resources: k.resources.map((r) => r.value), components: k.components.map((c) => c.value), patches: patchPaths };
}
