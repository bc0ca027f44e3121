/**
 * From a value in a document that `helm template` rendered back to the template line that wrote
 * it, so a finding on a rendered value lands on a line the user can edit.
 *
 * Helm names only the template file of each rendered document (`# Source:`), not the line. The
 * line is found by structure: the rendered value's key path (spec → selector → app,
 * spec → ports[1] → targetPort) is walked through the template's lines by indentation, skipping
 * the lines that are only template actions (`{{- if }}`, `{{- range }}`, `{{- end }}`). A value
 * that a helper or `toYaml` wrote (`{{- include "x.selectorLabels" . | nindent 4 }}`) maps to the
 * line of that action. An item of a sequence that `if` or `range` blocks write is matched by its
 * literal fields (`name: metrics`), else by position. When the path cannot be followed to the end,
 * the deepest line found is returned, or the document's first line, as not exact.
 *
 * Pure: text in, offsets out.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node as YamlNode } from 'yaml';
import { splitDocuments } from '../syntax/documents';
import { resolvePlain } from '../syntax/scalars';
import { readTemplateLines, type ActionLine, type ContentLine, type Range, type TemplateLine } from './templateLines';

export interface TemplateLocation {
  /** Offsets in the template text. */
  readonly span: Range;
  /**
   * True when `span` is on the line that wrote the value: its key or value (`via: 'key'`), or the
   * action that wrote it (`via: 'include'`). False for a fallback: the deepest enclosing key found
   * (`via: 'ancestor'`) or the first line of the template document (`via: 'document'`).
   */
  readonly exact: boolean;
  readonly via: 'key' | 'include' | 'ancestor' | 'document';
}

type Segment = string | number;

interface RenderedPath {
  readonly segments: readonly Segment[];
  /** The span is on a key rather than on a value. */
  readonly onKey: boolean;
  /** The rendered node at each segment (index i: the node that segment i leads to). */
  readonly nodes: readonly (YamlNode | undefined)[];
}

/**
 * Where a rendered document stands among the documents helm rendered from its template file: the
 * `index`-th (0-based) of `count`, in the order of helm's output.
 */
export interface RenderedPosition {
  readonly index: number;
  readonly count: number;
}

/**
 * Maps `renderedSpan` (offsets in `renderedText`, one rendered document as `RenderedDocument.text`
 * holds it) to the template file that rendered it (`templateText`). When the template holds
 * several documents: the document at the same position, when helm rendered as many documents as
 * the template holds (`position`) and its literal `kind`, if written, agrees; else the one with
 * the rendered document's literal `kind`, and then the `metadata.name` that matches the rendered
 * name (literally, or with each `{{ }}` action standing for any text), else the first whose name
 * does not rule it out.
 */
export function mapToTemplate(renderedText: string, templateText: string, renderedSpan: Range, position?: RenderedPosition): TemplateLocation {
  return templateMapper(renderedText, templateText, position).map(renderedSpan);
}

/** One rendered document read against its template once, for mapping many spans. */
export interface TemplateMapper {
  /** The template document (offsets in the template text) that rendered the document. */
  readonly document: Range;
  /** Where a rendered span came from in the template; never throws. */
  map(renderedSpan: Range): TemplateLocation;
  /**
   * The rendered value at a span in a few words, for messages: `targetPort web` for a scalar,
   * `selector app=cart` for a label pair or a map of labels; undefined for anything else.
   */
  describe(renderedSpan: Range): string | undefined;
}

/** Reads `renderedText` and `templateText` once; see `mapToTemplate`. Never throws. */
export function templateMapper(renderedText: string, templateText: string, position?: RenderedPosition): TemplateMapper {
  let rendered: ReturnType<typeof parseDocument> | undefined;
  let document: Range = { start: 0, end: templateText.length };
  let lines: readonly TemplateLine[] = [];
  try {
    rendered = parseDocument(renderedText, { uniqueKeys: false });
    document = chooseTemplateDocument(templateText, rendered.toJS({ maxAliasCount: -1 }) as unknown, position);
    lines = readTemplateLines(templateText, document.start, document.end);
  } catch {
    // The yaml library rejected the rendered text in a way its error list did not catch.
    rendered = undefined;
  }
  const first = lines.find((line): line is ContentLine => line.type === 'content');
  // A document an action writes whole (`{{ include "web.service" . }}`) has no content line: its first writing action stands for it.
  const writer = first ? undefined : lines.find((line): line is ActionLine => line.type === 'action' && line.writes);
  const documentLocation: TemplateLocation = {
    span: first ? first.line : writer ? writer.actions : { start: document.start, end: document.start },
    exact: false,
    via: 'document',
  };
  const parsed = rendered !== undefined && rendered.errors.length === 0 ? rendered : undefined;
  return {
    document,
    map(renderedSpan) {
      if (!parsed || !first) return documentLocation;
      try {
        const path = renderedPathAt(parsed.contents, renderedSpan.start);
        if (path.segments.length === 0) return documentLocation;
        return walk(lines, path, (index, line) => literalFlow(renderedText, renderedSpan, path.nodes[index], line)) ?? documentLocation;
      } catch {
        return documentLocation;
      }
    },
    describe(renderedSpan) {
      if (!parsed) return undefined;
      try {
        return describeValue(renderedPathAt(parsed.contents, renderedSpan.start));
      } catch {
        return undefined;
      }
    },
  };
}

