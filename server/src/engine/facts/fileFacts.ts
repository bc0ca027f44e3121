/**
 * What one file says, read once per text: its objects (as facts), the documents that were not
 * analysed and why, its suppression comments and its line starts. Plain data, the same whatever
 * the settings except `serviceLens.podTemplatePaths` (which widens what is read), so it can be
 * kept, shared by several scopes and cached.
 */
import type { PodTemplatePaths } from '../kinds/registry';
import { documentSchema } from '../kinds/registry';
import type { PlacementContext } from '../model/instances';
import { narrowDocument } from '../model/narrow';
import type { ObjectFacts } from '../model/objects';
import { hasLoneCarriageReturn, readDocuments, readFile, splitDocuments, type DocumentRange } from '../syntax/documents';
import { LineIndex } from '../syntax/lines';
import { DISABLE_NEXT_LINE, readSuppressions } from '../syntax/suppressions';
import type { SkipNote } from '../types';

export interface FileFacts {
  readonly lines: LineIndex;
  readonly objects: readonly ObjectFacts[];
  readonly skipped: readonly Omit<SkipNote, 'fileId'>[];
  /** Suppression comments: 0-based line → rule ids disabled for findings starting on it. */
  readonly suppressions: ReadonlyMap<number, ReadonlySet<string>>;
}

/** Settings that change what is read from a file. */
export interface FactOptions {
  readonly podTemplatePaths: PodTemplatePaths;
}

/**
 * Reads a file's facts. With a placement, `objects` come out as instances placed in that scope
 * (each object allocated once); without one, as plain facts.
 */
export function readFileFacts(text: string, options: FactOptions, placement?: PlacementContext): FileFacts {
  const lines = LineIndex.of(text);
  const read = readFile(text, documentSchema(options.podTemplatePaths));
  const narrowOptions = placement ? { podTemplatePaths: options.podTemplatePaths, placement } : options;
  const objects: ObjectFacts[] = [];
  for (const document of read.documents) for (const object of narrowDocument(document.root, document.index, narrowOptions)) objects.push(object);
  return { lines, objects, skipped: read.skipped, suppressions: readSuppressions(text, lines) };
}

/** A file's text as last read and the objects read from it (facts or instances), for `rereadFileFacts`. */
export interface PreviousRead<T extends ObjectFacts> {
  readonly text: string;
  readonly objects: readonly T[];
  readonly skipped: FileFacts['skipped'];
}

/**
 * How the unchanged documents after an edit moved: every span of theirs (offsets of the old text,
 * all at or after `from`) moves by `delta` characters, and their `order` by `orderDelta` (documents
 * added or removed before them).
 */
export interface TextMove {
  readonly from: number;
  readonly delta: number;
  readonly orderDelta: number;
}

/** A file read again after an edit, reusing the objects of the documents the edit left alone. */
export interface Reread<T extends ObjectFacts> {
  /** The new facts; `objects` in file order: the kept objects (those after the edit not moved yet) and the new ones. */
  readonly facts: Omit<FileFacts, 'objects'> & { readonly objects: readonly T[] };
  /** Objects of the previous read that stay, the same objects (those in `moved` still at their old offsets). */
  readonly kept: ReadonlySet<T>;
  /** The kept objects after the edit: `moveObjects(moved, move)` brings them to their new offsets. */
  readonly moved: readonly T[];
  readonly move: TextMove;
}

/** Documents per object `order` (see model/objects.ts `order`). */
const ORDER_PER_DOCUMENT = 65536;

/**
 * Reads a file again after its text changed, reading only the documents whose text changed: a
 * document (split at `---`/`...` lines as `readFile` splits) that lies wholly in the text common to
 * both versions before the edit keeps its objects as they are, and one wholly in the common text
 * after the edit keeps its objects, to be moved by `moveObjects`. Line starts and suppression
 * comments are read from the whole new text. The result, once moved, equals `readFileFacts(text)`.
 * Undefined when nothing can be reused safely (a lone carriage return, a suppression comment in
 * the changed text, no unchanged document): the caller reads the whole file.
 */
