/**
 * The pruned YAML tree: only the parts of a document that the rules read (see schema.ts), with
 * offsets into the file text. Produced by the fast block-YAML extractor and, for documents outside
 * its subset, by the `yaml` library; both must give equal trees (a differential test checks it).
 */
import type { Span } from '../types';

export type ScalarValue = string | number | boolean | null;

export interface PScalar {
  readonly type: 'scalar';
  readonly value: ScalarValue;
  readonly span: Span;
}

export interface PEntry {
  readonly key: string;
  readonly keySpan: Span;
  /** Undefined for an empty value (`key:` with nothing after it). */
  readonly value: PNode | undefined;
}

/** A key of a mapping that was not kept: its text (as the kept keys read) and span. */
export interface PKey {
  readonly key: string;
  readonly keySpan: Span;
}

export interface PMap {
  readonly type: 'map';
  readonly entries: readonly PEntry[];
  readonly span: Span;
  /**
   * The keys written in this mapping that the schema does not keep, in order, when the schema
   * asks for them (`Schema.recordSkipped`) and there are some; their values are not read. The
   * readers set the property on every mapping (undefined when none): one object shape.
   */
  readonly skipped?: readonly PKey[] | undefined;
}

export interface PSeq {
  readonly type: 'seq';
  readonly items: readonly (PNode | undefined)[];
  readonly span: Span;
}

export type PNode = PScalar | PMap | PSeq;

export function entry(map: PNode | undefined, key: string): PEntry | undefined {
  if (map?.type !== 'map') return undefined;
  for (const candidate of map.entries) if (candidate.key === key) return candidate;
  return undefined;
}

export function child(node: PNode | undefined, key: string): PNode | undefined {
  return entry(node, key)?.value;
}

/** Follows a key path through nested maps. */
export function at(node: PNode | undefined, ...path: string[]): PNode | undefined {
  let current = node;
  for (const key of path) current = child(current, key);
  return current;
}

export function spanOf(node: PNode | undefined, fallback: Span): Span {
  return node ? node.span : fallback;
}

/** Whether a node has a meaningful extent: a scalar, or a container with kept content. */
export function hasExtent(node: PNode | undefined): node is PNode {
  if (!node) return false;
  if (node.type === 'scalar') return true;
  return node.type === 'map' ? node.entries.length > 0 : node.items.some(hasExtent);
}

/**
 * The span of a mapping from its kept entries: the first key to the end of the last entry. Both
 * tree producers compute container spans this way (`mapSpan`, `seqSpan`), so their trees compare
 * equal; an empty container gets the zero-width span at `fallback`.
 */
export function mapSpan(entries: readonly PEntry[], fallback: number): Span {
  if (entries.length === 0) return { start: fallback, end: fallback };
  const last = entries[entries.length - 1]!;
  return { start: entries[0]!.keySpan.start, end: hasExtent(last.value) ? last.value.span.end : last.keySpan.end };
}

/** The span of a sequence, as `mapSpan` for a mapping: its first kept item to its last. */
export function seqSpan(items: readonly (PNode | undefined)[], fallback: number): Span {
  let first = 0;
  while (first < items.length && !hasExtent(items[first])) first++;
  if (first === items.length) return { start: fallback, end: fallback };
  let last = items.length - 1;
  while (!hasExtent(items[last])) last--;
  return { start: items[first]!.span.start, end: items[last]!.span.end };
}