/** Keys whose value is a map of labels: a pair reads `key=value`. */
const LABEL_MAPS = new Set(['selector', 'matchLabels', 'labels']);

function describeValue(path: RenderedPath): string | undefined {
  const { segments, nodes } = path;
  const last = segments[segments.length - 1];
  const node = nodes[nodes.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = segments[segments.length - 2];
  if (typeof parent === 'string' && LABEL_MAPS.has(parent) && isScalar(node)) return `${parent} ${last}=${renderedText(node)}`;
  if (LABEL_MAPS.has(last) && isMap(node)) {
    const pairs: string[] = [];
    for (const pair of node.items) if (isScalar(pair.key) && isScalar(pair.value)) pairs.push(`${String(pair.key.value)}=${renderedText(pair.value)}`);
    return pairs.length > 0 ? `${last} ${pairs.join(', ')}` : undefined;
  }
  if (isScalar(node)) return `${last} ${renderedText(node)}`;
  return undefined;
}

/**
 * A rendered scalar as a message shows it: its value, in quotes when the render quoted a value that
 * would read as another type unquoted (`"8080"` from `| quote`), since that is what the finding is about.
 */
function renderedText(node: Scalar): string {
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  // A value kubectl would read as a number, a boolean or null when plain (YAML 1.1).
  return quoted && typeof node.value === 'string' && typeof resolvePlain(node.value) !== 'string' ? JSON.stringify(node.value) : String(node.value);
}

/** The key path to the deepest rendered node containing `offset`. */
function renderedPathAt(root: unknown, offset: number): RenderedPath {
  const segments: Segment[] = [];
  const nodes: (YamlNode | undefined)[] = [];
  let node: unknown = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((candidate) => isPair(candidate) && (contains(candidate.key, offset) || contains(candidate.value, offset)));
      if (!pair) break;
      segments.push(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      nodes.push(pair.value as YamlNode | undefined);
      if (contains(pair.key, offset)) return { segments, onKey: true, nodes };
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, offset));
      if (index < 0) break;
      segments.push(index);
      nodes.push(node.items[index] as YamlNode | undefined);
      node = node.items[index];
    } else {
      break;
    }
  }
  return { segments, onKey: false, nodes };
}

function contains(node: unknown, offset: number): boolean {
  if (typeof node !== 'object' || node === null || !('range' in node)) return false;
  const range = (node as { range?: [number, number, number] | null }).range;
  return range !== undefined && range !== null && offset >= range[0] && offset < range[1];
}

/** A stretch of template lines and the column its keys sit at. */
interface Scope {
  readonly from: number;
  readonly to: number;
  /** The line that opened this scope (a key or a sequence item), undefined at the top. */
  readonly owner: number | undefined;
}

/**
 * A span inside a flow collection (`ports: [{port: 80, targetPort: http}]`) that the template line
 * writes with no action, which helm copies as it is: the same offset in the line's value. Undefined
 * when the rendered collection is not the line's value character for character.
 */
function literalFlow(renderedText: string, renderedSpan: Range, node: YamlNode | undefined, line: ContentLine): TemplateLocation | undefined {
  const range = node?.range;
  const first = line.value.charCodeAt(0);
  if (!range || (first !== 0x7b && first !== 0x5b) || line.value.includes('{{')) return undefined;
  if (renderedSpan.start < range[0] || renderedSpan.end > range[1] || renderedText.slice(range[0], range[1]) !== line.value) return undefined;
  const shift = line.valueRange.start - range[0];
  return { span: { start: renderedSpan.start + shift, end: renderedSpan.end + shift }, exact: true, via: 'key' };
}

