/**
 * What one file says, read once per text: its objects (as facts), the documents that were not
 * analysed and why, its suppression comments and its line starts. Plain data, the same whatever
 * the settings except `serviceLens.podTemplatePaths` (which widens what is read), so it can be
 * kept, shared by several scopes and cached.
 */
import { fitted } from '../model/compact';
import type { PodTemplatePaths } from '../kinds/registry';
import { documentSchema } from '../kinds/registry';
import type { PlacementContext } from '../model/instances';
import { narrowDocument } from '../model/narrow';
import { documentIndexOf, ORDER_PER_DOCUMENT, type ObjectFacts } from '../model/objects';
import { commonPrefix, commonSuffix, hasLoneCarriageReturn, readDocuments, readFile, sameRange, splitDocuments, unchangedHead, type DocumentRange, type ReadFile } from '../syntax/documents';
import { LineIndex } from '../syntax/lines';
import { DISABLE_NEXT_LINE, readSuppressions } from '../syntax/suppressions';
import type { SkipNote } from '../types';
import { runSteps, type Steps } from '../analysis/steps';

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
  return runSteps(readFileFactsSteps(text, options, placement));
}

/** Documents read between two steps of `readFileFactsSteps`. */
const DOCUMENTS_PER_STEP = 64;

/**
 * `readFileFacts` in steps (analysis/steps.ts) of at most 64 documents: a file of thousands of
 * documents is read while requests are answered between the steps (a smaller file is one step).
 * `observe` is shown each read of documents before it is narrowed (the whole file, in one or more
 * parts in document order), for what a caller keeps of the pruned trees.
 */
export function* readFileFactsSteps(text: string, options: FactOptions, placement?: PlacementContext, observe?: (read: ReadFile) => void): Steps<FileFacts> {
  const lines = LineIndex.of(text);
  const schema = documentSchema(options.podTemplatePaths);
  const narrowOptions = placement ? { podTemplatePaths: options.podTemplatePaths, placement } : options;
  const objects: ObjectFacts[] = [];
  const skipped: Omit<SkipNote, 'fileId'>[] = [];
  const take = (read: ReadFile): void => {
    observe?.(read);
    for (const document of read.documents) for (const object of narrowDocument(document.root, document.index, narrowOptions)) objects.push(object);
    for (const note of read.skipped) skipped.push(note);
  };
  if (hasLoneCarriageReturn(text)) {
    take(readFile(text, schema)); // rewrites the line breaks first (readFile), at once
  } else {
    const ranges = splitDocuments(text, lines);
    for (let first = 0; first < ranges.length; first += DOCUMENTS_PER_STEP) {
      if (first > 0) yield;
      take(readDocuments(text, first === 0 && ranges.length <= DOCUMENTS_PER_STEP ? ranges : ranges.slice(first, first + DOCUMENTS_PER_STEP), first, schema, lines));
    }
  }
  return { lines, objects: fitted(objects), skipped: fitted(skipped), suppressions: readSuppressions(text, lines) };
}