export function rereadFileFacts<T extends ObjectFacts>(previous: PreviousRead<T>, text: string, options: FactOptions, placement?: PlacementContext): Reread<T> | undefined {
  const before = previous.text;
  if (hasLoneCarriageReturn(before) || hasLoneCarriageReturn(text)) return undefined;
  const shorter = Math.min(before.length, text.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const delta = text.length - before.length;
  const oldRanges = splitDocuments(before);
  const newRanges = splitDocuments(text);
  // Documents before the edit: the same range in both texts, within the common start.
  let head = 0;
  while (head < oldRanges.length && head < newRanges.length && sameRange(oldRanges[head]!, newRanges[head]!, 0) && oldRanges[head]!.end <= prefix) head++;
  // Documents after the edit: the same range moved by `delta`, their marker line within the common end.
  let tail = 0;
  for (;;) {
    const oldIndex = oldRanges.length - 1 - tail;
    const newIndex = newRanges.length - 1 - tail;
    if (oldIndex <= head || newIndex <= head) break;
    const oldMarker = oldRanges[oldIndex - 1]!.end;
    if (oldMarker < before.length - suffix || newRanges[newIndex - 1]!.end !== oldMarker + delta) break;
    if (!sameRange(oldRanges[oldIndex]!, newRanges[newIndex]!, delta)) break;
    tail++;
  }
  if (head === 0 && tail === 0) return undefined;
  const oldChangeStart = head > 0 ? oldRanges[head - 1]!.end : 0;
  const oldChangeEnd = tail > 0 ? oldRanges[oldRanges.length - tail - 1]!.end : before.length;
  const newChangeStart = head > 0 ? newRanges[head - 1]!.end : 0;
  const newChangeEnd = tail > 0 ? newRanges[newRanges.length - tail - 1]!.end : text.length;
  if (occursWithin(before, DISABLE_NEXT_LINE, oldChangeStart, oldChangeEnd) || occursWithin(text, DISABLE_NEXT_LINE, newChangeStart, newChangeEnd)) return undefined;

  const read = readDocuments(text, newRanges.slice(head, newRanges.length - tail), head, documentSchema(options.podTemplatePaths));
  const narrowOptions = placement ? { podTemplatePaths: options.podTemplatePaths, placement } : options;
  const firstMoved = oldRanges.length - tail;
  const kept = new Set<T>();
  const objects: T[] = [];
  const moved: T[] = [];
  for (const object of previous.objects) {
    if (Math.floor(object.order / ORDER_PER_DOCUMENT) >= head) break;
    kept.add(object);
    objects.push(object);
  }
  for (const document of read.documents) for (const object of narrowDocument(document.root, document.index, narrowOptions)) objects.push(object as T);
  for (const object of previous.objects) {
    if (Math.floor(object.order / ORDER_PER_DOCUMENT) < firstMoved) continue;
    kept.add(object);
    moved.push(object);
    objects.push(object);
  }
  const skipped: Omit<SkipNote, 'fileId'>[] = [];
  for (const note of previous.skipped) if (head > 0 && note.span.start <= oldChangeStart) skipped.push(note);
  skipped.push(...read.skipped);
  const firstMovedStart = tail > 0 ? oldRanges[firstMoved]!.start : before.length;
  for (const note of previous.skipped) {
    if (tail > 0 && note.span.start >= firstMovedStart) skipped.push({ ...note, span: { start: note.span.start + delta, end: note.span.end + delta } });
  }
  const lines = LineIndex.of(text);
  return {
    facts: { lines, objects, skipped, suppressions: readSuppressions(text, lines) },
    kept,
    moved,
    move: { from: oldChangeEnd, delta, orderDelta: (newRanges.length - oldRanges.length) * ORDER_PER_DOCUMENT },
  };
}

function sameRange(left: DocumentRange, right: DocumentRange, delta: number): boolean {
  return left.start + delta === right.start && left.end + delta === right.end && left.markerContent === right.markerContent;
}

function occursWithin(text: string, word: string, start: number, end: number): boolean {
  const at = text.indexOf(word, Math.max(0, start - word.length));
  return at >= 0 && at < end;
}

/**
 * Moves objects kept by `rereadFileFacts` to their offsets in the new text, in place: every span
 * they hold (shared spans once) and their `order`. Only for objects the caller owns (read by it,
 * never handed out as facts: `AnalysisHost.fileFacts` gives copies).
 */
export function moveObjects(objects: readonly ObjectFacts[], move: TextMove): void {
  if (move.delta === 0 && move.orderDelta === 0) return;
  const seen = new Set<object>();
  for (const object of objects) {
    if (move.orderDelta !== 0) (object as { order: number }).order += move.orderDelta;
    if (move.delta !== 0) moveSpans(object, move.delta, seen);
  }
}

function moveSpans(value: object, delta: number, seen: Set<object>): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) moveSpans(item, delta, seen);
    return;
  }
  if (value instanceof Map || value instanceof Set) return; // derived lookups (label maps) hold no spans
  const record = value as Record<string, unknown>;
  if (typeof record['start'] === 'number' && typeof record['end'] === 'number') {
    if (seen.has(value)) return;
    seen.add(value);
    if (record['fileId'] === undefined) {
      record['start'] = (record['start'] as number) + delta;
      record['end'] = (record['end'] as number) + delta;
    }
    return;
  }
  for (const key in record) {
    const field = record[key];
    if (typeof field === 'object' && field !== null) moveSpans(field, delta, seen);
  }
}