/**
 * The template line that wrote the rendered `path`, key by key and item by item; `flow` is asked
 * for a line passed on the way whose value is a flow collection holding the rest of the path.
 */
function walk(lines: readonly TemplateLine[], path: RenderedPath, flow?: (index: number, line: ContentLine) => TemplateLocation | undefined): TemplateLocation | undefined {
  let scope: Scope = { from: 0, to: lines.length, owner: undefined };
  let found: ContentLine | undefined;
  let foundIsItem = false;
  for (let index = 0; index < path.segments.length; index++) {
    const segment = path.segments[index]!;
    const next = typeof segment === 'number' ? findItem(lines, scope, segment, path.nodes[index]) : findKey(lines, scope, segment);
    if (next === undefined) {
      // A key no line writes literally, under a scope with one line whose key is an action (the
      // body of a `range` over a map: `{{ $k }}: {{ $v }}`): that line wrote it.
      const looped = typeof segment === 'string' ? findTemplatedKey(lines, scope) : undefined;
      if (looped !== undefined) {
        const onValue = index === path.segments.length - 1 && !path.onKey && looped.valueRange.end > looped.valueRange.start;
        return { span: onValue ? looped.valueRange : { start: looped.line.start + looped.keyColumn, end: looped.valueRange.end }, exact: true, via: 'key' };
      }
      const writer = findWriter(lines, scope);
      if (writer) return { span: writer.actions, exact: true, via: 'include' };
      return found ? { span: found.keyRange ?? found.valueRange, exact: false, via: 'ancestor' } : undefined;
    }
    found = lines[next] as ContentLine;
    if (index < path.segments.length - 1) {
      const literal = flow?.(index, found);
      if (literal) return literal;
    }
    foundIsItem = typeof segment === 'number';
    scope = foundIsItem ? itemScope(lines, next, scope.to) : keyScope(lines, next, scope.to);
  }
  if (!found) return undefined;
  const onValue = !path.onKey || foundIsItem;
  const span = onValue && found.valueRange.end > found.valueRange.start ? found.valueRange : (found.keyRange ?? found.valueRange);
  return { span, exact: true, via: 'key' };
}

/** The one direct child of the scope whose key is a template action (`{{ $k }}: …`), if there is exactly one. */
function findTemplatedKey(lines: readonly TemplateLine[], scope: Scope): ContentLine | undefined {
  let found: ContentLine | undefined;
  for (const index of directChildren(lines, scope)) {
    const line = lines[index] as ContentLine;
    if (line.key !== undefined || line.item || line.valueRange.start <= line.line.start + line.keyColumn) continue;
    if (found) return undefined;
    found = line;
  }
  return found;
}

/** The line of key `key` among the direct children of the scope. */
function findKey(lines: readonly TemplateLine[], scope: Scope, key: string): number | undefined {
  for (const index of directChildren(lines, scope)) {
    const line = lines[index] as ContentLine;
    if (line.key === key && (index !== scope.owner || line.item)) return index;
  }
  return undefined;
}

/**
 * The content lines directly inside the scope: for an item scope, the item line (its inline key)
 * and the keys at its key column; otherwise the lines at the smallest column of the scope.
 */
function directChildren(lines: readonly TemplateLine[], scope: Scope): number[] {
  const owner = scope.owner === undefined ? undefined : (lines[scope.owner] as ContentLine);
  const content: number[] = [];
  for (let index = scope.from; index < scope.to; index++) if (lines[index]!.type === 'content' && index !== scope.owner) content.push(index);
  if (owner?.item && scope.from === scope.owner) {
    return [scope.owner, ...content.filter((index) => !(lines[index] as ContentLine).item && (lines[index] as ContentLine).column === owner.keyColumn)];
  }
  const column = Math.min(...content.map((index) => (lines[index] as ContentLine).column));
  return content.filter((index) => (lines[index] as ContentLine).column === column && !(lines[index] as ContentLine).item);
}

/**
 * The template item that wrote rendered item `position`. Without `if`/`range` among the items,
 * items map by position. With them, each item's literal fields are compared with the rendered
 * item's: a literal that differs rules an item out; the most agreeing fields win, then position
 * (counting the items before the first loop), then the first item inside a loop.
 */
