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
import { readFile } from '../syntax/documents';
import { LineIndex } from '../syntax/lines';
import { readSuppressions } from '../syntax/suppressions';
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