/** A file's text as last read and the objects read from it (facts or instances), for `rereadFileFacts`. */
export interface PreviousRead<T extends ObjectFacts> {
  readonly text: string;
  readonly objects: readonly T[];
  readonly skipped: FileFacts['skipped'];
  /** The line starts of `text`, when known: the new ones are derived from them. */
  readonly lines?: LineIndex;
  /** The documents of `text` (`Reread.ranges` of the read that gave it), when known. */
  readonly ranges?: readonly DocumentRange[];
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
  /** Objects of the previous read that are gone (those of the changed documents). */
  readonly removed: readonly T[];
  /** Objects read from the changed documents. Every other object of `facts.objects` is an object of the previous read. */
  readonly added: readonly T[];
  /** The kept objects after the edit: `moveObjects(moved, move)` brings them to their new offsets. */
  readonly moved: readonly T[];
  readonly move: TextMove;
  /** The documents of the new text, for the next read (`PreviousRead.ranges`). */
  readonly ranges: readonly DocumentRange[];
}


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
  const prefix = commonPrefix(before, text);
  const suffix = commonSuffix(before, text, Math.min(before.length, text.length) - prefix);
  const delta = text.length - before.length;
  const oldRanges = previous.ranges ?? splitDocuments(before);
  const newRanges = splitDocuments(text);
  const head = unchangedHead(oldRanges, newRanges, prefix);
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
  const objects: T[] = [];
  const removed: T[] = [];
  const added: T[] = [];
  const moved: T[] = [];
  let position = 0;
  for (; position < previous.objects.length && documentIndexOf(previous.objects[position]!) < head; position++) objects.push(previous.objects[position]!);
  for (; position < previous.objects.length && documentIndexOf(previous.objects[position]!) < firstMoved; position++) removed.push(previous.objects[position]!);
  for (const document of read.documents) for (const object of narrowDocument(document.root, document.index, narrowOptions)) added.push(object as T);
  objects.push(...added);
  for (; position < previous.objects.length; position++) moved.push(previous.objects[position]!);
  objects.push(...moved);
  const skipped: Omit<SkipNote, 'fileId'>[] = [];
  for (const note of previous.skipped) if (head > 0 && note.span.start <= oldChangeStart) skipped.push(note);
  skipped.push(...read.skipped);
  const firstMovedStart = tail > 0 ? oldRanges[firstMoved]!.start : before.length;
  for (const note of previous.skipped) {
    if (tail > 0 && note.span.start >= firstMovedStart) skipped.push({ ...note, span: { start: note.span.start + delta, end: note.span.end + delta } });
  }
  const lines = previous.lines?.edited(text, prefix, before.length - suffix, text.length - suffix) ?? LineIndex.of(text);
  return {
    facts: { lines, objects, skipped, suppressions: readSuppressions(text, lines) },
    removed,
    added,
    moved,
    move: { from: oldChangeEnd, delta, orderDelta: (newRanges.length - oldRanges.length) * ORDER_PER_DOCUMENT },
    ranges: newRanges,
  };
}

function occursWithin(text: string, word: string, start: number, end: number): boolean {
  const at = text.indexOf(word, Math.max(0, start - word.length));
  return at >= 0 && at < end;
}

/**
 * The spans each object holds, listed once per object (a span shared by several objects of one
 * document, such as the document's own span, is listed for one of them): moving an object then
 * costs a pass over its list. Built when objects move for the first time.
 */
const spanLists = new WeakMap<object, { start: number; end: number }[]>();

/**
 * Moves objects kept by `rereadFileFacts` to their offsets in the new text, in place: every span
 * they hold (shared spans once) and their `order`. Only for objects the caller owns (read by it,
 * never handed out as facts: `AnalysisHost.fileFacts` gives copies). The objects of a document
 * move together (they may share spans).
 */
export function moveObjects(objects: readonly ObjectFacts[], move: TextMove): void {
  if (move.delta === 0 && move.orderDelta === 0) return;
  if (move.delta !== 0) listSpans(objects);
  for (const object of objects) {
    if (move.orderDelta !== 0) (object as { order: number }).order += move.orderDelta;
    if (move.delta === 0) continue;
    for (const span of spanLists.get(object) ?? []) {
      span.start += move.delta;
      span.end += move.delta;
    }
  }
}

type MutableSpan = { start: number; end: number };

/**
 * Lists the spans of the objects that have no list yet. A span is marked as listed by negating
 * its `end` (offsets are never negative) until every list is made, so a span shared by several
 * objects is listed once without a set of every span.
 */
function listSpans(objects: readonly ObjectFacts[]): void {
  const made: MutableSpan[][] = [];
  for (const object of objects) {
    if (spanLists.has(object)) continue;
    const spans: MutableSpan[] = [];
    collectSpans(object, spans);
    spanLists.set(object, spans);
    made.push(spans);
  }
  for (const spans of made) for (const span of spans) span.end = -span.end - 1;
}

/** Gathers the spans of a value not listed yet (spans that name another file stay where they are). */
function collectSpans(value: object, out: MutableSpan[]): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (typeof item === 'object' && item !== null) collectSpans(item, out);
    return;
  }
  if (value instanceof Map || value instanceof Set) return; // derived lookups (label maps) hold no spans
  const record = value as Record<string, unknown>;
  const end = record['end'];
  if (typeof end === 'number' && typeof record['start'] === 'number') {
    if (end < 0 || record['fileId'] !== undefined) return;
    (value as MutableSpan).end = -end - 1;
    out.push(value as MutableSpan);
    return;
  }
  for (const field of Object.values(record)) if (typeof field === 'object' && field !== null) collectSpans(field, out);
}