function findItem(lines: readonly TemplateLine[], scope: Scope, position: number, rendered: YamlNode | undefined): number | undefined {
  const items: number[] = [];
  let steered = false;
  let firstLoop = -1;
  let column = Infinity;
  for (let index = scope.from; index < scope.to; index++) {
    const line = lines[index]!;
    if (line.type === 'content' && line.item && index !== scope.owner) column = Math.min(column, line.column);
  }
  for (let index = scope.from; index < scope.to; index++) {
    const line = lines[index]!;
    if (line.type === 'content' && line.item && line.column === column && index !== scope.owner) items.push(index);
    if (line.type === 'action' && line.steers) steered = true;
    if (line.type === 'action' && line.loops && firstLoop < 0) firstLoop = index;
  }
  if (items.length === 0) return undefined;
  if (!steered) return items[position];
  const fields = renderedFields(rendered);
  let best: number | undefined;
  let bestScore = -1;
  for (const [order, item] of items.entries()) {
    const agreement = literalAgreement(lines, item, scope.to, fields);
    if (agreement < 0) continue;
    const beforeLoop = firstLoop < 0 || item < firstLoop;
    const positional = beforeLoop ? order === position : false;
    const inLoop = firstLoop >= 0 && item > firstLoop;
    const score = agreement * 4 + (positional ? 2 : 0) + (inLoop && !positional ? 1 : 0);
    if (score > bestScore) {
      best = item;
      bestScore = score;
    }
  }
  return best;
}

/** The rendered item's scalar fields (key → text), or its own text under the key `''` for a scalar item. */
function renderedFields(node: YamlNode | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  if (isScalar(node)) fields.set('', String(node.value));
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && isScalar(pair.value)) fields.set(String(pair.key.value), String(pair.value.value));
    }
  }
  return fields;
}

/** How many of the item's literal fields equal the rendered item's; -1 when one differs. */
function literalAgreement(lines: readonly TemplateLine[], item: number, to: number, fields: Map<string, string>): number {
  const scope = itemScope(lines, item, to);
  const itemLine = lines[item] as ContentLine;
  let agreement = 0;
  const compare = (key: string, line: ContentLine): boolean => {
    const wanted = fields.get(key);
    if (wanted === undefined) return true;
    const text = line.value;
    if (text === '' || text.includes('{{')) return true;
    if (unquote(text) !== wanted) return false;
    agreement++;
    return true;
  };
  if (itemLine.key === undefined && itemLine.keyRange === undefined) return compare('', itemLine) ? agreement : -1;
  for (const index of directChildren(lines, scope)) {
    const line = lines[index] as ContentLine;
    if (line.key !== undefined && !compare(line.key, line)) return -1;
  }
  return agreement;
}

/** The scope of the item on line `item`: up to the next item at its column or a line left of it. */
function itemScope(lines: readonly TemplateLine[], item: number, to: number): Scope {
  const itemLine = lines[item] as ContentLine;
  let end = item + 1;
  for (; end < to; end++) {
    const line = lines[end]!;
    if (line.type === 'content' && line.column <= itemLine.column) break;
  }
  return { from: item, to: end, owner: item };
}

/**
 * The scope of the key on line `index`: the lines right of its key column, and the items of a
 * sequence written at the key's own column (`ports:` then `- port: 80` under it).
 */
function keyScope(lines: readonly TemplateLine[], index: number, to: number): Scope {
  const keyLine = lines[index] as ContentLine;
  const blockValue = keyLine.valueRange.end === keyLine.valueRange.start;
  let end = index + 1;
  for (; end < to; end++) {
    const line = lines[end]!;
    if (line.type !== 'content') continue;
    if (line.column > keyLine.keyColumn) continue;
    if (blockValue && line.item && line.column === keyLine.keyColumn && !keyLine.item) continue;
    break;
  }
  return { from: index + 1, to: end, owner: index };
}

/**
 * The action line that writes the direct children of the scope (an `include` or `toYaml` under
 * the scope's key): among the writing actions of the scope, one whose text starts right of the
 * scope's line and is not inside one of the scope's child keys.
 */
function findWriter(lines: readonly TemplateLine[], scope: Scope): ActionLine | undefined {
  const ownerColumn = scope.owner === undefined ? -1 : (lines[scope.owner] as ContentLine).column;
  for (let index = scope.from; index < scope.to; index++) {
    const line = lines[index]!;
    if (line.type !== 'action' || !line.writes || line.writeColumn <= ownerColumn) continue;
    if (nearestOwner(lines, scope, index, line.writeColumn) === scope.owner) return line;
  }
  return undefined;
}

/** The closest content line above `index`, inside the scope, that is left of `column`. */
function nearestOwner(lines: readonly TemplateLine[], scope: Scope, index: number, column: number): number | undefined {
  for (let above = index - 1; above >= scope.from; above--) {
    const line = lines[above]!;
    if (line.type === 'content' && line.column < column) return above;
  }
  return scope.owner;
}

/** Picks the template document that rendered `rendered`: same literal kind, then same literal name. */
function chooseTemplateDocument(templateText: string, rendered: unknown, position: RenderedPosition | undefined): Range {
  const ranges = splitDocuments(templateText).filter((range) => templateText.slice(range.start, range.end).trim() !== '');
  if (ranges.length <= 1) return ranges[0] ?? { start: 0, end: templateText.length };
  const record = typeof rendered === 'object' && rendered !== null ? (rendered as Record<string, unknown>) : {};
  const kind = typeof record['kind'] === 'string' ? record['kind'] : undefined;
  const metadata = record['metadata'];
  const name = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['name'] : undefined;
  const sameKind = ranges.filter((range) => literalTopLevel(templateText, range, 'kind') === kind);
  // As many documents rendered as the template holds: none was left out or repeated, so the order
  // holds, but for the kinds helm sorts its output by: a document whose kind an action writes is
  // taken by position only when no document of the template writes this kind.
  if (position !== undefined && position.count === ranges.length) {
    const same = ranges[position.index];
    const written = same === undefined ? undefined : literalTopLevel(templateText, same, 'kind');
    if (same !== undefined && (written === kind || (written === undefined && sameKind.length === 0))) return same;
  }
  const byName = sameKind.find((range) => literalName(templateText, range) === name);
  const byPattern = typeof name === 'string' ? sameKind.find((range) => namePattern(templateText, range)?.test(name) === true) : undefined;
  // A document whose name cannot have rendered this one (`{{ .Release.Name }}-metrics` for `web`,
  // switched off by an `if` around it; a literal `web` for `extra`) is not the one: the first whose
  // name does not rule it out, of its kind, else one whose kind an action writes (`{{ toYaml . }}`
  // of objects given in values, `tpl`).
  const possible = (range: Range): boolean => {
    if (typeof name !== 'string') return true;
    const literal = literalName(templateText, range);
    return literal === undefined ? namePattern(templateText, range)?.test(name) !== false : literal === name;
  };
  const unwritten = ranges.filter((range) => literalTopLevel(templateText, range, 'kind') === undefined);
  return byName ?? byPattern ?? sameKind.find(possible) ?? unwritten.find(possible) ?? sameKind[0] ?? ranges[0]!;
}

/** The `metadata.name` of a template document as a pattern: its literal text, each `{{ }}` action any text; undefined without literal text. */
function namePattern(text: string, range: Range): RegExp | undefined {
  const value = metadataName(text, range);
  if (value === undefined) return undefined;
  const parts = unquote(value).split(/\{\{.*?\}\}/);
  if (parts.length > 8 || parts.every((part) => part === '')) return undefined;
  return new RegExp(`^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The literal value of a top-level key of the document (column 0), if it is written without actions. */
function literalTopLevel(text: string, range: Range, key: string): string | undefined {
  for (const line of readTemplateLines(text, range.start, range.end)) {
    if (line.type === 'content' && line.column === 0 && line.key === key) {
      return line.value.includes('{{') ? undefined : unquote(line.value);
    }
  }
  return undefined;
}

function literalName(text: string, range: Range): string | undefined {
  const value = metadataName(text, range);
  return value === undefined || value.includes('{{') ? undefined : unquote(value);
}

/** The `metadata.name` value of a template document as written, actions included. */
function metadataName(text: string, range: Range): string | undefined {
  const lines = readTemplateLines(text, range.start, range.end);
  const metadata = lines.findIndex((line) => line.type === 'content' && line.column === 0 && line.key === 'metadata');
  if (metadata < 0) return undefined;
  // `metadata: {name: web, labels: …}` on one line: the name as written there.
  const inline = (lines[metadata] as ContentLine).value;
  if (inline.startsWith('{')) return /[{,]\s*name:\s*((?:\{\{.*?\}\}|[^,{}])+?)\s*[,}]/.exec(inline)?.[1];
  const scope = keyScope(lines, metadata, lines.length);
  const name = findKey(lines, scope, 'name');
  if (name === undefined) return undefined;
  return (lines[name] as ContentLine).value;
}

function unquote(text: string): string {
  if (text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")))) return text.slice(1, -1);
  return text;
}
